package dev.datamesh.trino.iceberg;

import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.statistics.ColumnSummary;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;
import io.trino.spi.type.VarbinaryType;
import io.trino.spi.type.VarcharType;
import org.apache.iceberg.BlobMetadata;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.util.SnapshotUtil;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static com.google.common.collect.ImmutableMap.toImmutableMap;

/**
 * Statistics for the optimizer from the files a scan would read: row counts, null counts, column
 * bounds and sizes as the manifests record them, and distinct values from the table's Puffin
 * statistics (the theta sketches Trino and Spark write), as Trino's Iceberg connector reads them.
 * Rows removed by delete files are still counted, as in Trino's Iceberg connector: an estimate,
 * never a promise.
 */
public final class IcebergStatistics
{
    // the sketch blob Trino and Spark write per column, with its estimate in the "ndv" property
    private static final String THETA_SKETCH = "apache-datasketches-theta-v1";

    private IcebergStatistics() {}

    public static TableStatistics tableStatistics(Iterable<FileScanTask> tasks, Schema schema, List<MeshColumnHandle> columns, Map<Integer, Long> distinctValues)
    {
        long rows = 0;
        Map<Integer, ColumnSummary> summaries = new HashMap<>();
        for (MeshColumnHandle column : columns) {
            column.identity().ifPresent(identity -> summaries.put(identity.fieldId(), new ColumnSummary()));
        }
        for (FileScanTask task : tasks) {
            DataFile file = task.file();
            rows += file.recordCount();
            summaries.forEach((fieldId, summary) -> add(summary, file, fieldId, schema.findType(fieldId)));
        }
        TableStatistics.Builder statistics = TableStatistics.builder().setRowCount(Estimate.of(rows));
        if (rows == 0) {
            return statistics.build();
        }
        for (MeshColumnHandle column : columns) {
            if (column.identity().isEmpty()) {
                continue;
            }
            int fieldId = column.identity().orElseThrow().fieldId();
            ColumnSummary summary = summaries.get(fieldId);
            Optional.ofNullable(distinctValues.get(fieldId)).ifPresent(summary::setDistinctValues);
            statistics.setColumnStatistics(column, summary.build(rows, column.type() instanceof VarcharType || column.type() instanceof VarbinaryType));
        }
        return statistics.build();
    }

    /**
     * The distinct values of each column, by field id, from the Puffin statistics of the snapshot
     * or, as in Trino's Iceberg connector, of its nearest ancestor that has them for that column:
     * data appended since leaves the count an estimate, which is what it is anyway.
     */
    public static Map<Integer, Long> distinctValues(Table table, long snapshotId)
    {
        Map<Long, StatisticsFile> bySnapshot = table.statisticsFiles().stream()
                .collect(toImmutableMap(StatisticsFile::snapshotId, file -> file, (first, _) -> first));
        Map<Integer, Long> counts = new HashMap<>();
        if (bySnapshot.isEmpty()) {
            return counts;
        }
        for (long ancestor : SnapshotUtil.ancestorIds(table.snapshot(snapshotId), table::snapshot)) {
            StatisticsFile file = bySnapshot.get(ancestor);
            if (file == null) {
                continue;
            }
            for (BlobMetadata blob : file.blobMetadata()) {
                String ndv = blob.properties().get("ndv");
                if (blob.type().equals(THETA_SKETCH) && blob.fields().size() == 1 && ndv != null) {
                    try {
                        counts.putIfAbsent(blob.fields().getFirst(), Long.parseLong(ndv));
                    }
                    catch (NumberFormatException e) {
                        // a count we cannot read says nothing
                    }
                }
            }
        }
        return counts;
    }

    private static void add(ColumnSummary summary, DataFile file, int fieldId, Type type)
    {
        Long nulls = file.nullValueCounts() == null ? null : file.nullValueCounts().get(fieldId);
        summary.addFile(
                file.recordCount(),
                nulls == null ? OptionalLong.empty() : OptionalLong.of(nulls),
                asDouble(type, file.lowerBounds() == null ? null : file.lowerBounds().get(fieldId)),
                asDouble(type, file.upperBounds() == null ? null : file.upperBounds().get(fieldId)));
        Long size = file.columnSizes() == null ? null : file.columnSizes().get(fieldId);
        summary.addDataSize(size == null ? OptionalLong.empty() : OptionalLong.of(inMemorySize(type, size)));
    }

    /**
     * Manifests record the compressed bytes a column takes on disk; the optimizer weighs the bytes
     * its values take in memory. The factors are those of Trino's Iceberg connector, measured on
     * TPC-DS strings and random binaries, so that both plan a read of the same table alike.
     */
    private static long inMemorySize(Type type, long onDisk)
    {
        if (type == null) {
            return onDisk;
        }
        return switch (type.typeId()) {
            case STRING -> (long) (onDisk * 2.7);
            case BINARY -> (long) (onDisk * 1.4);
            default -> onDisk;
        };
    }

    private static OptionalDouble asDouble(Type type, ByteBuffer bound)
    {
        if (bound == null || type == null) {
            return OptionalDouble.empty();
        }
        try {
            return switch (type.typeId()) {
                // dates are days, as Trino's ranges for dates are; Iceberg widens bounds written before a type promotion
                case INTEGER, LONG, DATE, FLOAT, DOUBLE -> OptionalDouble.of(((Number) Conversions.fromByteBuffer(type, bound)).doubleValue());
                case DECIMAL -> OptionalDouble.of(((BigDecimal) Conversions.fromByteBuffer(type, bound)).doubleValue());
                default -> OptionalDouble.empty();
            };
        }
        catch (RuntimeException e) {
            // a bound we cannot interpret says nothing
            return OptionalDouble.empty();
        }
    }
}
