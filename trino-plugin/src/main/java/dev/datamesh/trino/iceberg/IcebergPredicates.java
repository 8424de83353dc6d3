package dev.datamesh.trino.iceberg;

import dev.datamesh.trino.MeshColumnHandle;
import io.airlift.slice.Slice;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.Range;
import io.trino.spi.predicate.Ranges;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Int128;
import io.trino.spi.type.LongTimestampWithTimeZone;
import io.trino.spi.type.Type;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.RealType.REAL;
import static io.trino.spi.type.TimestampType.TIMESTAMP_MICROS;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MICROS;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.Float.intBitsToFloat;
import static java.lang.Math.toIntExact;

/**
 * A query's constraint as an Iceberg filter, with which Iceberg's scan planning skips manifests
 * and files by partition values (whatever the transforms and the spec each file was written
 * with) and by column bounds. Columns or values it cannot express filter nothing: the engine
 * still applies the whole constraint to the rows read.
 */
public final class IcebergPredicates
{
    private static final int MAX_RANGES = 200;

    private IcebergPredicates() {}

    public static Expression toExpression(TupleDomain<MeshColumnHandle> constraint, Schema schema)
    {
        if (constraint.isNone()) {
            return Expressions.alwaysFalse();
        }
        Expression expression = Expressions.alwaysTrue();
        for (Map.Entry<MeshColumnHandle, Domain> entry : constraint.getDomains().orElseThrow().entrySet()) {
            MeshColumnHandle column = entry.getKey();
            if (column.identity().isEmpty()) {
                continue;
            }
            String name = schema.findColumnName(column.identity().orElseThrow().fieldId());
            if (name == null || schema.findField(column.identity().orElseThrow().fieldId()).type().isNestedType()) {
                continue;
            }
            expression = Expressions.and(expression, toExpression(name, entry.getValue()));
        }
        return expression;
    }

    private static Expression toExpression(String column, Domain domain)
    {
        if (domain.isAll()) {
            return Expressions.alwaysTrue();
        }
        if (domain.getValues().isNone()) {
            return domain.isNullAllowed() ? Expressions.isNull(column) : Expressions.alwaysFalse();
        }
        Type type = domain.getType();
        Expression values = Expressions.alwaysFalse();
        if (!domain.getValues().isAll()) {
            Ranges ranges = domain.getValues().getRanges();
            // a join's dynamic filter can hold thousands of values: beyond a few hundred, Iceberg's
            // file pruning no longer looks at them one by one, and a chain of as many ORs would
            // overflow the stack of whoever walks it; their span prunes as well
            List<Range> kept = ranges.getRangeCount() > MAX_RANGES ? List.of(ranges.getSpan()) : ranges.getOrderedRanges();
            List<Object> singleValues = new ArrayList<>();
            for (Range range : kept) {
                if (range.isSingleValue()) {
                    Optional<Object> value = literal(type, range.getSingleValue());
                    if (value.isEmpty()) {
                        return Expressions.alwaysTrue();
                    }
                    singleValues.add(value.orElseThrow());
                    continue;
                }
                Optional<Expression> rangeExpression = toExpression(column, type, range);
                if (rangeExpression.isEmpty()) {
                    return Expressions.alwaysTrue();
                }
                values = Expressions.or(values, rangeExpression.orElseThrow());
            }
            if (!singleValues.isEmpty()) {
                values = Expressions.or(values, singleValues.size() == 1 ? Expressions.equal(column, singleValues.getFirst()) : Expressions.in(column, singleValues));
            }
        }
        else {
            values = Expressions.notNull(column);
        }
        return domain.isNullAllowed() ? Expressions.or(values, Expressions.isNull(column)) : values;
    }

    private static Optional<Expression> toExpression(String column, Type type, Range range)
    {
        if (range.isSingleValue()) {
            return literal(type, range.getSingleValue()).map(value -> Expressions.equal(column, value));
        }
        Expression expression = Expressions.alwaysTrue();
        if (!range.isLowUnbounded()) {
            Optional<Object> low = literal(type, range.getLowBoundedValue());
            if (low.isEmpty()) {
                return Optional.empty();
            }
            expression = Expressions.and(expression, range.isLowInclusive() ? Expressions.greaterThanOrEqual(column, low.orElseThrow()) : Expressions.greaterThan(column, low.orElseThrow()));
        }
        if (!range.isHighUnbounded()) {
            Optional<Object> high = literal(type, range.getHighBoundedValue());
            if (high.isEmpty()) {
                return Optional.empty();
            }
            expression = Expressions.and(expression, range.isHighInclusive() ? Expressions.lessThanOrEqual(column, high.orElseThrow()) : Expressions.lessThan(column, high.orElseThrow()));
        }
        return Optional.of(expression);
    }

    /**
     * The Java value Iceberg expects for a Trino value: dates in days, timestamps in microseconds.
     */
    private static Optional<Object> literal(Type type, Object value)
    {
        if (type.equals(BOOLEAN) || type.equals(BIGINT) || type.equals(DOUBLE)) {
            return Optional.of(value);
        }
        if (type.equals(INTEGER) || type.equals(DATE)) {
            return Optional.of(toIntExact((long) value));
        }
        if (type.equals(REAL)) {
            return Optional.of(intBitsToFloat(toIntExact((long) value)));
        }
        if (type instanceof DecimalType decimal) {
            return Optional.of(decimal.isShort()
                    ? BigDecimal.valueOf((long) value, decimal.getScale())
                    : new BigDecimal(((Int128) value).toBigInteger(), decimal.getScale()));
        }
        if (type.equals(VARCHAR)) {
            return Optional.of(((Slice) value).toStringUtf8());
        }
        if (type.equals(TIMESTAMP_MICROS)) {
            return Optional.of(value);
        }
        if (type.equals(TIMESTAMP_TZ_MICROS)) {
            LongTimestampWithTimeZone timestamp = (LongTimestampWithTimeZone) value;
            return Optional.of(timestamp.getEpochMillis() * 1000 + timestamp.getPicosOfMilli() / 1_000_000);
        }
        return Optional.empty();
    }
}
