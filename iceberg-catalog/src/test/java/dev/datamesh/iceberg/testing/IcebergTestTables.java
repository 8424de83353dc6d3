package dev.datamesh.iceberg.testing;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.descriptor.SourcePosition;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.TrinoIcebergFileIO;
import dev.datamesh.registry.StorageFileSystems;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.LocationProviders;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static dev.datamesh.registry.testing.TestFiles.localFileSystem;
import static dev.datamesh.registry.testing.TestFiles.location;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static java.util.function.Function.identity;

/**
 * Iceberg tables for tests, written by Iceberg's own Parquet writers through {@link TrinoIcebergFileIO}
 * on the local file system (never Hadoop's): tables in a catalog or in a folder, appends, position
 * deletes and equality deletes, each its own commit.
 */
public final class IcebergTestTables
{
    private static final SourcePosition TEST_POSITION = SourcePosition.startOf(Path.of("test-descriptor.yaml"));

    private IcebergTestTables() {}

    public static FileIO localFileIO()
    {
        return new TrinoIcebergFileIO(localFileSystem());
    }

    /**
     * Catalogs on the local file system that create the SQLite file of a JDBC catalog when it is
     * missing, for tests that write tables.
     */
    public static IcebergCatalogs writingCatalogs()
    {
        return new IcebergCatalogs(StorageFileSystems.of(localFileSystem()), ImmutableMap.of(), true);
    }

    /**
     * Catalogs on the local file system as the connector opens them (a missing SQLite file is an
     * error), with the catalogs the platform declares, each by its name.
     */
    public static IcebergCatalogs readingCatalogs(IcebergCatalogDescriptor... declared)
    {
        return new IcebergCatalogs(StorageFileSystems.of(localFileSystem()), Arrays.stream(declared).collect(toImmutableMap(IcebergCatalogDescriptor::name, identity())), false);
    }

    /**
     * A JDBC catalog in a SQLite file, with its warehouse (where new tables go) in a local folder,
     * as a descriptor keeps it.
     */
    public static IcebergCatalogDescriptor jdbcCatalog(String name, Path sqliteFile, Path warehouse)
    {
        return new IcebergCatalogDescriptor(
                IcebergCatalogDescriptor.Type.JDBC,
                name,
                Optional.of("jdbc:sqlite:" + sqliteFile.toAbsolutePath().normalize()),
                Optional.of(location(warehouse).toString()),
                Optional.empty(),
                Optional.empty(),
                ImmutableMap.of(),
                TEST_POSITION.toString());
    }

    /**
     * A REST catalog as the platform declares it, with its credential (client_id:secret) or token.
     */
    public static IcebergCatalogDescriptor restCatalog(String name, URI uri, Optional<String> credential, Optional<String> token)
    {
        return new IcebergCatalogDescriptor(
                IcebergCatalogDescriptor.Type.REST,
                name,
                Optional.of(uri.toString()),
                Optional.empty(),
                credential,
                token,
                ImmutableMap.of(),
                "mesh.iceberg-catalog." + name);
    }

    /**
     * Creates a table in a catalog, and its namespace when missing.
     */
    public static Table createTable(Catalog catalog, String namespace, String name, Schema schema, PartitionSpec spec, Map<String, String> properties)
    {
        Namespace icebergNamespace = Namespace.of(namespace.split("\\."));
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(icebergNamespace)) {
            namespaces.createNamespace(icebergNamespace);
        }
        return catalog.createTable(TableIdentifier.of(icebergNamespace, name), schema, spec, withDefaultFormatVersion(properties));
    }

    /**
     * Creates an unpartitioned table of format version 2 in a catalog.
     */
    public static Table createTable(Catalog catalog, String namespace, String name, Schema schema)
    {
        return createTable(catalog, namespace, name, schema, PartitionSpec.unpartitioned(), ImmutableMap.of());
    }

    /**
     * Creates a path-based table in a folder, laid out as Iceberg's Hadoop tables are
     * (metadata/v1.metadata.json, v2, ..., with metadata/version-hint.text naming the newest when
     * asked), but written through {@link TrinoIcebergFileIO}. Every commit of the returned table
     * writes the next metadata file.
     */
    public static Table createFolderTable(Path folder, Schema schema, PartitionSpec spec, Map<String, String> properties, boolean writeVersionHint)
    {
        String tableLocation = location(folder).toString();
        FolderTableOperations operations = new FolderTableOperations(localFileIO(), tableLocation, writeVersionHint);
        operations.commit(null, TableMetadata.newTableMetadata(schema, spec, SortOrder.unsorted(), tableLocation, withDefaultFormatVersion(properties)));
        return new BaseTable(operations, tableLocation);
    }

    /**
     * Creates an unpartitioned path-based table of format version 2 in a folder.
     */
    public static Table createFolderTable(Path folder, Schema schema, boolean writeVersionHint)
    {
        return createFolderTable(folder, schema, PartitionSpec.unpartitioned(), ImmutableMap.of(), writeVersionHint);
    }

    /**
     * The metadata file the table's current state was read from or written to.
     */
    public static String currentMetadataFile(Table table)
    {
        return ((HasTableOperations) table).operations().current().metadataFileLocation();
    }

    public static Record record(Schema schema, Object... values)
    {
        checkArgument(values.length == schema.columns().size(), "%s values for the %s columns of %s", values.length, schema.columns().size(), schema);
        GenericRecord record = GenericRecord.create(schema);
        for (int i = 0; i < values.length; i++) {
            record.set(i, values[i]);
        }
        return record;
    }

    /**
     * Records of the table's current schema, one per row of values.
     */
    public static List<Record> records(Table table, Object[]... rows)
    {
        ImmutableList.Builder<Record> records = ImmutableList.builder();
        for (Object[] row : rows) {
            records.add(record(table.schema(), row));
        }
        return records.build();
    }

    public static List<DataFile> append(Table table, Record... records)
    {
        return append(table, List.of(records));
    }

    /**
     * Appends the records in one commit, one Parquet data file per partition of the table's current
     * spec, and returns the data files written, in the order their partitions first appear. Records
     * hold Iceberg's generic values (LocalDate, OffsetDateTime, ByteBuffer, ...).
     */
    public static List<DataFile> append(Table table, List<Record> records)
    {
        ImmutableList.Builder<DataFile> files = ImmutableList.builder();
        var append = table.newAppend();
        for (Map.Entry<StructLike, List<Record>> partition : partitions(table.spec(), table.schema(), records).entrySet()) {
            OutputFile output = table.io().newOutputFile(table.locationProvider().newDataLocation(table.spec(), partition.getKey(), "data-" + UUID.randomUUID() + ".parquet"));
            try {
                DataWriter<Record> writer = Parquet.writeData(output)
                        .schema(table.schema())
                        .createWriterFunc(GenericParquetWriter::create)
                        .setAll(table.properties())
                        .withSpec(table.spec())
                        .withPartition(table.spec().isUnpartitioned() ? null : partition.getKey())
                        .overwrite()
                        .build();
                try (writer) {
                    partition.getValue().forEach(writer::write);
                }
                files.add(writer.toDataFile());
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<DataFile> written = files.build();
        written.forEach(append::appendFile);
        append.commit();
        return written;
    }

    /**
     * Deletes rows of a data file by their positions (from 0), in one commit.
     */
    public static DeleteFile deletePositions(Table table, DataFile dataFile, long... positions)
    {
        PartitionSpec spec = table.specs().get(dataFile.specId());
        OutputFile output = table.io().newOutputFile(table.locationProvider().newDataLocation(spec, dataFile.partition(), "position-delete-" + UUID.randomUUID() + ".parquet"));
        try {
            PositionDeleteWriter<Record> writer = Parquet.writeDeletes(output)
                    .setAll(table.properties())
                    .withSpec(spec)
                    .withPartition(spec.isUnpartitioned() ? null : dataFile.partition())
                    .overwrite()
                    .buildPositionWriter();
            try (writer) {
                PositionDelete<Record> delete = PositionDelete.create();
                for (long position : positions) {
                    writer.write(delete.set(dataFile.location(), position, null));
                }
            }
            DeleteFile deleteFile = writer.toDeleteFile();
            table.newRowDelta().addDeletes(deleteFile).commit();
            return deleteFile;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes every row whose key columns hold the values of one of the keys, in one commit. The key
     * schema is a projection of the table's schema (same field ids); in a partitioned table it must
     * hold the partition's source columns, and one delete file is written per partition.
     */
    public static List<DeleteFile> deleteEqual(Table table, Schema keySchema, List<Record> keys)
    {
        PartitionSpec spec = table.spec();
        List<Integer> equalityFieldIds = keySchema.columns().stream().map(Types.NestedField::fieldId).toList();
        ImmutableList.Builder<DeleteFile> files = ImmutableList.builder();
        RowDelta rowDelta = table.newRowDelta();
        for (Map.Entry<StructLike, List<Record>> partition : partitions(spec, keySchema, keys).entrySet()) {
            OutputFile output = table.io().newOutputFile(table.locationProvider().newDataLocation(spec, partition.getKey(), "equality-delete-" + UUID.randomUUID() + ".parquet"));
            try {
                EqualityDeleteWriter<Record> writer = Parquet.writeDeletes(output)
                        .forTable(table)
                        .withSpec(spec)
                        .withPartition(spec.isUnpartitioned() ? null : partition.getKey())
                        .rowSchema(keySchema)
                        .equalityFieldIds(equalityFieldIds)
                        .createWriterFunc(GenericParquetWriter::create)
                        .overwrite()
                        .buildEqualityWriter();
                try (writer) {
                    partition.getValue().forEach(writer::write);
                }
                DeleteFile deleteFile = writer.toDeleteFile();
                rowDelta.addDeletes(deleteFile);
                files.add(deleteFile);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        rowDelta.commit();
        return files.build();
    }

    private static Map<StructLike, List<Record>> partitions(PartitionSpec spec, Schema schema, List<Record> records)
    {
        Map<StructLike, List<Record>> partitions = new LinkedHashMap<>();
        PartitionKey key = new PartitionKey(spec, schema);
        InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
        for (Record record : records) {
            key.partition(wrapper.wrap(record));
            partitions.computeIfAbsent(key.copy(), _ -> new ArrayList<>()).add(record);
        }
        return partitions;
    }

    private static Map<String, String> withDefaultFormatVersion(Map<String, String> properties)
    {
        Map<String, String> withDefault = new LinkedHashMap<>(properties);
        withDefault.putIfAbsent(TableProperties.FORMAT_VERSION, "2");
        return withDefault;
    }

    /**
     * A table in a folder, committed as Hadoop tables are ({@code v<N>.metadata.json} and
     * version-hint.text) but through any FileIO. Only this object commits to the folder.
     */
    private static final class FolderTableOperations
            implements TableOperations
    {
        private final FileIO io;
        private final String tableLocation;
        private final boolean writeVersionHint;
        private TableMetadata current;
        private int version;

        private FolderTableOperations(FileIO io, String tableLocation, boolean writeVersionHint)
        {
            this.io = requireNonNull(io, "io is null");
            this.tableLocation = requireNonNull(tableLocation, "tableLocation is null");
            this.writeVersionHint = writeVersionHint;
        }

        @Override
        public synchronized TableMetadata current()
        {
            return current;
        }

        @Override
        public synchronized TableMetadata refresh()
        {
            return current;
        }

        @Override
        public synchronized void commit(TableMetadata base, TableMetadata metadata)
        {
            if (base != current) {
                throw new CommitFailedException("Cannot commit to %s: the table changed since the commit began", tableLocation);
            }
            int next = version + 1;
            String metadataFile = metadataFileLocation("v" + next + ".metadata.json");
            TableMetadataParser.write(metadata, io.newOutputFile(metadataFile));
            if (writeVersionHint) {
                try (PositionOutputStream stream = io.newOutputFile(metadataFileLocation("version-hint.text")).createOrOverwrite()) {
                    stream.write(String.valueOf(next).getBytes(UTF_8));
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            current = TableMetadataParser.read(io, metadataFile);
            version = next;
        }

        @Override
        public FileIO io()
        {
            return io;
        }

        @Override
        public String metadataFileLocation(String fileName)
        {
            return tableLocation + "/metadata/" + fileName;
        }

        @Override
        public LocationProvider locationProvider()
        {
            return LocationProviders.locationsFor(current().location(), current().properties());
        }
    }
}
