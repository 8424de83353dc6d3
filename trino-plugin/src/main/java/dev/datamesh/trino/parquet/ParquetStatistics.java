package dev.datamesh.trino.parquet;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.PartitionValues;
import dev.datamesh.trino.statistics.ColumnSummary;
import io.trino.parquet.ParquetCorruptionException;
import io.trino.parquet.metadata.BlockMetadata;
import io.trino.parquet.metadata.ColumnChunkMetadata;
import io.trino.parquet.metadata.ParquetMetadata;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;
import io.trino.spi.type.VarbinaryType;
import io.trino.spi.type.VarcharType;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What the footers of an asset's Parquet files tell the optimizer: rows, and per column the nulls,
 * the range of numbers and dates, and the bytes its values take; partition keys are counted from
 * the folders. Strings get no range: writers may truncate their bounds.
 */
public final class ParquetStatistics
{
    private ParquetStatistics() {}

    /**
     * The statistics of one file.
     */
    public record FileStatistics(String location, Map<String, Optional<String>> partitionValues, long rows, Map<String, ColumnStatistics> columns)
    {
        public FileStatistics
        {
            requireNonNull(location, "location is null");
            partitionValues = ImmutableMap.copyOf(partitionValues);
            columns = ImmutableMap.copyOf(columns);
        }
    }

    /**
     * A top-level column of one file, summed over its row groups.
     */
    public record ColumnStatistics(OptionalLong nulls, OptionalDouble low, OptionalDouble high, long uncompressedSize)
    {
        public ColumnStatistics
        {
            requireNonNull(nulls, "nulls is null");
            requireNonNull(low, "low is null");
            requireNonNull(high, "high is null");
        }
    }

    /**
     * The top-level primitive columns of a footer, by their name in the file.
     */
    public static Map<String, ColumnStatistics> columns(ParquetMetadata footer)
            throws ParquetCorruptionException
    {
        Map<String, ColumnAccumulator> columns = new LinkedHashMap<>();
        for (BlockMetadata rowGroup : footer.getBlocks()) {
            for (ColumnChunkMetadata chunk : rowGroup.columns()) {
                if (chunk.getPath().size() != 1) {
                    continue;
                }
                columns.computeIfAbsent(chunk.getPath().toArray()[0], _ -> new ColumnAccumulator()).add(chunk);
            }
        }
        ImmutableMap.Builder<String, ColumnStatistics> statistics = ImmutableMap.builder();
        columns.forEach((name, accumulator) -> statistics.put(name, accumulator.build()));
        return statistics.buildOrThrow();
    }

    public static TableStatistics tableStatistics(List<FileStatistics> files, List<MeshColumnHandle> columns)
    {
        long rows = files.stream().mapToLong(FileStatistics::rows).sum();
        TableStatistics.Builder table = TableStatistics.builder().setRowCount(Estimate.of(rows));
        Map<MeshColumnHandle, ColumnSummary> summaries = new HashMap<>();
        for (MeshColumnHandle column : columns) {
            ColumnSummary summary = new ColumnSummary();
            for (FileStatistics file : files) {
                if (column.partitionKey()) {
                    Object value = PartitionValues.parse(column, file.partitionValues().getOrDefault(column.name(), Optional.empty()), file.location()).getValue();
                    summary.addPartition(column.type(), value, file.rows());
                    continue;
                }
                ColumnStatistics statistics = file.columns().get(column.fileName());
                if (statistics == null) {
                    // a file written before the column was added holds nulls only
                    summary.addFile(file.rows(), OptionalLong.of(file.rows()), OptionalDouble.empty(), OptionalDouble.empty());
                    summary.addDataSize(OptionalLong.of(0));
                    continue;
                }
                summary.addFile(file.rows(), statistics.nulls(), statistics.low(), statistics.high());
                summary.addDataSize(OptionalLong.of(statistics.uncompressedSize()));
            }
            summaries.put(column, summary);
        }
        summaries.forEach((column, summary) -> table.setColumnStatistics(column, summary.build(rows, isVariableWidth(column))));
        return table.build();
    }

    private static boolean isVariableWidth(MeshColumnHandle column)
    {
        return column.type() instanceof VarcharType || column.type() instanceof VarbinaryType;
    }

    private static final class ColumnAccumulator
    {
        private long nulls;
        private boolean nullsKnown = true;
        private OptionalDouble low = OptionalDouble.empty();
        private OptionalDouble high = OptionalDouble.empty();
        private boolean rangeKnown = true;
        private long uncompressedSize;

        void add(ColumnChunkMetadata chunk)
        {
            uncompressedSize += chunk.getTotalUncompressedSize();
            Statistics<?> statistics = chunk.getStatistics();
            if (statistics == null || !statistics.isNumNullsSet()) {
                nullsKnown = false;
                rangeKnown = false;
                return;
            }
            nulls += statistics.getNumNulls();
            if (!statistics.hasNonNullValue()) {
                // no value but nulls, or no statistics written for the values
                if (statistics.getNumNulls() != chunk.getValueCount()) {
                    rangeKnown = false;
                }
                return;
            }
            OptionalDouble chunkLow = toDouble(chunk.getPrimitiveType(), statistics.genericGetMin());
            OptionalDouble chunkHigh = toDouble(chunk.getPrimitiveType(), statistics.genericGetMax());
            if (chunkLow.isEmpty() || chunkHigh.isEmpty()) {
                rangeKnown = false;
                return;
            }
            low = OptionalDouble.of(low.isPresent() ? Math.min(low.getAsDouble(), chunkLow.getAsDouble()) : chunkLow.getAsDouble());
            high = OptionalDouble.of(high.isPresent() ? Math.max(high.getAsDouble(), chunkHigh.getAsDouble()) : chunkHigh.getAsDouble());
        }

        ColumnStatistics build()
        {
            boolean withRange = rangeKnown && low.isPresent();
            return new ColumnStatistics(
                    nullsKnown ? OptionalLong.of(nulls) : OptionalLong.empty(),
                    withRange ? low : OptionalDouble.empty(),
                    withRange ? high : OptionalDouble.empty(),
                    uncompressedSize);
        }
    }

    /**
     * A bound as a number, for the types the mesh reads as numbers or dates; empty for the rest
     * (strings, timestamps, unsigned integers whose order Parquet's statistics may not follow).
     */
    private static OptionalDouble toDouble(PrimitiveType type, Object value)
    {
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        return switch (type.getPrimitiveTypeName()) {
            case INT32, INT64 -> {
                long number = ((Number) value).longValue();
                if (annotation == null || annotation instanceof DateLogicalTypeAnnotation || (annotation instanceof IntLogicalTypeAnnotation integer && integer.isSigned())) {
                    yield OptionalDouble.of(number);
                }
                if (annotation instanceof DecimalLogicalTypeAnnotation decimal) {
                    yield OptionalDouble.of(BigDecimal.valueOf(number, decimal.getScale()).doubleValue());
                }
                yield OptionalDouble.empty();
            }
            case FLOAT, DOUBLE -> annotation == null ? OptionalDouble.of(((Number) value).doubleValue()) : OptionalDouble.empty();
            case BINARY, FIXED_LEN_BYTE_ARRAY -> {
                if (annotation instanceof DecimalLogicalTypeAnnotation decimal) {
                    yield OptionalDouble.of(new BigDecimal(new BigInteger(((Binary) value).getBytes()), decimal.getScale()).doubleValue());
                }
                yield OptionalDouble.empty();
            }
            default -> OptionalDouble.empty();
        };
    }
}
