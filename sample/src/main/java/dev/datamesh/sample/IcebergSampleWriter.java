package dev.datamesh.sample;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.IcebergTableException;
import dev.datamesh.registry.StorageFileSystems;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

/**
 * Writes the logistics domain's shipments as an Iceberg table in the embedded JDBC catalog (a
 * SQLite file), with Iceberg's own Parquet writers: hidden partitioning by month(shipped_at), and
 * two snapshots, the first tagged so that time travel has a fixed name to show.
 */
final class IcebergSampleWriter
{
    static final String NAMESPACE = "logistics";
    static final String TABLE = "shipments";

    static final Schema SCHEMA = new Schema(
            required(1, "shipment_id", Types.LongType.get(), "Shipment number"),
            required(2, "order_id", Types.LongType.get()),
            optional(3, "customer_id", Types.LongType.get()),
            optional(4, "carrier", Types.StringType.get()),
            optional(5, "shipped_at", Types.TimestampType.withZone()),
            optional(6, "delivered_at", Types.TimestampType.withZone()),
            optional(7, "status", Types.StringType.get()),
            optional(8, "weight_kg", Types.DecimalType.of(8, 2)),
            optional(9, "destination_country", Types.StringType.get()));

    private final Catalog catalog;

    /**
     * The table in the catalog iceberg_catalog.db of the domain's folder, its files in warehouse/ beside it.
     */
    static IcebergSampleWriter local(Path domainDirectory)
            throws IOException
    {
        return new IcebergSampleWriter(
                domainDirectory.resolve("iceberg_catalog.db"),
                "file://" + domainDirectory.resolve("warehouse"),
                new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("sample")));
    }

    /**
     * @param catalogFile the SQLite file of the catalog
     * @param warehouse where the table's files go, read and written through the file system
     */
    IcebergSampleWriter(Path catalogFile, String warehouse, TrinoFileSystem fileSystem)
            throws IOException
    {
        requireNonNull(catalogFile, "catalogFile is null");
        Files.createDirectories(catalogFile.toAbsolutePath().getParent());
        IcebergCatalogDescriptor descriptor = new IcebergCatalogDescriptor(
                IcebergCatalogDescriptor.Type.JDBC,
                IcebergCatalogDescriptor.DEFAULT_NAME,
                Optional.of("jdbc:sqlite:" + catalogFile.toAbsolutePath()),
                Optional.of(warehouse),
                Optional.empty(),
                Optional.empty(),
                ImmutableMap.of(),
                catalogFile.toString());
        try {
            this.catalog = new IcebergCatalogs(StorageFileSystems.of(fileSystem), ImmutableMap.of(), true)
                    .catalog(descriptor);
        }
        catch (IcebergTableException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    void write(List<SampleMesh.Shipment> firstLoad, List<SampleMesh.Shipment> secondLoad, String firstLoadTag)
    {
        ((SupportsNamespaces) catalog).createNamespace(Namespace.of(NAMESPACE));
        Table table = catalog.createTable(
                TableIdentifier.of(NAMESPACE, TABLE),
                SCHEMA,
                PartitionSpec.builderFor(SCHEMA).month("shipped_at").build(),
                ImmutableMap.of(
                        TableProperties.FORMAT_VERSION, "2",
                        TableProperties.PARQUET_COMPRESSION, "snappy"));
        append(table, firstLoad, "first");
        table.manageSnapshots().createTag(firstLoadTag, table.currentSnapshot().snapshotId()).commit();
        append(table, secondLoad, "second");
    }

    private static void append(Table table, List<SampleMesh.Shipment> shipments, String load)
    {
        Map<StructLike, List<Record>> partitions = new LinkedHashMap<>();
        PartitionKey key = new PartitionKey(table.spec(), table.schema());
        InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
        for (SampleMesh.Shipment shipment : shipments) {
            Record record = GenericRecord.create(table.schema());
            record.setField("shipment_id", shipment.shipmentId());
            record.setField("order_id", shipment.orderId());
            record.setField("customer_id", shipment.customerId());
            record.setField("carrier", shipment.carrier());
            record.setField("shipped_at", shipment.shippedAt());
            record.setField("delivered_at", shipment.deliveredAt().orElse(null));
            record.setField("status", shipment.status());
            record.setField("weight_kg", shipment.weightKg());
            record.setField("destination_country", shipment.destinationCountry());
            key.partition(wrapper.wrap(record));
            partitions.computeIfAbsent(key.copy(), _ -> new ArrayList<>()).add(record);
        }
        AppendFiles append = table.newAppend();
        for (Map.Entry<StructLike, List<Record>> partition : partitions.entrySet()) {
            OutputFile output = table.io().newOutputFile(table.locationProvider().newDataLocation(table.spec(), partition.getKey(), "%s-load.parquet".formatted(load)));
            DataFile file;
            try (DataWriter<Record> writer = Parquet.writeData(output)
                    .schema(table.schema())
                    .setAll(table.properties())
                    .createWriterFunc(GenericParquetWriter::create)
                    .withSpec(table.spec())
                    .withPartition(partition.getKey())
                    .overwrite()
                    .build()) {
                partition.getValue().forEach(writer::write);
                writer.close();
                file = writer.toDataFile();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            append.appendFile(file);
        }
        append.commit();
    }
}
