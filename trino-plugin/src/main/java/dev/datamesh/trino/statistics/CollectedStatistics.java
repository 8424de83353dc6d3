package dev.datamesh.trino.statistics;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.trino.MeshColumnHandle;
import io.trino.spi.block.Block;
import io.trino.spi.statistics.ColumnStatisticMetadata;
import io.trino.spi.statistics.ColumnStatisticType;
import io.trino.spi.statistics.ComputedStatistics;
import io.trino.spi.statistics.DoubleRange;
import io.trino.spi.statistics.TableStatisticsMetadata;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.CharType;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.TimestampType;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.Type;
import io.trino.spi.type.VarbinaryType;
import io.trino.spi.type.VarcharType;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

import static io.trino.spi.statistics.ColumnStatisticType.MAX_VALUE;
import static io.trino.spi.statistics.ColumnStatisticType.MIN_VALUE;
import static io.trino.spi.statistics.ColumnStatisticType.NUMBER_OF_DISTINCT_VALUES;
import static io.trino.spi.statistics.ColumnStatisticType.NUMBER_OF_NON_NULL_VALUES;
import static io.trino.spi.statistics.ColumnStatisticType.TOTAL_SIZE_IN_BYTES;
import static io.trino.spi.statistics.TableStatisticType.ROW_COUNT;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.RealType.REAL;
import static io.trino.spi.type.SmallintType.SMALLINT;
import static io.trino.spi.type.TinyintType.TINYINT;
import static io.trino.spi.type.TypeUtils.readNativeValue;

/**
 * The statistics ANALYZE computes for a mesh table, and what they become in the store. Trino
 * computes each one as an aggregation over every row: non-null counts for every column,
 * approx_distinct for the values that can be told apart, min and max for the types the optimizer
 * reads ranges of, and the total size of variable-width values, whose size the type alone does not tell.
 */
final class CollectedStatistics
{
    private static final Set<Type> RANGE_TYPES = ImmutableSet.of(TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DATE);

    private CollectedStatistics() {}

    public static TableStatisticsMetadata metadata(List<MeshColumnHandle> columns)
    {
        ImmutableSet.Builder<ColumnStatisticMetadata> statistics = ImmutableSet.builder();
        for (MeshColumnHandle column : columns) {
            for (ColumnStatisticType type : statisticTypes(column.type())) {
                statistics.add(new ColumnStatisticMetadata(column.name(), type));
            }
        }
        return new TableStatisticsMetadata(statistics.build(), ImmutableSet.of(ROW_COUNT), List.of());
    }

    private static Set<ColumnStatisticType> statisticTypes(Type type)
    {
        ImmutableSet.Builder<ColumnStatisticType> statistics = ImmutableSet.<ColumnStatisticType>builder().add(NUMBER_OF_NON_NULL_VALUES);
        if (type instanceof ArrayType || type instanceof MapType || type instanceof RowType || !type.isComparable()) {
            return statistics.build();
        }
        statistics.add(NUMBER_OF_DISTINCT_VALUES);
        if (hasRange(type)) {
            statistics.add(MIN_VALUE, MAX_VALUE);
        }
        if (type instanceof VarcharType || type instanceof CharType || type instanceof VarbinaryType) {
            statistics.add(TOTAL_SIZE_IN_BYTES);
        }
        return statistics.build();
    }

    private static boolean hasRange(Type type)
    {
        return RANGE_TYPES.contains(type) || type instanceof DecimalType || type instanceof TimestampType || type instanceof TimestampWithTimeZoneType;
    }

    /**
     * The row count of what ANALYZE computed: its statistics are not grouped, so Trino hands over one set.
     */
    public static long rowCount(ComputedStatistics computed)
    {
        return BIGINT.getLong(computed.getTableStatistics().get(ROW_COUNT), 0);
    }

    public static Map<String, StoredStatistics.Column> columns(List<MeshColumnHandle> columns, ComputedStatistics computed)
    {
        Map<ColumnStatisticMetadata, Block> blocks = computed.getColumnStatistics();
        ImmutableMap.Builder<String, StoredStatistics.Column> stored = ImmutableMap.builder();
        for (MeshColumnHandle column : columns) {
            Optional<Object> min = value(blocks, column, MIN_VALUE);
            Optional<Object> max = value(blocks, column, MAX_VALUE);
            // NaN or no value at all: no range
            Optional<DoubleRange> range = min.isPresent() && max.isPresent() ? DoubleRange.from(column.type(), min.orElseThrow(), max.orElseThrow()) : Optional.empty();
            stored.put(column.name(), new StoredStatistics.Column(
                    column.type().getDisplayName(),
                    count(blocks, column, NUMBER_OF_NON_NULL_VALUES),
                    count(blocks, column, NUMBER_OF_DISTINCT_VALUES),
                    count(blocks, column, TOTAL_SIZE_IN_BYTES),
                    range.map(DoubleRange::getMin).map(OptionalDouble::of).orElseGet(OptionalDouble::empty),
                    range.map(DoubleRange::getMax).map(OptionalDouble::of).orElseGet(OptionalDouble::empty)));
        }
        return stored.buildOrThrow();
    }

    private static OptionalLong count(Map<ColumnStatisticMetadata, Block> blocks, MeshColumnHandle column, ColumnStatisticType type)
    {
        Block block = blocks.get(new ColumnStatisticMetadata(column.name(), type));
        if (block == null || block.isNull(0)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(BIGINT.getLong(block, 0));
    }

    private static Optional<Object> value(Map<ColumnStatisticMetadata, Block> blocks, MeshColumnHandle column, ColumnStatisticType type)
    {
        Block block = blocks.get(new ColumnStatisticMetadata(column.name(), type));
        return block == null ? Optional.empty() : Optional.ofNullable(readNativeValue(column.type(), block, 0));
    }
}
