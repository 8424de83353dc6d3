package dev.datamesh.trino.delta;

import io.trino.spi.type.ArrayType;
import io.trino.spi.type.BigintType;
import io.trino.spi.type.BooleanType;
import io.trino.spi.type.DateType;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.DoubleType;
import io.trino.spi.type.IntegerType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.RealType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.SmallintType;
import io.trino.spi.type.TimestampType;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.TinyintType;
import io.trino.spi.type.Type;
import io.trino.spi.type.VarbinaryType;
import io.trino.testing.MaterializedRow;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a value read by the mesh and the reference's text for it into the same canonical key, so
 * that rows can be matched regardless of order and of how each side prints: decimals exactly,
 * doubles to nine significant digits (reals to six), timestamps as instants at the precision the
 * reference printed, nested values as the Trino CLI prints them.
 */
final class CellComparison
{
    private static final DateTimeFormatter LOCAL_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]");

    private CellComparison() {}

    /**
     * @param fractionDigits how many fractional second digits the reference printed for this column
     */
    static String actualKey(Type type, Object value, int fractionDigits)
    {
        if (value == null) {
            // the CLI prints null and the empty string alike
            return "";
        }
        if (type instanceof ArrayType || type instanceof MapType || type instanceof RowType) {
            return format(type, value);
        }
        return scalarKey(type, value, fractionDigits);
    }

    static String expectedKey(Type type, String text, int fractionDigits)
    {
        if (text.isEmpty() || type instanceof ArrayType || type instanceof MapType || type instanceof RowType) {
            return text;
        }
        if (type instanceof DoubleType || type instanceof RealType) {
            return floatingKey(type, Double.parseDouble(text));
        }
        if (type instanceof DecimalType || type instanceof BigintType || type instanceof IntegerType || type instanceof SmallintType || type instanceof TinyintType) {
            return new BigDecimal(text).stripTrailingZeros().toPlainString();
        }
        if (type instanceof TimestampWithTimeZoneType) {
            String local = text.substring(0, text.lastIndexOf(' '));
            String zone = text.substring(text.lastIndexOf(' ') + 1);
            ZonedDateTime instant = LocalDateTime.parse(local, LOCAL_TIMESTAMP).atZone(java.time.ZoneId.of(zone));
            return instantKey(instant.toInstant().getEpochSecond(), instant.getNano(), fractionDigits);
        }
        if (type instanceof TimestampType) {
            LocalDateTime timestamp = LocalDateTime.parse(text, LOCAL_TIMESTAMP);
            return instantKey(timestamp.toEpochSecond(ZoneOffset.UTC), timestamp.getNano(), fractionDigits);
        }
        return text;
    }

    static int fractionDigits(String text)
    {
        int dot = text.indexOf('.', 10);
        if (dot < 0) {
            return 0;
        }
        int end = dot + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end - dot - 1;
    }

    private static String scalarKey(Type type, Object value, int fractionDigits)
    {
        return switch (value) {
            case Double number -> floatingKey(type, number);
            case Float number -> floatingKey(type, number.doubleValue());
            case BigDecimal number -> number.stripTrailingZeros().toPlainString();
            case Long number -> number.toString();
            case Integer number -> number.toString();
            case Short number -> number.toString();
            case Byte number -> number.toString();
            case byte[] bytes -> hex(bytes);
            case ZonedDateTime timestamp -> instantKey(timestamp.toInstant().getEpochSecond(), timestamp.getNano(), fractionDigits);
            case LocalDateTime timestamp -> instantKey(timestamp.toEpochSecond(ZoneOffset.UTC), timestamp.getNano(), fractionDigits);
            default -> value.toString();
        };
    }

    private static String floatingKey(Type type, double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return "0";
        }
        int digits = type instanceof RealType ? 6 : 9;
        return new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros().toPlainString();
    }

    private static String instantKey(long epochSecond, int nanos, int fractionDigits)
    {
        // the reference rounds to the precision it prints
        long unit = (long) Math.pow(10, 9 - Math.min(9, fractionDigits));
        long rounded = Math.floorDiv(nanos + unit / 2, unit) * unit;
        return epochSecond + "." + (rounded >= 1_000_000_000 ? "+" + rounded : String.valueOf(rounded));
    }

    /**
     * The Trino CLI's text for a value: [a, b] for arrays, {k=v} for maps, {name=value} for rows.
     */
    private static String format(Type type, Object value)
    {
        if (value == null) {
            return "NULL";
        }
        return switch (type) {
            case ArrayType array -> ((List<?>) value).stream()
                    .map(element -> format(array.getElementType(), element))
                    .collect(Collectors.joining(", ", "[", "]"));
            case MapType map -> ((Map<?, ?>) value).entrySet().stream()
                    .map(entry -> format(map.getKeyType(), entry.getKey()) + "=" + format(map.getValueType(), entry.getValue()))
                    .sorted()
                    .collect(Collectors.joining(", ", "{", "}"));
            case RowType row -> {
                List<?> fields = value instanceof MaterializedRow materialized ? materialized.getFields() : (List<?>) value;
                StringBuilder text = new StringBuilder("{");
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        text.append(", ");
                    }
                    text.append(row.getFields().get(i).getName().orElse("field" + i)).append('=').append(format(row.getFields().get(i).getType(), fields.get(i)));
                }
                yield text.append('}').toString();
            }
            case VarbinaryType _ -> hex((byte[]) value);
            case TimestampWithTimeZoneType _ -> {
                ZonedDateTime timestamp = (ZonedDateTime) value;
                String pattern = timestamp.getNano() % 1_000_000 == 0 ? "yyyy-MM-dd HH:mm:ss.SSS" : "yyyy-MM-dd HH:mm:ss.SSSSSS";
                yield timestamp.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(pattern)) + " UTC";
            }
            case TimestampType _ -> ((LocalDateTime) value).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
            case BooleanType _, DateType _ -> value.toString();
            default -> value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
        };
    }

    private static String hex(byte[] bytes)
    {
        HexFormat format = HexFormat.ofDelimiter(" ");
        return format.formatHex(bytes);
    }
}
