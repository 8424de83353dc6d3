package dev.datamesh.trino;

import com.google.common.primitives.Shorts;
import com.google.common.primitives.SignedBytes;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.Constraint;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.NullableValue;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.type.CharType;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Decimals;
import io.trino.spi.type.LongTimestampWithTimeZone;
import io.trino.spi.type.TimestampType;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.Type;
import io.trino.spi.type.VarbinaryType;
import io.trino.spi.type.VarcharType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static dev.datamesh.trino.MeshErrorCode.MESH_INVALID_PARTITION_VALUE;
import static dev.datamesh.trino.MeshErrorCode.MESH_UNSUPPORTED_ASSET;
import static io.airlift.slice.Slices.utf8Slice;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.RealType.REAL;
import static io.trino.spi.type.SmallintType.SMALLINT;
import static io.trino.spi.type.TimeZoneKey.UTC_KEY;
import static io.trino.spi.type.TinyintType.TINYINT;
import static java.lang.Math.toIntExact;

/**
 * Reads the text of a key=value partition folder as a value of the partition key's declared type.
 */
public final class PartitionValues
{
    // Hive and Delta write "2024-01-31 12:00:00[.ffffff]"; newer Delta writers ISO 8601 with a Z
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendLiteral('Z').optionalEnd()
            .toFormatter();

    private PartitionValues() {}

    /**
     * Partition values keyed by SQL column name: a Delta log keeps partition columns as they were written.
     */
    public static Map<String, Optional<String>> bySqlName(Map<String, Optional<String>> partitionValues)
    {
        return partitionValues.entrySet().stream().collect(toImmutableMap(entry -> entry.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
    }

    /**
     * Whether a file with these partition folder values can hold rows matching the constraint.
     */
    public static boolean matches(Map<String, Optional<String>> partitionValues, TupleDomain<MeshColumnHandle> constraint, String file)
    {
        if (constraint.isNone()) {
            return false;
        }
        for (Map.Entry<MeshColumnHandle, Domain> entry : constraint.getDomains().orElseThrow().entrySet()) {
            MeshColumnHandle column = entry.getKey();
            if (column.partitionKey() && !entry.getValue().includesNullableValue(parse(column, partitionValues.getOrDefault(column.name(), Optional.empty()), file).getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a file with these partition values can hold rows of the constraint: its summary, and
     * an expression the summary cannot hold (year % 2 = 0) when it reads partition keys only.
     */
    public static boolean matches(Map<String, Optional<String>> partitionValues, String file, TupleDomain<MeshColumnHandle> partitionConstraint, Constraint constraint)
    {
        if (!matches(partitionValues, partitionConstraint, file)) {
            return false;
        }
        Optional<Set<ColumnHandle>> predicateColumns = constraint.getPredicateColumns();
        if (constraint.predicate().isEmpty() || predicateColumns.isEmpty()) {
            return true;
        }
        Map<ColumnHandle, NullableValue> bindings = new HashMap<>();
        for (ColumnHandle column : predicateColumns.orElseThrow()) {
            MeshColumnHandle handle = (MeshColumnHandle) column;
            if (!handle.partitionKey()) {
                return true;
            }
            bindings.computeIfAbsent(handle, _ -> parse(handle, partitionValues.getOrDefault(handle.name(), Optional.empty()), file));
        }
        return constraint.predicate().orElseThrow().test(bindings);
    }

    public static NullableValue parse(MeshColumnHandle column, Optional<String> text, String file)
    {
        if (text.isEmpty()) {
            return NullableValue.asNull(column.type());
        }
        String value = text.orElseThrow();
        Type type = column.type();
        try {
            return NullableValue.of(type, toNativeValue(type, value));
        }
        catch (RuntimeException e) {
            if (e instanceof TrinoException trinoException) {
                throw trinoException;
            }
            throw new TrinoException(MESH_INVALID_PARTITION_VALUE, "Partition folder %s=%s of file %s is not a valid %s value; fix the folder name or declare the column with another type in the asset schema"
                    .formatted(column.name(), value, file, type.getDisplayName()), e);
        }
    }

    private static long epochMicros(String value)
    {
        LocalDateTime parsed = LocalDateTime.parse(value.trim(), TIMESTAMP);
        long epochSecond = parsed.toEpochSecond(ZoneOffset.UTC);
        return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), parsed.getNano() / 1_000L);
    }

    private static Object toNativeValue(Type type, String value)
    {
        if (type instanceof VarcharType || type instanceof CharType) {
            return utf8Slice(value);
        }
        if (type.equals(BIGINT) || type.equals(INTEGER) || type.equals(SMALLINT) || type.equals(TINYINT)) {
            long parsed = Long.parseLong(value.trim());
            if (type.equals(INTEGER)) {
                toIntExact(parsed);
            }
            else if (type.equals(SMALLINT)) {
                Shorts.checkedCast(parsed);
            }
            else if (type.equals(TINYINT)) {
                SignedBytes.checkedCast(parsed);
            }
            return parsed;
        }
        if (type.equals(BOOLEAN)) {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("not a boolean: " + value);
            }
            return Boolean.parseBoolean(value);
        }
        if (type.equals(DATE)) {
            return LocalDate.parse(value.trim()).toEpochDay();
        }
        if (type.equals(DOUBLE)) {
            return Double.parseDouble(value);
        }
        if (type.equals(REAL)) {
            return (long) Float.floatToIntBits(Float.parseFloat(value));
        }
        if (type instanceof DecimalType decimal) {
            BigDecimal parsed = new BigDecimal(value.trim()).setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
            if (parsed.precision() > decimal.getPrecision()) {
                throw new IllegalArgumentException("too many digits for " + decimal);
            }
            return decimal.isShort() ? parsed.unscaledValue().longValueExact() : Decimals.valueOf(parsed.unscaledValue());
        }
        if (type instanceof TimestampType timestamp && timestamp.isShort()) {
            return epochMicros(value);
        }
        if (type instanceof TimestampWithTimeZoneType timestamp && !timestamp.isShort()) {
            // Delta writes timestamp partition values in UTC
            long epochMicros = epochMicros(value);
            return LongTimestampWithTimeZone.fromEpochMillisAndFraction(
                    Math.floorDiv(epochMicros, 1000),
                    (int) Math.floorMod(epochMicros, 1000) * 1_000_000,
                    UTC_KEY);
        }
        if (type instanceof VarbinaryType) {
            return utf8Slice(value);
        }
        throw new TrinoException(MESH_UNSUPPORTED_ASSET, "Partition key %s cannot be of type %s; declare it as varchar, an integer type, boolean, date, decimal, double or timestamp"
                .formatted(value, type.getDisplayName()));
    }
}
