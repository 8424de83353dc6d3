package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.opentelemetry.api.OpenTelemetry;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.filesystem.s3.S3FileSystemConfig;
import io.trino.filesystem.s3.S3FileSystemFactory;
import io.trino.filesystem.s3.S3FileSystemStats;
import io.trino.spi.TrinoException;

import java.io.Closeable;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static dev.datamesh.trino.MeshErrorCode.MESH_STORAGE_ERROR;
import static java.util.Objects.requireNonNull;

/**
 * The object store clients of a mesh catalog: the default one (the catalog's {@code s3.*}
 * properties) and one per storage profile ({@code mesh.storage.<name>.s3.*}), which descriptors
 * name for their products or assets. Each client is made when first used, so a profile that cannot
 * make one (no region anywhere, an STS endpoint down) fails the reads that need it, not the catalog.
 */
public final class MeshStorage
        implements Closeable
{
    public static final String PROFILE_PREFIX = "mesh.storage.";

    private final S3FileSystemConfig defaultS3;
    private final Map<String, S3FileSystemConfig> profiles;
    private final OpenTelemetry openTelemetry;
    private final ConcurrentMap<Optional<String>, S3FileSystemFactory> clients = new ConcurrentHashMap<>();

    public MeshStorage(S3FileSystemConfig defaultS3, Map<String, S3FileSystemConfig> profiles, OpenTelemetry openTelemetry)
    {
        this.defaultS3 = requireNonNull(defaultS3, "defaultS3 is null");
        this.profiles = ImmutableMap.copyOf(profiles);
        this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry is null");
    }

    public Set<String> profileNames()
    {
        return profiles.keySet();
    }

    /**
     * @param profile the storage profile; empty for the catalog's default
     */
    public TrinoFileSystemFactory s3(Optional<String> profile)
    {
        S3FileSystemFactory client = clients.get(profile);
        if (client != null) {
            return client;
        }
        S3FileSystemConfig config = profile.map(name -> {
            S3FileSystemConfig profileConfig = profiles.get(name);
            if (profileConfig == null) {
                throw new TrinoException(MESH_STORAGE_ERROR, "Storage profile '%s' is not configured in this catalog; add %s%s.s3.* properties".formatted(name, PROFILE_PREFIX, name));
            }
            return profileConfig;
        }).orElse(defaultS3);
        return clients.computeIfAbsent(profile, _ -> {
            try {
                return new S3FileSystemFactory(openTelemetry, config, new S3FileSystemStats());
            }
            catch (RuntimeException e) {
                throw new TrinoException(MESH_STORAGE_ERROR, "Cannot create the S3 client of %s: %s".formatted(describe(profile), e.getMessage()), e);
            }
        });
    }

    /**
     * The storage as errors name it: its name, its properties' prefix and where its credentials come from.
     */
    public StorageFailures.Storage errorContext(Optional<String> profile)
    {
        Optional<S3FileSystemConfig> config = profile.isPresent() ? Optional.ofNullable(profiles.get(profile.orElseThrow())) : Optional.of(defaultS3);
        return new StorageFailures.Storage(
                describe(profile),
                profile.map(name -> PROFILE_PREFIX + name + ".").orElse(""),
                config.map(S3FileSystemConfig::getIamRole),
                config.map(S3FileSystemConfig::getStsEndpoint));
    }

    public static String describe(Optional<String> profile)
    {
        return profile.map("storage profile '%s'"::formatted).orElse("the catalog's default S3 storage");
    }

    @Override
    public void close()
    {
        clients.values().forEach(S3FileSystemFactory::destroy);
        clients.clear();
    }
}
