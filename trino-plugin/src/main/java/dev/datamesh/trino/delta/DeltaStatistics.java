package dev.datamesh.trino.delta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datamesh.formats.delta.DeltaDataFile;
import dev.datamesh.formats.delta.DeltaFileStatistics;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.PartitionValues;
import dev.datamesh.trino.statistics.ColumnSummary;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.Range;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.predicate.ValueSet;
import io.trino.spi.statistics.ColumnStatistics;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Int128;
import io.trino.spi.type.LongTimestampWithTimeZone;
import io.trino.spi.type.Type;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.SmallintType.SMALLINT;
import static io.trino.spi.type.TimeZoneKey.UTC_KEY;
import static io.trino.spi.type.TimestampType.TIMESTAMP_MICROS;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MICROS;
import static io.trino.spi.type.TinyintType.TINYINT;

/**
 * What the per-file statistics of a Delta log tell: whether a file can hold rows matching a
 * predicate, and the table's row count, null fractions and value ranges for the optimizer; with
 * the distinct values and sizes of Trino's extended statistics, when the table has them.
 * Strings are never used: writers truncate their bounds. Timestamps are recorded to the
 * millisecond, so a maximum covers the whole millisecond.
 */
public final class DeltaStatistics
{
    private DeltaStatistics() {}

    public static boolean mayMatch(DeltaDataFile file, TupleDomain<MeshColumnHandle> constraint)
    {
        if (file.statistics().isEmpty() || constraint.isAll()) {
            return true;
        }
        DeltaFileStatistics statistics = file.statistics().orElseThrow();
        for (Map.Entry<MeshColumnHandle, Domain> entry : constraint.getDomains().orElseThrow().entrySet()) {
            MeshColumnHandle column = entry.getKey();
            if (column.partitionKey()) {
                continue;
            }
            Optional<Domain> values = fileDomain(column, statistics);
            if (values.isPresent() && !entry.getValue().overlaps(values.orElseThrow())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rows, nulls and ranges from the log's file statistics; partition keys from the files'
     * partition values. Column figures are left out once rows are deleted by deletion vectors:
     * the log's counts describe the files as written.
     */
    public static TableStatistics tableStatistics(List<DeltaDataFile> files, List<MeshColumnHandle> columns)
    {
        long rows = 0;
        for (DeltaDataFile file : files) {
            if (file.statistics().isEmpty()) {
                return TableStatistics.empty();
            }
            rows += liveRows(file);
        }
        TableStatistics.Builder table = TableStatistics.builder().setRowCount(Estimate.of(rows));
        boolean anyDeletions = files.stream().anyMatch(file -> file.deletionVector().isPresent());
        for (MeshColumnHandle column : columns) {
            if (rows == 0 || (anyDeletions && !column.partitionKey())) {
                continue;
            }
            ColumnSummary summary = new ColumnSummary();
            for (DeltaDataFile file : files) {
                if (column.partitionKey()) {
                    String location = file.location().toString();
                    summary.addPartition(column.type(), PartitionValues.parse(column, PartitionValues.bySqlName(file.partitionValues()).getOrDefault(column.name(), Optional.empty()), location).getValue(), liveRows(file));
                    continue;
                }
                DeltaFileStatistics statistics = file.statistics().orElseThrow();
                summary.addFile(
                        statistics.numRecords(),
                        statistics.nullCount(column.name()),
                        asDouble(column.type(), statistics.minValues().get(column.name())),
                        asDouble(column.type(), statistics.maxValues().get(column.name())));
            }
            table.setColumnStatistics((ColumnHandle) column, summary.build(rows, false));
        }
        return table.build();
    }

    /**
     * The statistics from the log with what Trino's extended statistics add for regular columns:
     * the sketch's distinct values, never more than the column's non-null rows (a sketch may
     * predate deletes), and the bytes of the values, scaled to the part of the table read.
     * Partition keys keep the count of their partitions, as in Trino's Delta Lake connector.
     *
     * @param fromLog the statistics from the log of the rows read
     * @param share the part of the table's rows read, when known
     */
    public static TableStatistics withSketches(TableStatistics fromLog, List<MeshColumnHandle> columns, DeltaExtendedStatistics.TableSketches sketches, OptionalDouble share)
    {
        Estimate rowCount = fromLog.getRowCount();
        // as in Trino's connector: no sketch without the log's row count, none for an empty table
        if (rowCount.isUnknown() || rowCount.getValue() == 0) {
            return fromLog;
        }
        double rows = rowCount.getValue();
        TableStatistics.Builder table = TableStatistics.builder().setRowCount(rowCount);
        fromLog.getColumnStatistics().forEach(table::setColumnStatistics);
        for (MeshColumnHandle column : columns) {
            if (column.partitionKey()) {
                continue;
            }
            Optional<DeltaExtendedStatistics.ColumnSketch> sketch = sketch(sketches, column);
            if (sketch.isEmpty()) {
                continue;
            }
            ColumnStatistics base = fromLog.getColumnStatistics().getOrDefault(column, ColumnStatistics.empty());
            double nonNullRows = base.getNullsFraction().isUnknown() ? rows : Math.round(rows * (1 - base.getNullsFraction().getValue()));
            ColumnStatistics.Builder statistics = ColumnStatistics.builder()
                    .setNullsFraction(base.getNullsFraction())
                    .setRange(base.getRange())
                    .setDataSize(base.getDataSize())
                    .setDistinctValuesCount(Estimate.of(Math.min(sketch.orElseThrow().distinctValues(), nonNullRows)));
            if (sketch.orElseThrow().dataSize().isPresent() && share.isPresent()) {
                statistics.setDataSize(Estimate.of(sketch.orElseThrow().dataSize().getAsLong() * share.getAsDouble()));
            }
            table.setColumnStatistics((ColumnHandle) column, statistics.build());
        }
        return table.build();
    }

    /**
     * The column's sketch: by its name in the files (the physical name under column mapping), as
     * Trino writes it; without column mapping, also by a name differing in case only.
     */
    private static Optional<DeltaExtendedStatistics.ColumnSketch> sketch(DeltaExtendedStatistics.TableSketches sketches, MeshColumnHandle column)
    {
        DeltaExtendedStatistics.ColumnSketch exact = sketches.columns().get(column.fileName());
        if (exact != null || !column.fileName().equalsIgnoreCase(column.name())) {
            return Optional.ofNullable(exact);
        }
        return sketches.columns().entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(column.name()))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static long liveRows(DeltaDataFile file)
    {
        return file.statistics().orElseThrow().numRecords() - file.deletionVector().map(deletionVector -> deletionVector.cardinality()).orElse(0L);
    }

    private static Optional<Domain> fileDomain(MeshColumnHandle column, DeltaFileStatistics statistics)
    {
        var nullCount = statistics.nullCount(column.name());
        if (nullCount.isEmpty()) {
            return Optional.empty();
        }
        Type type = column.type();
        if (nullCount.getAsLong() == statistics.numRecords()) {
            return Optional.of(Domain.onlyNull(type));
        }
        Optional<Object> min = nativeValue(type, statistics.minValues().get(column.name()), false);
        Optional<Object> max = nativeValue(type, statistics.maxValues().get(column.name()), true);
        if (min.isEmpty() || max.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Domain.create(ValueSet.ofRanges(Range.range(type, min.orElseThrow(), true, max.orElseThrow(), true)), nullCount.getAsLong() > 0));
    }

    private static Optional<Object> nativeValue(Type type, JsonNode value, boolean upperBound)
    {
        if (value == null) {
            return Optional.empty();
        }
        try {
            if ((type.equals(BIGINT) || type.equals(INTEGER) || type.equals(SMALLINT) || type.equals(TINYINT)) && value.isIntegralNumber()) {
                return Optional.of(value.asLong());
            }
            if (type.equals(DOUBLE) && value.isNumber()) {
                return Optional.of(value.asDouble());
            }
            if (type instanceof DecimalType decimal && value.isNumber()) {
                BigDecimal number = value.decimalValue().setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
                return Optional.of(decimal.isShort() ? (Object) number.unscaledValue().longValueExact() : Int128.valueOf(number.unscaledValue()));
            }
            if (type.equals(DATE) && value.isTextual()) {
                return Optional.of(LocalDate.parse(value.asText()).toEpochDay());
            }
            if (type.equals(TIMESTAMP_TZ_MICROS) && value.isTextual()) {
                long micros = epochMicros(Instant.parse(value.asText())) + (upperBound ? 999 : 0);
                return Optional.of(LongTimestampWithTimeZone.fromEpochMillisAndFraction(Math.floorDiv(micros, 1000), Math.floorMod(micros, 1000) * 1_000_000, UTC_KEY));
            }
            if (type.equals(TIMESTAMP_MICROS) && value.isTextual()) {
                return Optional.of(epochMicros(LocalDateTime.parse(value.asText()).toInstant(ZoneOffset.UTC)) + (upperBound ? 999 : 0));
            }
        }
        catch (RuntimeException e) {
            // a bound we cannot interpret says nothing
        }
        return Optional.empty();
    }

    private static OptionalDouble asDouble(Type type, JsonNode value)
    {
        if (value == null) {
            return OptionalDouble.empty();
        }
        if ((type.equals(BIGINT) || type.equals(INTEGER) || type.equals(SMALLINT) || type.equals(TINYINT) || type.equals(DOUBLE) || type instanceof DecimalType) && value.isNumber()) {
            return OptionalDouble.of(value.asDouble());
        }
        if (type.equals(DATE) && value.isTextual()) {
            return OptionalDouble.of(LocalDate.parse(value.asText()).toEpochDay());
        }
        return OptionalDouble.empty();
    }

    private static long epochMicros(Instant instant)
    {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
