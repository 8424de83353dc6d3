package dev.datamesh.trino.security;

import dev.datamesh.policies.Mask;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.BigintType;
import io.trino.spi.type.CharType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.Type;
import io.trino.spi.type.VarbinaryType;
import io.trino.spi.type.VarcharType;

import static java.util.stream.Collectors.joining;

/**
 * The SQL a masked column reads as, for the column's type: Trino requires a mask of the
 * column's own type. Masks that only make sense for text (redact, partial) read as null on other
 * types; a hash keeps bigint columns joinable as a bigint digest.
 */
final class MaskExpressions
{
    private static final String REDACTED = "*****";

    private MaskExpressions() {}

    static String sql(Mask mask, String column, Type type)
    {
        String reference = quoted(column);
        String typeName = sqlType(type);
        boolean text = type instanceof VarcharType || type instanceof CharType;
        return switch (mask.kind()) {
            case NULL -> "CAST(NULL AS %s)".formatted(typeName);
            case REDACT -> text ? "CAST(CASE WHEN %s IS NULL THEN NULL ELSE '%s' END AS %s)".formatted(reference, REDACTED, typeName) : "CAST(NULL AS %s)".formatted(typeName);
            case HASH -> {
                if (text) {
                    yield "CAST(lower(to_hex(sha256(to_utf8(%s)))) AS %s)".formatted(reference, typeName);
                }
                if (type instanceof VarbinaryType) {
                    yield "sha256(%s)".formatted(reference);
                }
                if (type instanceof BigintType) {
                    yield "from_big_endian_64(xxhash64(to_utf8(CAST(%s AS varchar))))".formatted(reference);
                }
                yield "CAST(NULL AS %s)".formatted(typeName);
            }
            case PARTIAL -> text
                    ? "CAST(CASE WHEN length(%1$s) <= 4 THEN regexp_replace(%1$s, '.', '*') ELSE concat(regexp_replace(substr(%1$s, 1, length(%1$s) - 4), '.', '*'), substr(%1$s, length(%1$s) - 3)) END AS %2$s)".formatted(reference, typeName)
                    : "CAST(NULL AS %s)".formatted(typeName);
            case EXPRESSION -> "CAST((%s) AS %s)".formatted(mask.expression().orElseThrow().replace("${column}", reference), typeName);
        };
    }

    /**
     * The type as SQL can name it: nested field names are quoted, as names such as {@code from}
     * or {@code Order Date} are not identifiers otherwise.
     */
    static String sqlType(Type type)
    {
        return switch (type) {
            case RowType row -> row.getFields().stream()
                    .map(field -> field.getName().map(name -> quoted(name) + " ").orElse("") + sqlType(field.getType()))
                    .collect(joining(", ", "row(", ")"));
            case ArrayType array -> "array(" + sqlType(array.getElementType()) + ")";
            case MapType map -> "map(" + sqlType(map.getKeyType()) + ", " + sqlType(map.getValueType()) + ")";
            default -> type.getDisplayName();
        };
    }

    static String quoted(String identifier)
    {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
