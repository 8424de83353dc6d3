package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Maps;
import com.google.inject.Binder;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Provider;
import com.google.inject.Scopes;
import com.google.inject.name.Names;
import io.opentelemetry.api.OpenTelemetry;
import io.trino.filesystem.s3.S3FileSystemConfig;
import io.trino.spi.TrinoException;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.airlift.configuration.ConfigBinder.configBinder;
import static io.trino.spi.StandardErrorCode.CONFIGURATION_INVALID;

/**
 * The catalog's object stores: its default S3 settings ({@code s3.*}) and each storage profile's
 * ({@code mesh.storage.<profile>.s3.*}), all with the property names of Trino's own S3 file system.
 */
public class MeshStorageModule
        implements Module
{
    // the names descriptors may give in storage: (the storageProfile pattern of the descriptor schema)
    private static final Pattern STORAGE_PROFILE_PROPERTY = Pattern.compile(Pattern.quote(MeshStorage.PROFILE_PREFIX) + "([a-z0-9][a-z0-9_-]*)\\.s3\\..+");

    private final Set<String> storageProfiles;

    /**
     * @param storageProfiles the storage profiles the catalog's properties configure
     */
    public MeshStorageModule(Set<String> storageProfiles)
    {
        this.storageProfiles = ImmutableSet.copyOf(storageProfiles);
    }

    /**
     * The storage profiles the catalog's properties configure.
     *
     * @throws TrinoException for a property under mesh.storage. that names no profile
     */
    public static Set<String> storageProfiles(Map<String, String> config)
    {
        ImmutableSet.Builder<String> profiles = ImmutableSet.builder();
        for (String property : config.keySet()) {
            if (!property.startsWith(MeshStorage.PROFILE_PREFIX)) {
                continue;
            }
            Matcher matcher = STORAGE_PROFILE_PROPERTY.matcher(property);
            if (!matcher.matches()) {
                throw new TrinoException(CONFIGURATION_INVALID, ("Catalog property '%s' names no storage profile: write %s<profile>.s3.<property>, with a property of Trino's S3 file system " +
                        "and a profile name of lowercase letters, digits, '-' and '_', as descriptors name it in storage:").formatted(property, MeshStorage.PROFILE_PREFIX));
            }
            profiles.add(matcher.group(1));
        }
        return profiles.build();
    }

    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(S3FileSystemConfig.class);
        ImmutableMap.Builder<String, Provider<S3FileSystemConfig>> profiles = ImmutableMap.builder();
        for (String profile : storageProfiles) {
            configBinder(binder).bindConfig(S3FileSystemConfig.class, Names.named(profile), MeshStorage.PROFILE_PREFIX + profile);
            profiles.put(profile, binder.getProvider(Key.get(S3FileSystemConfig.class, Names.named(profile))));
        }
        Map<String, Provider<S3FileSystemConfig>> profileConfigs = profiles.buildOrThrow();
        Provider<S3FileSystemConfig> defaultConfig = binder.getProvider(S3FileSystemConfig.class);
        Provider<OpenTelemetry> openTelemetry = binder.getProvider(OpenTelemetry.class);
        binder.bind(MeshStorage.class).toProvider(() -> new MeshStorage(
                defaultConfig.get(),
                Maps.transformValues(profileConfigs, Provider::get),
                openTelemetry.get())).in(Scopes.SINGLETON);
    }
}
