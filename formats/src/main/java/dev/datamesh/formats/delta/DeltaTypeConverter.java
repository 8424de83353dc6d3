package dev.datamesh.formats.delta;

import com.google.common.collect.ImmutableList;
import dev.datamesh.formats.TypeMappingException;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeOperators;

import static dev.datamesh.formats.TypeMappingException.Reason.UNSUPPORTED_TYPE;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.RealType.REAL;
import static io.trino.spi.type.SmallintType.SMALLINT;
import static io.trino.spi.type.TimestampType.TIMESTAMP_MICROS;
import static io.trino.spi.type.TinyintType.TINYINT;
import static io.trino.spi.type.VarbinaryType.VARBINARY;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * Delta types as SQL types. {@code timestamp} is an instant (microseconds, shown in UTC) and
 * {@code timestamp_ntz} a wall-clock time. The physical form names struct fields as the data files
 * do under column mapping; both forms have the same layout, so blocks read with one serve the other.
 */
public final class DeltaTypeConverter
{
    private final TypeOperators typeOperators;

    public DeltaTypeConverter(TypeOperators typeOperators)
    {
        this.typeOperators = requireNonNull(typeOperators, "typeOperators is null");
    }

    public Type logicalType(DataType type, String column)
    {
        return toTrinoType(type, DeltaColumnMapping.NONE, column);
    }

    public Type physicalType(DataType type, DeltaColumnMapping columnMapping, String column)
    {
        return toTrinoType(type, columnMapping, column);
    }

    /**
     * @param columnMapping NONE gives the logical names, others the names in the data files
     */
    private Type toTrinoType(DataType type, DeltaColumnMapping columnMapping, String column)
    {
        return switch (type) {
            case BooleanType _ -> io.trino.spi.type.BooleanType.BOOLEAN;
            case ByteType _ -> TINYINT;
            case ShortType _ -> SMALLINT;
            case IntegerType _ -> INTEGER;
            case LongType _ -> BIGINT;
            case FloatType _ -> REAL;
            case DoubleType _ -> DOUBLE;
            case DecimalType decimal -> io.trino.spi.type.DecimalType.createDecimalType(decimal.getPrecision(), decimal.getScale());
            case StringType _ -> VARCHAR;
            case BinaryType _ -> VARBINARY;
            case DateType _ -> io.trino.spi.type.DateType.DATE;
            case TimestampType _ -> TimestampWithTimeZoneType.TIMESTAMP_TZ_MICROS;
            case TimestampNTZType _ -> TIMESTAMP_MICROS;
            case ArrayType array -> new io.trino.spi.type.ArrayType(toTrinoType(array.getElementType(), columnMapping, column));
            case MapType map -> new io.trino.spi.type.MapType(
                    toTrinoType(map.getKeyType(), columnMapping, column),
                    toTrinoType(map.getValueType(), columnMapping, column),
                    typeOperators);
            case StructType struct -> {
                ImmutableList.Builder<RowType.Field> fields = ImmutableList.builder();
                for (StructField field : struct.fields()) {
                    fields.add(RowType.field(columnMapping.physicalName(field), toTrinoType(field.getDataType(), columnMapping, column)));
                }
                yield RowType.from(fields.build());
            }
            default -> throw new TypeMappingException(UNSUPPORTED_TYPE, "Column '%s' has Delta type %s, which the mesh cannot read".formatted(column, type));
        };
    }
}
