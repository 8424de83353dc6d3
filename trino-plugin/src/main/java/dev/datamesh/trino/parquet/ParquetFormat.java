package dev.datamesh.trino.parquet;

import com.google.common.cache.Cache;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import dev.datamesh.descriptor.AssetFormat;
import dev.datamesh.descriptor.AssetSchema;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.formats.parquet.MeshParquetDataSource;
import dev.datamesh.formats.parquet.ParquetSchemaConverter;
import dev.datamesh.registry.ParquetAssetFiles;
import dev.datamesh.registry.ParquetDataFile;
import dev.datamesh.registry.ParquetFileListing;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.ContractCheck;
import dev.datamesh.trino.ContractViolation;
import dev.datamesh.trino.DomainCheck;
import dev.datamesh.trino.MeshColumn;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.MeshConfig;
import dev.datamesh.trino.MeshFileSystemFactory;
import dev.datamesh.trino.MeshFormat;
import dev.datamesh.trino.MeshSplitSource;
import dev.datamesh.trino.MeshTable;
import dev.datamesh.trino.MeshTableHandle;
import dev.datamesh.trino.PartitionValues;
import dev.datamesh.trino.ReadFailures;
import dev.datamesh.trino.statistics.DataIdentity;
import io.trino.cache.EvictableCacheBuilder;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.parquet.ParquetReaderOptions;
import io.trino.parquet.metadata.ParquetMetadata;
import io.trino.parquet.reader.MetadataReader;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.DynamicFilter;
import io.trino.spi.statistics.TableStatistics;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static dev.datamesh.trino.MeshErrorCode.MESH_ASSET_UNAVAILABLE;
import static dev.datamesh.trino.MeshErrorCode.MESH_BAD_DATA;
import static io.trino.spi.StandardErrorCode.NOT_SUPPORTED;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * A folder of Parquet files, partitioned by key=value folders. The columns come from the footer of
 * the first data file and the folders; the asset's schema file, when given, adds descriptions and
 * types the partition keys. Footers are kept by file, as the folder's files may change between
 * queries; the folder is listed again for each query.
 */
public class ParquetFormat
        implements MeshFormat
{
    private static final int MAX_FILES_FOR_STATISTICS = 1000;

    private final MeshFileSystemFactory fileSystemFactory;
    private final ContractCheck contractCheck;
    private final DomainCheck domainCheck;
    private final ReadFailures failures;
    private final ParquetSchemaConverter schemaConverter;
    private final ParquetReaderOptions readerOptions = ParquetReaderOptions.defaultOptions();
    // files are immutable once written: a footer is known by location, length and modification time
    private final Cache<FooterKey, FooterSummary> footers;

    @Inject
    public ParquetFormat(MeshFileSystemFactory fileSystemFactory, TypeManager typeManager, ContractCheck contractCheck, DomainCheck domainCheck, ReadFailures failures, MeshConfig config)
    {
        this.footers = EvictableCacheBuilder.newBuilder()
                .maximumSize(config.getParquetFooterCacheSize())
                .build();
        this.fileSystemFactory = requireNonNull(fileSystemFactory, "fileSystemFactory is null");
        this.contractCheck = requireNonNull(contractCheck, "contractCheck is null");
        this.domainCheck = requireNonNull(domainCheck, "domainCheck is null");
        this.failures = requireNonNull(failures, "failures is null");
        this.schemaConverter = new ParquetSchemaConverter(typeManager.getTypeOperators());
    }

    @Override
    public AssetFormat format()
    {
        return AssetFormat.PARQUET;
    }

    @Override
    public MeshTable resolve(ConnectorSession session, RegisteredAsset asset, TableVersion version, OptionalInt schemaId)
    {
        TrinoFileSystem fileSystem = fileSystemFactory.create(session, asset.storage());
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

    @Override
    public TableVersion tableVersion(RegisteredAsset asset, ConnectorTableVersion version)
    {
        throw new TrinoException(NOT_SUPPORTED, "Table %s.%s is a %s asset, which has no versions to travel to".formatted(asset.schemaName(), asset.tableName(), format().descriptorName()));
    }

    /**
     * Its newest file.
     */
    @Override
    public Optional<Instant> latestDataTime(ConnectorSession session, RegisteredAsset asset)
    {
        return listFiles(fileSystemFactory.create(session, asset.storage()), asset).files().stream()
                .map(ParquetDataFile::lastModified)
                .max(Comparator.naturalOrder());
    }

    /**
     * From the footers of the files the handle reads; none when there are too many files to read
     * at planning time.
     */
    @Override
    public TableStatistics statistics(ConnectorSession session, RegisteredAsset asset, MeshTableHandle handle, List<MeshColumnHandle> columns)
    {
        TrinoFileSystem fileSystem = fileSystemFactory.create(session, asset.storage());
        List<ParquetDataFile> files = listFiles(fileSystem, asset).files().stream()
                .filter(file -> PartitionValues.matches(file.partitionValues(), handle.partitionConstraint(), file.location().toString()))
                .collect(toImmutableList());
        if (files.size() > MAX_FILES_FOR_STATISTICS) {
            return TableStatistics.empty();
        }
        ImmutableList.Builder<ParquetStatistics.FileStatistics> statistics = ImmutableList.builder();
        for (ParquetDataFile file : files) {
            FooterSummary footer = footer(fileSystem, asset, file);
            statistics.add(new ParquetStatistics.FileStatistics(file.location().toString(), file.partitionValues(), footer.rowCount(), footer.columns()));
        }
        return ParquetStatistics.tableStatistics(statistics.build(), columns);
    }

    /**
     * Files are skipped by a join's values only where they are partition keys.
     */
    @Override
    public FileScan scan(ConnectorSession session, RegisteredAsset asset, MeshTableHandle table, Constraint pruning, DynamicFilter dynamicFilter, boolean dynamicFiltering)
    {
        TrinoFileSystem fileSystem = fileSystemFactory.create(session, asset.storage());
        Iterator<MeshSplitSource.DataFile> files = listFiles(fileSystem, asset).files().stream()
                .filter(file -> PartitionValues.matches(file.partitionValues(), file.location().toString(), table.partitionConstraint(), pruning))
                .map(file -> new MeshSplitSource.DataFile(file.location().toString(), file.length(), file.partitionValues(), Optional.empty(), Optional.empty(),
                        filter -> PartitionValues.matches(file.partitionValues(), filter, file.location().toString())))
                .iterator();
        return new FileScan(files, () -> {}, false);
    }

    @Override
    public DataIdentity dataIdentity(ConnectorSession session, RegisteredAsset asset, MeshTableHandle handle)
    {
        return DataIdentity.parquet(listFiles(fileSystemFactory.create(session, asset.storage()), asset).files());
    }

    private ParquetFileListing listFiles(TrinoFileSystem fileSystem, RegisteredAsset asset)
    {
        ParquetFileListing listing;
        try {
            listing = ParquetAssetFiles.list(fileSystem, asset.storageLocation());
        }
        catch (IOException | RuntimeException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot list the files of %s at %s: %s".formatted(asset.displayName(), asset.storageLocation(), failures.explain(asset, e)), e);
        }
        // a folder of the domain's can hold a symbolic link to another domain's file
        listing.files().forEach(file -> domainCheck.checkInDomain(asset, file.location().toString()));
        return listing;
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
            throw new TrinoException(MESH_BAD_DATA, "Cannot read the Parquet footer of %s in %s: %s".formatted(file.location(), asset.displayName(), failures.explain(asset, cause)), cause);
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
