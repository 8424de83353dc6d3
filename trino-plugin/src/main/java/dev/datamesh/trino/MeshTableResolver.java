package dev.datamesh.trino;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import dev.datamesh.descriptor.AssetSchema;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.iceberg.IcebergSnapshot;
import dev.datamesh.iceberg.IcebergTableException;
import dev.datamesh.iceberg.IcebergTables;
import dev.datamesh.registry.ParquetAssetFiles;
import dev.datamesh.registry.ParquetDataFile;
import dev.datamesh.registry.ParquetFileListing;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.delta.DeltaDataFile;
import dev.datamesh.trino.delta.DeltaSnapshot;
import dev.datamesh.trino.delta.DeltaTableException;
import dev.datamesh.trino.delta.DeltaTableLoader;
import dev.datamesh.trino.delta.DeltaTypeConverter;
import dev.datamesh.trino.iceberg.IcebergTypeConverter;
import dev.datamesh.trino.parquet.MeshParquetDataSource;
import dev.datamesh.trino.parquet.ParquetSchemaConverter;
import dev.datamesh.trino.parquet.ParquetStatistics;
import io.delta.kernel.types.StructField;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.parquet.ParquetReaderOptions;
import io.trino.parquet.metadata.ParquetMetadata;
import io.trino.parquet.reader.MetadataReader;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static dev.datamesh.trino.MeshErrorCode.MESH_ASSET_UNAVAILABLE;
import static dev.datamesh.trino.MeshErrorCode.MESH_BAD_DATA;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * Resolves a registered asset to the table a query sees. For Parquet the columns come from the
 * footer of the first data file and the key=value folders; for Delta from the snapshot's schema.
 * The asset's schema file, when given, adds descriptions (and types Parquet partition keys), and
 * any disagreement with the data is a contract violation that fails queries on the asset rather
 * than serving data nobody agreed to.
 */
public class MeshTableResolver
{
    private static final int MAX_FILES_FOR_STATISTICS = 1000;

    private final MeshFileSystemFactory fileSystemFactory;
    private final AssetErrors assetErrors;
    private final ContractCheck contractCheck;
    private final DomainCheck domainCheck;
    private final ReadFailures failures;
    private final ParquetSchemaConverter schemaConverter;
    private final DeltaTypeConverter deltaTypes;
    private final IcebergTables icebergTables;
    private final IcebergTypeConverter icebergTypes;
    private final ParquetReaderOptions readerOptions = ParquetReaderOptions.defaultOptions();
    // files are immutable once written: a footer is known by location, length and modification time
    private final Cache<FooterKey, FooterSummary> footers = CacheBuilder.newBuilder()
            .maximumSize(10_000)
            .build();
    // weighed by files: a replayed snapshot holds about 1.3 KB per live file
    private final Cache<DeltaSnapshotKey, DeltaSnapshot> deltaSnapshots;
    private final Cache<String, DeltaCommit> latestDeltaCommits = CacheBuilder.newBuilder()
            .maximumSize(10_000)
            .build();

    @Inject
    public MeshTableResolver(MeshFileSystemFactory fileSystemFactory, TypeManager typeManager, IcebergTables icebergTables, AssetErrors assetErrors, MeshConfig config, ContractCheck contractCheck, DomainCheck domainCheck, ReadFailures failures)
    {
        this.contractCheck = requireNonNull(contractCheck, "contractCheck is null");
        this.domainCheck = requireNonNull(domainCheck, "domainCheck is null");
        this.failures = requireNonNull(failures, "failures is null");
        this.assetErrors = requireNonNull(assetErrors, "assetErrors is null");
        this.fileSystemFactory = requireNonNull(fileSystemFactory, "fileSystemFactory is null");
        this.icebergTables = requireNonNull(icebergTables, "icebergTables is null");
        this.icebergTypes = new IcebergTypeConverter(typeManager.getTypeOperators());
        this.schemaConverter = new ParquetSchemaConverter(typeManager.getTypeOperators());
        this.deltaTypes = new DeltaTypeConverter(typeManager.getTypeOperators());
        this.deltaSnapshots = deltaSnapshotCache(config.getDeltaSnapshotCacheFiles());
    }

    /**
     * Replayed Delta versions, bounded by the live files they list.
     */
    static Cache<DeltaSnapshotKey, DeltaSnapshot> deltaSnapshotCache(long maxFiles)
    {
        return CacheBuilder.newBuilder()
                // Guava splits a weight bound between its segments: one segment, so that a version
                // listing as many files as the whole bound still fits
                .concurrencyLevel(1)
                .maximumWeight(maxFiles)
                .<DeltaSnapshotKey, DeltaSnapshot>weigher((_, snapshot) -> snapshot.files().size() + 1)
                .build();
    }

    /**
     * The asset at a version; an Iceberg asset with the schema of the given id when there is one,
     * else with the schema the version has (the current schema for the latest state and for
     * branches, the snapshot's own schema for a snapshot id, tag or timestamp).
     */
    public MeshTable resolve(ConnectorSession session, RegisteredAsset asset, TableVersion version, OptionalInt icebergSchemaId)
    {
        return recordingErrors(asset, () -> contractCheck.enforce(resolveVersion(session, asset, version, icebergSchemaId)));
    }

    /**
     * The asset's latest table as its data is, with how it departs from its column contract,
     * whatever the contract mode: what the catalog's tables describe, quarantined tables included.
     */
    public MeshTable inspect(ConnectorSession session, RegisteredAsset asset)
    {
        return recordingErrors(asset, () -> resolveVersion(session, asset, TableVersion.LATEST, OptionalInt.empty()));
    }

    // whatever reads a table, its failure is the table's last error, shown with its SLA status
    private <T> T recordingErrors(RegisteredAsset asset, Supplier<T> read)
    {
        try {
            return read.get();
        }
        catch (TrinoException e) {
            assetErrors.record(new SchemaTableName(asset.schemaName(), asset.tableName()), e.getMessage());
            throw e;
        }
    }

    private MeshTable resolveVersion(ConnectorSession session, RegisteredAsset asset, TableVersion version, OptionalInt icebergSchemaId)
    {
        TrinoFileSystem fileSystem = fileSystemFactory.create(session, asset.storage());
        return switch (asset.asset().format()) {
            case PARQUET -> resolveParquet(fileSystem, asset);
            case DELTA -> {
                DeltaSnapshot snapshot = loadDelta(fileSystem, asset, version);
                try {
                    yield resolveDelta(asset, snapshot);
                }
                catch (TrinoException e) {
                    throw naming(asset, e);
                }
            }
            case ICEBERG -> {
                IcebergSnapshot snapshot = icebergSchemaId.isPresent()
                        ? loadIceberg(asset, version, icebergSchemaId.getAsInt())
                        : loadIceberg(asset, version);
                try {
                    yield resolveIceberg(asset, snapshot);
                }
                catch (TrinoException e) {
                    throw naming(asset, e);
                }
            }
        };
    }

    private TrinoException naming(RegisteredAsset asset, TrinoException e)
    {
        return failures.naming(asset, e);
    }

    /**
     * Why reading the asset failed, naming the properties of its storage to check.
     */
    public String explain(RegisteredAsset asset, Throwable failure)
    {
        return failures.explain(asset, failure);
    }

    /**
     * The snapshot of an Iceberg asset at a version; the table is reloaded when the cached one is
     * older than mesh.iceberg.metadata-cache-ttl.
     */
    private IcebergSnapshot loadIceberg(RegisteredAsset asset, TableVersion version)
    {
        IcebergSnapshot snapshot;
        try {
            snapshot = icebergTables.snapshot(asset, version);
        }
        catch (IcebergTableException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: %s".formatted(asset.displayName(), explain(asset, e)), e);
        }
        // where the catalog or the metadata says the table lives, before its manifests are read
        checkInDomain(asset, snapshot.table().location());
        return snapshot;
    }

    /**
     * The snapshot an Iceberg table handle reads, with the schema its columns were resolved with.
     */
    public IcebergSnapshot loadIceberg(RegisteredAsset asset, TableVersion version, int schemaId)
    {
        IcebergSnapshot snapshot = loadIceberg(asset, version);
        Schema schema = snapshot.table().schemas().get(schemaId);
        if (schema == null) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: schema %s, which the query was planned with, has been removed from the table's metadata; run the query again".formatted(asset.displayName(), schemaId));
        }
        return new IcebergSnapshot(snapshot.table(), snapshot.snapshot(), schema);
    }

    private MeshTable resolveIceberg(RegisteredAsset asset, IcebergSnapshot snapshot)
    {
        List<MeshColumn> columns = new ArrayList<>();
        Set<String> nullable = new HashSet<>();
        Map<String, String> icebergNameBySqlName = new HashMap<>();
        for (Types.NestedField field : snapshot.schema().columns()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            String previous = icebergNameBySqlName.putIfAbsent(name, field.name());
            if (previous != null) {
                throw new TrinoException(MESH_BAD_DATA, "the Iceberg table has columns '%s' and '%s', which differ only in case; SQL cannot tell them apart".formatted(previous, field.name()));
            }
            Type type = icebergTypes.toTrinoType(field.type(), name);
            Optional<String> description = asset.declaredSchema().flatMap(schema -> schema.column(name)).flatMap(DeclaredColumn::description).or(() -> Optional.ofNullable(field.doc()));
            columns.add(new MeshColumn(MeshColumnHandle.icebergColumn(name, type, IcebergTypeConverter.identity(field)), description));
            if (field.isOptional()) {
                nullable.add(name);
            }
        }
        List<ContractViolation> violations = contractCheck.violations(asset, columns, "the table schema", Optional.of(nullable));
        return new MeshTable(asset, columns, snapshot.snapshotId().map(OptionalLong::of).orElseGet(OptionalLong::empty), OptionalInt.of(snapshot.schema().schemaId()), violations);
    }

    /**
     * When the asset's data last changed: its newest file for Parquet, its latest commit for
     * Delta, its current snapshot for Iceberg; empty for an asset with no data yet.
     */
    public Optional<Instant> latestDataTime(ConnectorSession session, RegisteredAsset asset)
    {
        return recordingErrors(asset, () -> switch (asset.asset().format()) {
            case PARQUET -> listFiles(fileSystemFactory.create(session, asset.storage()), asset).files().stream()
                    .map(ParquetDataFile::lastModified)
                    .max(Comparator.naturalOrder());
            case DELTA -> Optional.of(Instant.ofEpochMilli(loadDelta(fileSystemFactory.create(session, asset.storage()), asset, TableVersion.LATEST).timestampMillis()));
            case ICEBERG -> loadIceberg(asset, TableVersion.LATEST).snapshot().map(snapshot -> Instant.ofEpochMilli(snapshot.timestampMillis()));
        });
    }

    /**
     * Fails the read of a file outside the data locations of the domain that owns the asset (its
     * owner's, for a shared asset): a Delta log or Iceberg metadata can name files anywhere, a
     * catalog can report any table location, and a folder can hold a symbolic link.
     */
    public void checkInDomain(RegisteredAsset asset, String file)
    {
        domainCheck.checkInDomain(asset, file);
    }

    public ParquetFileListing listFiles(TrinoFileSystem fileSystem, RegisteredAsset asset)
    {
        ParquetFileListing listing;
        try {
            listing = ParquetAssetFiles.list(fileSystem, asset.storageLocation());
        }
        catch (IOException | RuntimeException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot list the files of %s at %s: %s".formatted(asset.displayName(), asset.storageLocation(), explain(asset, e)), e);
        }
        // a folder of the domain's can hold a symbolic link to another domain's file
        listing.files().forEach(file -> checkInDomain(asset, file.location().toString()));
        return listing;
    }

    /**
     * The snapshot at a version; numbered versions never change, so they are replayed once and
     * kept, and a query's metadata, splits and statistics share one replay. The latest state is
     * the kept replay of the version last seen as latest, as long as no commit followed it.
     */
    public DeltaSnapshot loadDelta(TrinoFileSystem fileSystem, RegisteredAsset asset, TableVersion version)
    {
        String location = asset.storageLocation().toString();
        DeltaTableLoader loader = new DeltaTableLoader(fileSystem);
        try {
            Optional<DeltaSnapshot> cached = switch (version) {
                case TableVersion.AtVersion _ -> Optional.ofNullable(deltaSnapshots.getIfPresent(new DeltaSnapshotKey(location, version)));
                case TableVersion.Latest _ -> Optional.ofNullable(latestDeltaCommits.getIfPresent(location))
                        .filter(latest -> loader.isLatest(asset.storageLocation(), latest.version(), latest.commitTime()))
                        .map(latest -> deltaSnapshots.getIfPresent(new DeltaSnapshotKey(location, new TableVersion.AtVersion(latest.version()))));
                default -> Optional.empty();
            };
            if (cached.isPresent()) {
                return cached.get();
            }
            DeltaSnapshot snapshot = loader.load(asset.storageLocation(), version);
            // a log can add files, and deletion vectors, by absolute path: checked once per version read
            for (DeltaDataFile file : snapshot.files()) {
                checkInDomain(asset, file.location().toString());
                file.deletionVector()
                        .filter(deletionVector -> deletionVector.storageType().equals("p"))
                        .ifPresent(deletionVector -> checkInDomain(asset, deletionVector.pathOrInlineDv()));
            }
            deltaSnapshots.put(new DeltaSnapshotKey(location, new TableVersion.AtVersion(snapshot.version())), snapshot);
            if (version instanceof TableVersion.Latest) {
                loader.commitTime(asset.storageLocation(), snapshot.version())
                        .ifPresent(commitTime -> latestDeltaCommits.put(location, new DeltaCommit(snapshot.version(), commitTime)));
            }
            return snapshot;
        }
        catch (DeltaTableException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: %s".formatted(asset.displayName(), explain(asset, e)), e);
        }
        catch (UncheckedIOException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: %s".formatted(asset.displayName(), explain(asset, e.getCause())), e);
        }
    }

    private MeshTable resolveDelta(RegisteredAsset asset, DeltaSnapshot snapshot)
    {
        Set<String> partitionColumns = snapshot.partitionColumns().stream()
                .map(name -> name.toLowerCase(Locale.ROOT))
                .collect(toImmutableSet());
        List<MeshColumn> columns = new ArrayList<>();
        Set<String> nullable = new HashSet<>();
        for (StructField field : snapshot.schema().fields()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            Type type = deltaTypes.logicalType(field.getDataType(), name);
            Type fileType = deltaTypes.physicalType(field.getDataType(), snapshot.columnMapping(), name);
            Optional<String> comment = field.getMetadata().contains("comment") ? Optional.of(field.getMetadata().getString("comment")) : Optional.empty();
            Optional<String> description = asset.declaredSchema().flatMap(schema -> schema.column(name)).flatMap(DeclaredColumn::description).or(() -> comment);
            columns.add(new MeshColumn(new MeshColumnHandle(name, type, snapshot.columnMapping().physicalName(field), fileType, partitionColumns.contains(name), Optional.empty()), description));
            if (field.isNullable()) {
                nullable.add(name);
            }
        }
        List<ContractViolation> violations = contractCheck.violations(asset, columns, "the table schema", Optional.of(nullable));
        return new MeshTable(asset, columns, OptionalLong.of(snapshot.version()), OptionalInt.empty(), violations);
    }

    private MeshTable resolveParquet(TrinoFileSystem fileSystem, RegisteredAsset asset)
    {
        ParquetFileListing listing = listFiles(fileSystem, asset);
        Optional<AssetSchema> contract = asset.declaredSchema();
        List<MeshColumn> columns = new ArrayList<>();

        if (listing.files().isEmpty()) {
            AssetSchema schema = contract.orElseThrow(() -> new TrinoException(MESH_ASSET_UNAVAILABLE,
                    "%s has no data files at %s and no schema file to describe it; add data or a schema: entry to %s".formatted(asset.displayName(), asset.storageLocation(), asset.product().file())));
            for (DeclaredColumn declared : schema.columns()) {
                if (!listing.partitionKeys().contains(declared.name().toLowerCase(Locale.ROOT))) {
                    contractCheck.declaredType(declared).ifPresent(type ->
                            columns.add(new MeshColumn(MeshColumnHandle.fileColumn(declared.name().toLowerCase(Locale.ROOT), type, declared.name()), declared.description())));
                }
            }
        }
        else {
            ParquetDataFile sample = listing.files().getFirst();
            MessageType fileSchema = footer(fileSystem, asset, sample).schema();
            Map<String, String> fileNameBySqlName = new HashMap<>();
            for (org.apache.parquet.schema.Type field : fileSchema.getFields()) {
                String name = field.getName().toLowerCase(Locale.ROOT);
                if (listing.partitionKeys().contains(name)) {
                    // the folder value wins, as in Hive
                    continue;
                }
                String previous = fileNameBySqlName.putIfAbsent(name, field.getName());
                if (previous != null) {
                    throw new TrinoException(MESH_BAD_DATA, "%s: file %s has columns '%s' and '%s', which differ only in case; SQL cannot tell them apart".formatted(asset.displayName(), sample.location(), previous, field.getName()));
                }
                schemaConverter.toTrinoType(field).ifPresent(type -> columns.add(new MeshColumn(
                        MeshColumnHandle.fileColumn(name, type, field.getName()),
                        contract.flatMap(schema -> schema.column(name)).flatMap(DeclaredColumn::description))));
            }
        }

        for (String key : listing.partitionKeys()) {
            // folders hold text: the contract gives partition keys their type
            Optional<DeclaredColumn> declared = contract.flatMap(schema -> schema.column(key));
            Type type = declared.flatMap(contractCheck::declaredType).orElse(VARCHAR);
            columns.add(new MeshColumn(MeshColumnHandle.partitionKey(key, type), declared.flatMap(DeclaredColumn::description)));
        }
        // Parquet writers mark nearly every column optional: a file's schema says nothing of nulls
        List<ContractViolation> violations = contractCheck.violations(asset, columns, listing.files().isEmpty() ? "the data" : "the data (%s)".formatted(listing.files().getFirst().location()), Optional.empty());
        return new MeshTable(asset, columns, OptionalLong.empty(), OptionalInt.empty(), violations);
    }

    /**
     * What the footers of the given files record, or empty when there are too many files to read
     * at planning time.
     */
    public Optional<List<ParquetStatistics.FileStatistics>> fileStatistics(TrinoFileSystem fileSystem, RegisteredAsset asset, List<ParquetDataFile> files)
    {
        if (files.size() > MAX_FILES_FOR_STATISTICS) {
            return Optional.empty();
        }
        ImmutableList.Builder<ParquetStatistics.FileStatistics> statistics = ImmutableList.builder();
        for (ParquetDataFile file : files) {
            FooterSummary footer = footer(fileSystem, asset, file);
            statistics.add(new ParquetStatistics.FileStatistics(file.location().toString(), file.partitionValues(), footer.rowCount(), footer.columns()));
        }
        return Optional.of(statistics.build());
    }

    private FooterSummary footer(TrinoFileSystem fileSystem, RegisteredAsset asset, ParquetDataFile file)
    {
        try {
            return footers.get(new FooterKey(file.location().toString(), file.length(), file.lastModified()), () -> {
                try (MeshParquetDataSource dataSource = new MeshParquetDataSource(fileSystem.newInputFile(file.location(), file.length()), readerOptions)) {
                    ParquetMetadata metadata = MetadataReader.readFooter(dataSource, Optional.empty());
                    return new FooterSummary(metadata.getFileMetaData().getSchema(), metadata.getParquetMetadata().getNum_rows(), ParquetStatistics.columns(metadata));
                }
            });
        }
        catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TrinoException(MESH_BAD_DATA, "Cannot read the Parquet footer of %s in %s: %s".formatted(file.location(), asset.displayName(), explain(asset, cause)), cause);
        }
    }

    record DeltaSnapshotKey(String location, TableVersion version)
    {
        DeltaSnapshotKey
        {
            requireNonNull(location, "location is null");
            requireNonNull(version, "version is null");
        }
    }

    private record DeltaCommit(long version, Instant commitTime)
    {
        DeltaCommit
        {
            requireNonNull(commitTime, "commitTime is null");
        }
    }

    private record FooterSummary(MessageType schema, long rowCount, Map<String, ParquetStatistics.ColumnStatistics> columns)
    {
        FooterSummary
        {
            requireNonNull(schema, "schema is null");
            columns = ImmutableMap.copyOf(columns);
        }
    }

    private record FooterKey(String location, long length, Instant lastModified)
    {
        FooterKey
        {
            requireNonNull(location, "location is null");
            requireNonNull(lastModified, "lastModified is null");
        }
    }
}
