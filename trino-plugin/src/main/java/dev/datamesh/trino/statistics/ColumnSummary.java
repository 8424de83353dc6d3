package dev.datamesh.trino.statistics;

import io.trino.spi.statistics.ColumnStatistics;
import io.trino.spi.statistics.DoubleRange;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Int128;
import io.trino.spi.type.Type;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.RealType.REAL;
import static io.trino.spi.type.SmallintType.SMALLINT;
import static io.trino.spi.type.TinyintType.TINYINT;
import static java.lang.Math.toIntExact;

/**
 * One column's statistics summed over the files of a table, from what each file's metadata
 * records (a Parquet footer, a Delta log entry, an Iceberg manifest). A figure some file does not
 * record is unknown for the table: the optimizer is better served by no estimate than a wrong one.
 */
public final class ColumnSummary
{
    private long nulls;
    private boolean nullsKnown = true;
    private double low = Double.POSITIVE_INFINITY;
    private double high = Double.NEGATIVE_INFINITY;
    private boolean rangeKnown = true;
    private long dataSize;
    private boolean dataSizeKnown = true;
    private OptionalDouble distinctValues = OptionalDouble.empty();
    private final Set<Object> partitionValues = new HashSet<>();

    /**
     * Adds one file.
     *
     * @param rows the file's rows
     * @param nulls its null values, when recorded
     * @param low its lowest value, when recorded and the type has a numeric order (ignored for a file of nulls only)
     * @param high its highest value, likewise
     */
    public void addFile(long rows, OptionalLong nulls, OptionalDouble low, OptionalDouble high)
    {
        if (nulls.isEmpty()) {
            nullsKnown = false;
        }
        else {
            this.nulls += nulls.getAsLong();
            if (nulls.getAsLong() == rows) {
                return;
            }
        }
        if (low.isEmpty() || high.isEmpty() || Double.isNaN(low.getAsDouble()) || Double.isNaN(high.getAsDouble())) {
            rangeKnown = false;
            return;
        }
        this.low = Math.min(this.low, low.getAsDouble());
        this.high = Math.max(this.high, high.getAsDouble());
    }

    /**
     * Adds the rows of one file of a partition: every row holds the partition's value, so its
     * distinct values are exactly the partitions'.
     *
     * @param value the partition key's value as Trino holds it, null for a null partition
     */
    public void addPartition(Type type, Object value, long rows)
    {
        if (value == null) {
            addFile(rows, OptionalLong.of(rows), OptionalDouble.empty(), OptionalDouble.empty());
            return;
        }
        partitionValues.add(value);
        OptionalDouble number = toDouble(type, value);
        addFile(rows, OptionalLong.of(0), number, number);
        distinctValues = OptionalDouble.of(partitionValues.size());
    }

    public void addDataSize(OptionalLong bytes)
    {
        if (bytes.isEmpty()) {
            dataSizeKnown = false;
        }
        else {
            dataSize += bytes.getAsLong();
        }
    }

    /**
     * The number of distinct values, where the table knows it (partition values, a sketch).
     */
    public void setDistinctValues(double distinctValues)
    {
        this.distinctValues = OptionalDouble.of(distinctValues);
    }

    /**
     * The value as the optimizer's ranges hold it, for types whose order is numeric: dates as days.
     */
    public static OptionalDouble toDouble(Type type, Object value)
    {
        if (type.equals(BIGINT) || type.equals(INTEGER) || type.equals(SMALLINT) || type.equals(TINYINT) || type.equals(DATE)) {
            return OptionalDouble.of((long) value);
        }
        if (type.equals(DOUBLE)) {
            return OptionalDouble.of((double) value);
        }
        if (type.equals(REAL)) {
            return OptionalDouble.of(Float.intBitsToFloat(toIntExact((long) value)));
        }
        if (type instanceof DecimalType decimal) {
            BigDecimal number = decimal.isShort()
                    ? BigDecimal.valueOf((long) value, decimal.getScale())
                    : new BigDecimal(((Int128) value).toBigInteger(), decimal.getScale());
            return OptionalDouble.of(number.doubleValue());
        }
        return OptionalDouble.empty();
    }

    public ColumnStatistics build(long rows, boolean withDataSize)
    {
        ColumnStatistics.Builder statistics = ColumnStatistics.builder();
        if (rows == 0) {
            return statistics.build();
        }
        if (nullsKnown) {
            statistics.setNullsFraction(Estimate.of(Math.min(1.0, (double) nulls / rows)));
        }
        if (rangeKnown && low <= high) {
            statistics.setRange(new DoubleRange(low, high));
        }
        if (withDataSize && dataSizeKnown) {
            statistics.setDataSize(Estimate.of(dataSize));
        }
        // a sketch counts values a delete file may have removed since: never more than the rows left
        distinctValues.ifPresent(count -> statistics.setDistinctValuesCount(Estimate.of(Math.min(count, nullsKnown ? rows - nulls : rows))));
        return statistics.build();
    }
}
