package dev.datamesh.formats.iceberg;

import com.google.common.collect.ImmutableList;
import dev.datamesh.formats.TypeMappingException;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeOperators;
import org.apache.iceberg.types.Types;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static dev.datamesh.formats.TypeMappingException.Reason.AMBIGUOUS_NAMES;
import static dev.datamesh.formats.TypeMappingException.Reason.UNSUPPORTED_TYPE;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.RealType.REAL;
import static io.trino.spi.type.TimeType.TIME_MICROS;
import static io.trino.spi.type.TimestampType.TIMESTAMP_MICROS;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MICROS;
import static io.trino.spi.type.UuidType.UUID;
import static io.trino.spi.type.VarbinaryType.VARBINARY;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * Iceberg types as SQL sees them, the mapping of Trino's Iceberg connector: timestamps keep their
 * microseconds, timestamptz is a timestamp with time zone (UTC), fixed and binary are varbinary.
 */
public final class IcebergTypeConverter
{
    private final TypeOperators typeOperators;

    public IcebergTypeConverter(TypeOperators typeOperators)
    {
        this.typeOperators = requireNonNull(typeOperators, "typeOperators is null");
    }

    public Type toTrinoType(org.apache.iceberg.types.Type type, String column)
    {
        return switch (type) {
            case Types.BooleanType _ -> BOOLEAN;
            case Types.IntegerType _ -> INTEGER;
            case Types.LongType _ -> BIGINT;
            case Types.FloatType _ -> REAL;
            case Types.DoubleType _ -> DOUBLE;
            case Types.DecimalType decimal -> DecimalType.createDecimalType(decimal.precision(), decimal.scale());
            case Types.DateType _ -> DATE;
            case Types.TimeType _ -> TIME_MICROS;
            case Types.TimestampType timestamp -> timestamp.shouldAdjustToUTC() ? TIMESTAMP_TZ_MICROS : TIMESTAMP_MICROS;
            case Types.StringType _ -> VARCHAR;
            case Types.UUIDType _ -> UUID;
            case Types.FixedType _, Types.BinaryType _ -> VARBINARY;
            case Types.StructType struct -> rowType(struct, column);
            case Types.ListType list -> new ArrayType(toTrinoType(list.elementType(), column));
            case Types.MapType map -> new MapType(toTrinoType(map.keyType(), column), toTrinoType(map.valueType(), column), typeOperators);
            default -> throw new TypeMappingException(UNSUPPORTED_TYPE, "column '%s' has the Iceberg type %s, which the mesh cannot read yet".formatted(column, type));
        };
    }

    private RowType rowType(Types.StructType struct, String column)
    {
        Map<String, String> names = new HashMap<>();
        ImmutableList.Builder<RowType.Field> fields = ImmutableList.builder();
        for (Types.NestedField field : struct.fields()) {
            String previous = names.putIfAbsent(field.name().toLowerCase(Locale.ROOT), field.name());
            if (previous != null) {
                // Parquet readers and SQL dereference both match nested names regardless of case
                throw new TypeMappingException(AMBIGUOUS_NAMES, "column '%s' has nested fields '%s' and '%s', which differ only in case; SQL cannot tell them apart".formatted(column, previous, field.name()));
            }
            fields.add(RowType.field(field.name(), toTrinoType(field.type(), column)));
        }
        return RowType.from(fields.build());
    }
}
