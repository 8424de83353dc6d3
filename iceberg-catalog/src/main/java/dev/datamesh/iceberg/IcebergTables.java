package dev.datamesh.iceberg;

import com.google.common.cache.Cache;
import dev.datamesh.registry.CatalogTable;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.StorageFileSystems;
import dev.datamesh.registry.TableVersion;
import io.trino.cache.EvictableCacheBuilder;
import io.trino.filesystem.FileEntry;
import io.trino.filesystem.FileIterator;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoInputFile;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.StaticTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.util.SnapshotUtil;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * Finds the Iceberg table of an asset, by its location (a table folder or a metadata file) or by
 * its name in a catalog, and the snapshot a query reads. A loaded table is kept for a bounded time,
 * after which the next query looks again for a newer snapshot; queries read the snapshot they
 * started with, whatever is committed meanwhile.
 */
public final class IcebergTables
{
    private static final int MAX_FORMAT_VERSION = 2;

    // v12.metadata.json (Hadoop tables) or 00012-<uuid>.metadata.json (catalogs), optionally compressed
    private static final Pattern METADATA_FILE = Pattern.compile("^v?(\\d+)(-[^/]*)?\\.(gz\\.)?metadata\\.json(\\.gz)?$");

    private final StorageFileSystems fileSystems;
    private final IcebergCatalogs catalogs;
    private final Cache<Object, Table> tables;

    /**
     * @param metadataCacheTtl how long a loaded table is reused before a newer snapshot is looked for
     * @param maximumTables how many loaded tables are kept
     */
    public IcebergTables(StorageFileSystems fileSystems, IcebergCatalogs catalogs, Duration metadataCacheTtl, long maximumTables)
    {
        this.fileSystems = requireNonNull(fileSystems, "fileSystems is null");
        this.catalogs = requireNonNull(catalogs, "catalogs is null");
        this.tables = EvictableCacheBuilder.newBuilder()
                .expireAfterWrite(metadataCacheTtl.toMillis(), MILLISECONDS)
                .maximumSize(maximumTables)
                // a TTL of zero caches nothing, and concurrent loads still share their result, as with Guava's builder
                .shareResultsAndFailuresEvenIfDisabled()
                .build();
    }

    /**
     * The snapshot of the asset's table at the version.
     */
    public IcebergSnapshot snapshot(RegisteredAsset asset, TableVersion version)
            throws IcebergTableException
    {
        Table table = table(asset);
        try {
            return switch (version) {
                case TableVersion.Latest _ -> new IcebergSnapshot(table, Optional.ofNullable(table.currentSnapshot()), table.schema());
                case TableVersion.AtVersion(long snapshotId) -> {
                    Snapshot snapshot = table.snapshot(snapshotId);
                    if (snapshot == null) {
                        throw new IcebergTableException("the Iceberg table %s has no snapshot %s".formatted(table.name(), snapshotId), null);
                    }
                    yield new IcebergSnapshot(table, Optional.of(snapshot), SnapshotUtil.schemaFor(table, snapshotId));
                }
                case TableVersion.AtTimestamp(long epochMillis) -> {
                    long snapshotId;
                    try {
                        snapshotId = SnapshotUtil.snapshotIdAsOfTime(table, epochMillis);
                    }
                    catch (IllegalArgumentException e) {
                        throw new IcebergTableException("the Iceberg table %s has no snapshot at or before %s".formatted(table.name(), Instant.ofEpochMilli(epochMillis)), e);
                    }
                    yield new IcebergSnapshot(table, Optional.of(table.snapshot(snapshotId)), SnapshotUtil.schemaFor(table, snapshotId));
                }
                case TableVersion.AtReference(String name) -> {
                    SnapshotRef reference = table.refs().get(name);
                    if (reference == null) {
                        throw new IcebergTableException("the Iceberg table %s has no branch or tag '%s'".formatted(table.name(), name), null);
                    }
                    yield new IcebergSnapshot(table, Optional.of(table.snapshot(reference.snapshotId())), SnapshotUtil.schemaFor(table, name));
                }
            };
        }
        catch (RuntimeException e) {
            throw new IcebergTableException("cannot read the metadata of the Iceberg table %s: %s".formatted(table.name(), describe(e)), e);
        }
    }

    /**
     * The asset's table as last loaded, or loaded now when that is longer ago than the cache allows.
     */
    public Table table(RegisteredAsset asset)
            throws IcebergTableException
    {
        Object key = List.of(asset.location().isPresent() ? asset.location().orElseThrow() : asset.catalogTable().orElseThrow(), asset.storage());
        try {
            return tables.get(key, () -> load(asset));
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof IcebergTableException tableException) {
                throw tableException;
            }
            throw new IcebergTableException(describe(e.getCause()), e.getCause());
        }
    }

    private Table load(RegisteredAsset asset)
            throws IcebergTableException
    {
        Table table = asset.location().isPresent()
                ? loadFromLocation(asset.location().orElseThrow(), fileSystems.forStorage(asset.storage()))
                : loadFromCatalog(asset.catalogTable().orElseThrow(), asset.storage());
        TableMetadata metadata = ((HasTableOperations) table).operations().current();
        if (metadata.formatVersion() > MAX_FORMAT_VERSION) {
            throw new IcebergTableException("the Iceberg table %s has format version %s; the mesh reads format versions 1 and %s".formatted(table.name(), metadata.formatVersion(), MAX_FORMAT_VERSION), null);
        }
        return table;
    }

    private Table loadFromCatalog(CatalogTable catalogTable, Optional<String> storage)
            throws IcebergTableException
    {
        TableIdentifier identifier = TableIdentifier.of(Namespace.of(catalogTable.namespace().toArray(String[]::new)), catalogTable.name());
        try {
            return catalogs.catalog(catalogTable.catalog(), storage).loadTable(identifier);
        }
        catch (NoSuchTableException e) {
            throw new IcebergTableException("the %s does not exist".formatted(catalogTable), e);
        }
        catch (RuntimeException e) {
            throw new IcebergTableException("cannot load the %s: %s".formatted(catalogTable, describe(e)), e);
        }
    }

    private Table loadFromLocation(Location location, TrinoFileSystem fileSystem)
            throws IcebergTableException
    {
        String metadataFile = metadataFile(location, fileSystem);
        try {
            StaticTableOperations operations = new StaticTableOperations(metadataFile, new TrinoIcebergFileIO(fileSystem));
            operations.current();
            return new BaseTable(operations, location.toString());
        }
        catch (NotFoundException e) {
            throw new IcebergTableException("the Iceberg metadata file %s does not exist".formatted(metadataFile), e);
        }
        catch (RuntimeException e) {
            throw new IcebergTableException("cannot read the Iceberg metadata file %s: %s".formatted(metadataFile, describe(e)), e);
        }
    }

    /**
     * The newest metadata file of a table folder: the one version-hint.text names, else the one with
     * the highest version number; or the location itself when it names a metadata file.
     */
    private String metadataFile(Location location, TrinoFileSystem fileSystem)
            throws IcebergTableException
    {
        if (METADATA_FILE.matcher(location.fileName()).matches()) {
            return location.toString();
        }
        Location metadataDirectory = location.appendPath("metadata");
        try {
            TrinoInputFile hint = fileSystem.newInputFile(metadataDirectory.appendPath("version-hint.text"));
            if (hint.exists()) {
                try (InputStream stream = hint.newStream()) {
                    String version = new String(stream.readAllBytes(), UTF_8).strip();
                    Location hinted = metadataDirectory.appendPath("v" + version + ".metadata.json");
                    if (fileSystem.newInputFile(hinted).exists()) {
                        return hinted.toString();
                    }
                }
            }
            Location newest = null;
            long newestVersion = -1;
            FileIterator files = fileSystem.listFiles(metadataDirectory);
            while (files.hasNext()) {
                FileEntry file = files.next();
                Matcher matcher = METADATA_FILE.matcher(file.location().fileName());
                if (matcher.matches() && Long.parseLong(matcher.group(1)) > newestVersion) {
                    newestVersion = Long.parseLong(matcher.group(1));
                    // named under the asset's location: listings may spell the scheme otherwise (local://)
                    newest = metadataDirectory.appendPath(file.location().fileName());
                }
            }
            if (newest == null) {
                throw new IcebergTableException("%s holds no Iceberg table: there is no metadata file in %s".formatted(location, metadataDirectory), null);
            }
            return newest.toString();
        }
        catch (IOException | RuntimeException e) {
            throw new IcebergTableException("cannot list the Iceberg metadata in %s: %s".formatted(metadataDirectory, describe(e)), e);
        }
    }

    /**
     * A failure in words: the message of the exception and of its causes, which for a network
     * failure is where the reason is ("Connection refused").
     */
    static String describe(Throwable failure)
    {
        StringBuilder description = new StringBuilder();
        for (Throwable current = failure; current != null; current = current.getCause()) {
            String message = current.getMessage() != null ? current.getMessage() : current.getClass().getSimpleName();
            if (description.indexOf(message) < 0) {
                if (!description.isEmpty()) {
                    description.append(": ");
                }
                description.append(message);
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return description.toString();
    }
}
