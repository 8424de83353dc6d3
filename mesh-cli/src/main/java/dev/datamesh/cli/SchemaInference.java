package dev.datamesh.cli;

import dev.datamesh.formats.delta.DeltaSnapshot;
import dev.datamesh.formats.delta.DeltaTableException;
import dev.datamesh.formats.delta.DeltaTableLoader;
import dev.datamesh.formats.delta.DeltaTypeConverter;
import dev.datamesh.formats.iceberg.IcebergTypeConverter;
import dev.datamesh.formats.parquet.MeshParquetDataSource;
import dev.datamesh.formats.parquet.ParquetSchemaConverter;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.IcebergTableException;
import dev.datamesh.iceberg.IcebergTables;
import dev.datamesh.registry.ParquetAssetFiles;
import dev.datamesh.registry.ParquetDataFile;
import dev.datamesh.registry.ParquetFileListing;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.StorageFileSystems;
import dev.datamesh.registry.TableVersion;
import io.delta.kernel.types.StructField;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.parquet.ParquetReaderOptions;
import io.trino.parquet.metadata.ParquetMetadata;
import io.trino.parquet.reader.MetadataReader;
import io.trino.spi.type.TypeOperators;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The columns an asset's data has, and when it last changed, read the way the connector reads
 * them (the same type mapping), without a Trino server: for scaffolding contracts and for the
 * static catalog.
 */
final class SchemaInference
        implements AutoCloseable
{
    private static final TypeOperators TYPE_OPERATORS = new TypeOperators();

    private final TrinoFileSystem fileSystem;
    private final IcebergCatalogs icebergCatalogs;
    private final IcebergTables icebergTables;

    record InferredColumn(String name, String type, boolean nullable, Optional<String> description)
    {
        InferredColumn
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(description, "description is null");
        }
    }

    SchemaInference(TrinoFileSystem fileSystem)
    {
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        // the command line knows no platform catalogs: tables of SQLite file catalogs only
        this.icebergCatalogs = IcebergCatalogs.forReading(StorageFileSystems.of(fileSystem), Map.of());
        this.icebergTables = new IcebergTables(StorageFileSystems.of(fileSystem), icebergCatalogs, Duration.ZERO, 0);
    }

    List<InferredColumn> columns(RegisteredAsset asset)
            throws IOException
    {
        return switch (asset.asset().format()) {
            case PARQUET -> parquetColumns(asset);
            case DELTA -> {
                DeltaSnapshot snapshot = deltaSnapshot(asset);
                DeltaTypeConverter types = new DeltaTypeConverter(TYPE_OPERATORS);
                List<InferredColumn> columns = new ArrayList<>();
                for (StructField field : snapshot.schema().fields()) {
                    String name = field.getName().toLowerCase(Locale.ROOT);
                    Optional<String> comment = field.getMetadata().contains("comment") ? Optional.of(field.getMetadata().getString("comment")) : Optional.empty();
                    columns.add(new InferredColumn(name, types.logicalType(field.getDataType(), name).getDisplayName(), field.isNullable(), comment));
                }
                yield columns;
            }
            case ICEBERG -> {
                IcebergTypeConverter types = new IcebergTypeConverter(TYPE_OPERATORS);
                List<InferredColumn> columns = new ArrayList<>();
                for (Types.NestedField field : icebergTable(asset).schema().columns()) {
                    String name = field.name().toLowerCase(Locale.ROOT);
                    columns.add(new InferredColumn(name, types.toTrinoType(field.type(), name).getDisplayName(), field.isOptional(), Optional.ofNullable(field.doc())));
                }
                yield columns;
            }
        };
    }

    /**
     * When the asset's data last changed, as sla_status measures it; empty without data.
     */
    Optional<Instant> latestDataTime(RegisteredAsset asset)
            throws IOException
    {
        return switch (asset.asset().format()) {
            case PARQUET -> ParquetAssetFiles.list(fileSystem, asset.storageLocation()).files().stream()
                    .map(ParquetDataFile::lastModified)
                    .max(Comparator.naturalOrder());
            case DELTA -> Optional.of(Instant.ofEpochMilli(deltaSnapshot(asset).timestampMillis()));
            case ICEBERG -> Optional.ofNullable(icebergTable(asset).currentSnapshot()).map(Snapshot::timestampMillis).map(Instant::ofEpochMilli);
        };
    }

    private List<InferredColumn> parquetColumns(RegisteredAsset asset)
            throws IOException
    {
        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, asset.storageLocation());
        if (listing.files().isEmpty()) {
            throw new IOException("no Parquet files at " + asset.storageLocation());
        }
        ParquetDataFile sample = listing.files().getFirst();
        ParquetMetadata metadata;
        try (MeshParquetDataSource dataSource = new MeshParquetDataSource(fileSystem.newInputFile(sample.location(), sample.length()), ParquetReaderOptions.defaultOptions())) {
            metadata = MetadataReader.readFooter(dataSource, Optional.empty());
        }
        ParquetSchemaConverter types = new ParquetSchemaConverter(TYPE_OPERATORS);
        List<InferredColumn> columns = new ArrayList<>();
        for (org.apache.parquet.schema.Type field : metadata.getFileMetaData().getSchema().getFields()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (!listing.partitionKeys().contains(name)) {
                types.toTrinoType(field).ifPresent(type -> columns.add(new InferredColumn(name, type.getDisplayName(), true, Optional.empty())));
            }
        }
        for (String key : listing.partitionKeys()) {
            // folder values are text; whole numbers in every folder make an integer key
            boolean integers = listing.files().stream()
                    .map(file -> file.partitionValues().get(key))
                    .allMatch(value -> value.isEmpty() || value.orElseThrow().matches("-?\\d{1,9}"));
            columns.add(new InferredColumn(key, integers ? "integer" : "varchar", true, Optional.empty()));
        }
        return columns;
    }

    private DeltaSnapshot deltaSnapshot(RegisteredAsset asset)
            throws IOException
    {
        try {
            return new DeltaTableLoader(fileSystem).load(asset.storageLocation(), TableVersion.LATEST);
        }
        catch (DeltaTableException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private Table icebergTable(RegisteredAsset asset)
            throws IOException
    {
        try {
            return icebergTables.table(asset);
        }
        catch (IcebergTableException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close()
    {
        icebergCatalogs.close();
    }
}
