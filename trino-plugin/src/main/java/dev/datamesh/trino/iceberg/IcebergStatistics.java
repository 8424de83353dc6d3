package dev.datamesh.trino.iceberg;

import dev.datamesh.trino.MeshColumnHandle;
import io.trino.spi.statistics.ColumnStatistics;
import io.trino.spi.statistics.DoubleRange;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Statistics for the optimizer from the files a scan would read: row counts, null counts and
 * column bounds as the manifests record them. Rows removed by delete files are still counted,
 * as in Trino's Iceberg connector: an estimate, never a promise.
 */
public final class IcebergStatistics
{
    private IcebergStatistics() {}

    public static TableStatistics tableStatistics(Iterable<FileScanTask> tasks, Schema schema, List<MeshColumnHandle> columns)
    {
        long rows = 0;
        Map<Integer, ColumnSummary> summaries = new HashMap<>();
        for (MeshColumnHandle column : columns) {
            column.identity().ifPresent(identity -> summaries.put(identity.fieldId(), new ColumnSummary()));
        }
        for (FileScanTask task : tasks) {
            DataFile file = task.file();
            rows += file.recordCount();
            for (Map.Entry<Integer, ColumnSummary> entry : summaries.entrySet()) {
                entry.getValue().add(file, entry.getKey(), schema.findType(entry.getKey()));
            }
        }
        TableStatistics.Builder statistics = TableStatistics.builder().setRowCount(Estimate.of(rows));
        if (rows == 0) {
            return statistics.build();
        }
        for (MeshColumnHandle column : columns) {
            if (column.identity().isEmpty()) {
                continue;
            }
            ColumnSummary summary = summaries.get(column.identity().get().fieldId());
            ColumnStatistics.Builder columnStatistics = ColumnStatistics.builder();
            if (summary.nullsKnown) {
                columnStatistics.setNullsFraction(Estimate.of((double) summary.nulls / rows));
            }
            if (summary.rangeKnown && summary.low.isPresent()) {
                columnStatistics.setRange(new DoubleRange(summary.low.getAsDouble(), summary.high.getAsDouble()));
            }
            statistics.setColumnStatistics(column, columnStatistics.build());
        }
        return statistics.build();
    }

    private static final class ColumnSummary
    {
        private long nulls;
        private boolean nullsKnown = true;
        private boolean rangeKnown = true;
        private OptionalDouble low = OptionalDouble.empty();
        private OptionalDouble high = OptionalDouble.empty();

        void add(DataFile file, int fieldId, Type type)
        {
            Long fileNulls = file.nullValueCounts() == null ? null : file.nullValueCounts().get(fieldId);
            if (fileNulls == null) {
                nullsKnown = false;
            }
            else {
                nulls += fileNulls;
                if (fileNulls == file.recordCount()) {
                    return;
                }
            }
            OptionalDouble fileLow = asDouble(type, file.lowerBounds() == null ? null : file.lowerBounds().get(fieldId));
            OptionalDouble fileHigh = asDouble(type, file.upperBounds() == null ? null : file.upperBounds().get(fieldId));
            if (fileLow.isEmpty() || fileHigh.isEmpty()) {
                rangeKnown = false;
                return;
            }
            low = OptionalDouble.of(low.isPresent() ? Math.min(low.getAsDouble(), fileLow.getAsDouble()) : fileLow.getAsDouble());
            high = OptionalDouble.of(high.isPresent() ? Math.max(high.getAsDouble(), fileHigh.getAsDouble()) : fileHigh.getAsDouble());
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
}
