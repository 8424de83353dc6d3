package dev.datamesh.trino.iceberg;

import com.google.common.collect.ImmutableList;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes test tables with Iceberg's own Parquet writers: one data file per partition of the
 * table's current spec, position deletes and equality deletes committed as row deltas.
 */
final class IcebergTableWriter
{
    private IcebergTableWriter() {}

    static Record record(Schema schema, Object... values)
    {
        GenericRecord record = GenericRecord.create(schema);
        for (int i = 0; i < values.length; i++) {
            record.set(i, values[i]);
        }
        return record;
    }

    /**
     * Appends the records in one commit and returns the data files written, in partition order.
     */
    static List<DataFile> append(Table table, List<Record> records)
    {
        Map<StructLike, List<Record>> partitions = new LinkedHashMap<>();
        PartitionKey key = new PartitionKey(table.spec(), table.schema());
        InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
        for (Record record : records) {
            key.partition(wrapper.wrap(record));
            partitions.computeIfAbsent(key.copy(), _ -> new java.util.ArrayList<>()).add(record);
        }
        ImmutableList.Builder<DataFile> files = ImmutableList.builder();
        var append = table.newAppend();
        for (Map.Entry<StructLike, List<Record>> partition : partitions.entrySet()) {
            OutputFile output = table.io().newOutputFile(table.locationProvider().newDataLocation(table.spec(), partition.getKey(), UUID.randomUUID() + ".parquet"));
            try (DataWriter<Record> writer = Parquet.writeData(output)
                    .schema(table.schema())
                    .createWriterFunc(GenericParquetWriter::create)
                    .withSpec(table.spec())
                    .withPartition(table.spec().isUnpartitioned() ? null : partition.getKey())
                    .overwrite()
                    .build()) {
                partition.getValue().forEach(writer::write);
                writer.close();
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

    static void deletePositions(Table table, DataFile dataFile, long... positions)
    {
        OutputFile output = table.io().newOutputFile(table.locationProvider().newDataLocation("delete-" + UUID.randomUUID() + ".parquet"));
        try {
            // position deletes without the deleted rows' data
            PositionDeleteWriter<Record> writer = Parquet.writeDeletes(output)
                    .setAll(table.properties())
                    .withSpec(table.specs().get(dataFile.specId()))
                    .withPartition(dataFile.partition())
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
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes, in an unpartitioned table, every row whose columns hold the values of one of the keys.
     */
    static void deleteEqual(Table table, Schema keySchema, List<Record> keys)
    {
        OutputFile output = table.io().newOutputFile(table.locationProvider().newDataLocation("equality-delete-" + UUID.randomUUID() + ".parquet"));
        try {
            EqualityDeleteWriter<Record> writer = Parquet.writeDeletes(output)
                    .forTable(table)
                    .withSpec(table.spec())
                    .rowSchema(keySchema)
                    .equalityFieldIds(keySchema.columns().stream().map(field -> field.fieldId()).toList())
                    .createWriterFunc(GenericParquetWriter::create)
                    .overwrite()
                    .buildEqualityWriter();
            try (writer) {
                keys.forEach(writer::write);
            }
            table.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
