package dev.datamesh.trino.statistics;

import com.google.common.cache.Cache;
import com.google.inject.Inject;
import dev.datamesh.registry.HadoopPaths;
import dev.datamesh.trino.MeshFileSystemFactory;
import dev.datamesh.trino.MeshStorage;
import dev.datamesh.trino.StorageFailures;
import io.airlift.json.JsonCodec;
import io.airlift.log.Logger;
import io.trino.cache.EvictableCacheBuilder;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoInputStream;
import io.trino.spi.TrinoException;
import io.trino.spi.catalog.CatalogName;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.security.ConnectorIdentity;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import static dev.datamesh.trino.MeshErrorCode.MESH_STATISTICS_NOT_CONFIGURED;
import static dev.datamesh.trino.MeshErrorCode.MESH_STORAGE_ERROR;
import static io.airlift.json.JsonCodec.jsonCodec;
import static io.trino.cache.CacheUtils.uncheckedCacheGet;
import static java.util.Objects.requireNonNull;

/**
 * Where the mesh keeps the statistics ANALYZE computes: the domains' data is read-only to it, so
 * they live in a location of the platform's (mesh.statistics.location), one JSON file per table
 * at catalog/schema/table.json, read and written as the mesh itself, with the storage profile
 * mesh.statistics.storage-profile names for S3. Each ANALYZE replaces the table's file.
 */
public class StatisticsStore
{
    private static final Logger log = Logger.get(StatisticsStore.class);
    private static final JsonCodec<StoredStatistics> CODEC = jsonCodec(StoredStatistics.class);

    private final Optional<Location> location;
    private final Optional<String> storageProfile;
    private final MeshFileSystemFactory fileSystemFactory;
    private final String catalogName;
    // every query's planning asks for its tables' statistics: one read of the store per table and
    // minute, absence included, and this server's own ANALYZE replaces what it wrote at once
    private final Cache<SchemaTableName, Optional<StoredStatistics>> stored = EvictableCacheBuilder.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1))
            .maximumSize(10_000)
            .build();

    @Inject
    public StatisticsStore(MeshStatisticsConfig config, MeshFileSystemFactory fileSystemFactory, MeshStorage storage, CatalogName catalogName)
    {
        this.fileSystemFactory = requireNonNull(fileSystemFactory, "fileSystemFactory is null");
        this.catalogName = catalogName.toString();
        this.location = config.getLocation().map(StatisticsStore::toLocation);
        this.storageProfile = config.getStorageProfile();
        storageProfile.ifPresent(profile -> {
            if (location.isEmpty() || !location.orElseThrow().scheme().equals(Optional.of("s3"))) {
                throw new IllegalArgumentException("mesh.statistics.storage-profile names the S3 credentials of the statistics location, which is " + location.map(Location::toString).orElse("not set"));
            }
            if (!storage.profileNames().contains(profile)) {
                throw new IllegalArgumentException("mesh.statistics.storage-profile: storage profile '%s' is not configured in this catalog; add %s%s.s3.* properties".formatted(profile, MeshStorage.PROFILE_PREFIX, profile));
            }
        });
    }

    private static Location toLocation(String configured)
    {
        String problem = "mesh.statistics.location must be an absolute local path, a file:// or an s3:// URI, not " + configured;
        Location location;
        try {
            location = HadoopPaths.toLocation(configured.strip());
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(problem, e);
        }
        if (!location.scheme().equals(Optional.of("file")) && !location.scheme().equals(Optional.of("s3"))) {
            throw new IllegalArgumentException(problem);
        }
        return location;
    }

    /**
     * Fails the statement when the catalog keeps no statistics: ANALYZE must not compute what it
     * cannot keep.
     */
    public void checkConfigured(SchemaTableName table)
    {
        if (location.isEmpty()) {
            throw new TrinoException(MESH_STATISTICS_NOT_CONFIGURED, ("Cannot analyze %s.%s: catalog %s keeps no statistics, since the mesh never writes into the domains' data; " +
                    "its administrator sets mesh.statistics.location (a local folder or an s3:// URI the platform owns) in the catalog's properties").formatted(catalogName, table, catalogName));
        }
    }

    /**
     * The table's stored statistics, whatever data they describe; none when there are none or
     * they cannot be read, which only costs the optimizer them.
     */
    public Optional<StoredStatistics> read(SchemaTableName table)
    {
        if (location.isEmpty()) {
            return Optional.empty();
        }
        try {
            return stored.get(table, () -> load(table));
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private Optional<StoredStatistics> load(SchemaTableName table)
    {
        Location file = file(table);
        try (TrinoInputStream input = fileSystem().newInputFile(file).newStream()) {
            return Optional.of(CODEC.fromJson(input.readAllBytes()));
        }
        catch (FileNotFoundException | NoSuchFileException _) {
            return Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            log.warn(e, "Ignoring the statistics of %s.%s stored at %s: %s", catalogName, table, file, StorageFailures.explain(e, storageContext()));
            return Optional.empty();
        }
    }

    public void write(SchemaTableName table, StoredStatistics statistics)
    {
        Location file = file(table);
        try {
            fileSystem().newOutputFile(file).createOrOverwrite(CODEC.toJsonBytes(statistics));
        }
        catch (IOException | RuntimeException e) {
            stored.invalidate(table);
            throw new TrinoException(MESH_STORAGE_ERROR, "Cannot store the statistics of %s.%s at %s: %s".formatted(catalogName, table, file, StorageFailures.explain(e, storageContext())), e);
        }
        // an EvictableCache has no put: what was stored replaces what was cached
        stored.invalidate(table);
        uncheckedCacheGet(stored, table, () -> Optional.of(statistics));
    }

    // schema and table names are made of a-z, 0-9 and _ (MeshNames), catalog names are SQL identifiers
    private Location file(SchemaTableName table)
    {
        return location.orElseThrow()
                .appendPath(catalogName)
                .appendPath(table.getSchemaName())
                .appendPath(table.getTableName() + ".json");
    }

    private TrinoFileSystem fileSystem()
    {
        return fileSystemFactory.create(ConnectorIdentity.ofUser("data-mesh"), storageProfile);
    }

    private Optional<StorageFailures.Storage> storageContext()
    {
        return location.orElseThrow().scheme().equals(Optional.of("s3")) ? fileSystemFactory.errorContext(storageProfile) : Optional.empty();
    }
}
