package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Maps;
import com.google.inject.Binder;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.name.Names;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.IcebergTables;
import dev.datamesh.registry.MeshRegistryLoader;
import io.opentelemetry.api.OpenTelemetry;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.filesystem.s3.S3FileSystemConfig;
import io.trino.spi.security.ConnectorIdentity;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

import static io.airlift.configuration.ConfigBinder.configBinder;

public class MeshModule
        implements Module
{
    private final Set<String> storageProfiles;

    /**
     * @param storageProfiles the storage profiles the catalog's properties configure
     */
    public MeshModule(Set<String> storageProfiles)
    {
        this.storageProfiles = ImmutableSet.copyOf(storageProfiles);
    }

    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(MeshConfig.class);
        // the catalog's default S3 settings and each profile's take Trino's own s3.* property names
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
        binder.bind(MeshFileSystemFactory.class).in(Scopes.SINGLETON);
        binder.bind(TrinoFileSystemFactory.class).to(MeshFileSystemFactory.class).in(Scopes.SINGLETON);
        binder.bind(MeshTableResolver.class).in(Scopes.SINGLETON);
        binder.bind(AssetErrors.class).in(Scopes.SINGLETON);
        binder.bind(Clock.class).toInstance(Clock.systemUTC());
        binder.bind(MeshSplitManager.class).in(Scopes.SINGLETON);
        binder.bind(MeshPageSourceProvider.class).in(Scopes.SINGLETON);
        binder.bind(MeshConnector.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    public static IcebergCatalogs icebergCatalogs(MeshFileSystemFactory fileSystemFactory)
    {
        return IcebergCatalogs.forReading(fileSystemFactory.forIdentity(ConnectorIdentity.ofUser("data-mesh")));
    }

    @Provides
    @Singleton
    public static IcebergTables icebergTables(MeshFileSystemFactory fileSystemFactory, IcebergCatalogs catalogs, MeshConfig config)
    {
        return new IcebergTables(
                fileSystemFactory.forIdentity(ConnectorIdentity.ofUser("data-mesh")),
                catalogs,
                java.time.Duration.ofMillis(config.getIcebergMetadataCacheTtl().toMillis()));
    }

    @Provides
    @Singleton
    public static MeshRegistrySource registrySource(MeshConfig config, TrinoFileSystemFactory fileSystemFactory, MeshStorage storage)
    {
        // the registry only checks that local locations exist; reading the data is done as the querying user
        MeshRegistryLoader loader = new MeshRegistryLoader(config.getDescriptorsDirectory(), fileSystemFactory.create(ConnectorIdentity.ofUser("data-mesh")), storage.profileNames());
        return new MeshRegistrySource(config.getDescriptorsDirectory(), loader::load, config.getDescriptorsRefreshPeriod());
    }
}
