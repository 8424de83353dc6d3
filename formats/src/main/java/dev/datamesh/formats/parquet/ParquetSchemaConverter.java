package dev.datamesh.formats.parquet;

import com.google.common.collect.ImmutableList;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.TimeType;
import io.trino.spi.type.TimestampType;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeOperators;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.ListLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.RealType.REAL;
import static io.trino.spi.type.SmallintType.SMALLINT;
import static io.trino.spi.type.TinyintType.TINYINT;
import static io.trino.spi.type.UuidType.UUID;
import static io.trino.spi.type.VarbinaryType.VARBINARY;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;
import static org.apache.parquet.schema.Type.Repetition.REPEATED;

/**
 * Derives the SQL type of a Parquet column from its physical type and logical annotation,
 * following the Parquet format's rules, including the legacy list and map layouts older writers use.
 * A column with no SQL equivalent (INTERVAL, FLOAT16) yields empty and is left out of the table.
 */
public final class ParquetSchemaConverter
{
    private final TypeOperators typeOperators;

    public ParquetSchemaConverter(TypeOperators typeOperators)
    {
        this.typeOperators = requireNonNull(typeOperators, "typeOperators is null");
    }

    public Optional<Type> toTrinoType(org.apache.parquet.schema.Type parquetType)
    {
        Optional<Type> type = valueType(parquetType);
        // a repeated field outside a LIST is a list of its values
        return parquetType.isRepetition(REPEATED) ? type.map(ArrayType::new) : type;
    }

    private Optional<Type> valueType(org.apache.parquet.schema.Type parquetType)
    {
        if (parquetType.isPrimitive()) {
            return primitiveType(parquetType.asPrimitiveType());
        }
        GroupType group = parquetType.asGroupType();
        LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
        if (annotation instanceof ListLogicalTypeAnnotation) {
            return listType(group);
        }
        if (annotation instanceof MapLogicalTypeAnnotation || annotation instanceof MapKeyValueTypeAnnotation) {
            return mapType(group);
        }
        return rowType(group);
    }

    private Optional<Type> listType(GroupType list)
    {
        if (list.getFieldCount() != 1) {
            return Optional.empty();
        }
        org.apache.parquet.schema.Type repeated = list.getType(0);
        if (repeated.isPrimitive()
                || repeated.asGroupType().getFieldCount() > 1
                || repeated.getName().equals("array")
                || repeated.getName().equals(list.getName() + "_tuple")) {
            // legacy two-level list: the repeated field is the element itself
            return valueType(repeated).map(ArrayType::new);
        }
        return toTrinoType(repeated.asGroupType().getType(0)).map(ArrayType::new);
    }

    private Optional<Type> mapType(GroupType map)
    {
        if (map.getFieldCount() != 1 || map.getType(0).isPrimitive()) {
            return Optional.empty();
        }
        GroupType keyValue = map.getType(0).asGroupType();
        if (keyValue.getFieldCount() != 2) {
            return Optional.empty();
        }
        Optional<Type> key = toTrinoType(keyValue.getType(0));
        Optional<Type> value = toTrinoType(keyValue.getType(1));
        if (key.isEmpty() || value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MapType(key.orElseThrow(), value.orElseThrow(), typeOperators));
    }

    private Optional<Type> rowType(GroupType group)
    {
        ImmutableList.Builder<RowType.Field> fields = ImmutableList.builder();
        for (org.apache.parquet.schema.Type field : group.getFields()) {
            Optional<Type> fieldType = toTrinoType(field);
            if (fieldType.isEmpty()) {
                return Optional.empty();
            }
            fields.add(RowType.field(field.getName().toLowerCase(Locale.ROOT), fieldType.orElseThrow()));
        }
        List<RowType.Field> built = fields.build();
        return built.isEmpty() ? Optional.empty() : Optional.of(RowType.from(built));
    }

    private static Optional<Type> primitiveType(PrimitiveType primitive)
    {
        LogicalTypeAnnotation annotation = primitive.getLogicalTypeAnnotation();
        if (annotation instanceof DecimalLogicalTypeAnnotation decimal) {
            if (decimal.getPrecision() > DecimalType.DEFAULT_PRECISION) {
                return Optional.empty();
            }
            return Optional.of(DecimalType.createDecimalType(decimal.getPrecision(), decimal.getScale()));
        }
        return switch (primitive.getPrimitiveTypeName()) {
            case BOOLEAN -> Optional.of(BOOLEAN);
            case INT32 -> int32Type(annotation);
            case INT64 -> int64Type(annotation);
            case INT96 -> Optional.of(TimestampType.TIMESTAMP_NANOS);
            case FLOAT -> annotation == null ? Optional.of(REAL) : Optional.empty();
            case DOUBLE -> Optional.of(DOUBLE);
            case BINARY -> binaryType(annotation);
            case FIXED_LEN_BYTE_ARRAY -> annotation instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation
                    ? Optional.of(UUID)
                    : annotation == null ? Optional.of(VARBINARY) : Optional.empty();
        };
    }

    private static Optional<Type> int32Type(LogicalTypeAnnotation annotation)
    {
        if (annotation == null) {
            return Optional.of(INTEGER);
        }
        if (annotation instanceof IntLogicalTypeAnnotation integer) {
            return Optional.of(switch (integer.getBitWidth()) {
                case 8 -> integer.isSigned() ? TINYINT : SMALLINT;
                case 16 -> integer.isSigned() ? SMALLINT : INTEGER;
                default -> integer.isSigned() ? INTEGER : BIGINT;
            });
        }
        if (annotation instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return Optional.of(DATE);
        }
        if (annotation instanceof TimeLogicalTypeAnnotation time && time.getUnit() == TimeUnit.MILLIS) {
            return Optional.of(TimeType.TIME_MILLIS);
        }
        return Optional.empty();
    }

    private static Optional<Type> int64Type(LogicalTypeAnnotation annotation)
    {
        if (annotation == null) {
            return Optional.of(BIGINT);
        }
        if (annotation instanceof IntLogicalTypeAnnotation integer) {
            return Optional.of(integer.isSigned() ? BIGINT : DecimalType.createDecimalType(20, 0));
        }
        if (annotation instanceof TimestampLogicalTypeAnnotation timestamp) {
            int precision = precision(timestamp.getUnit());
            return Optional.of(timestamp.isAdjustedToUTC()
                    ? TimestampWithTimeZoneType.createTimestampWithTimeZoneType(precision)
                    : TimestampType.createTimestampType(precision));
        }
        if (annotation instanceof TimeLogicalTypeAnnotation time) {
            return Optional.of(TimeType.createTimeType(precision(time.getUnit())));
        }
        return Optional.empty();
    }

    private static Optional<Type> binaryType(LogicalTypeAnnotation annotation)
    {
        if (annotation == null || annotation instanceof LogicalTypeAnnotation.BsonLogicalTypeAnnotation) {
            return Optional.of(VARBINARY);
        }
        if (annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
            return Optional.of(VARCHAR);
        }
        return Optional.empty();
    }

    private static int precision(TimeUnit unit)
    {
        return switch (unit) {
            case MILLIS -> 3;
            case MICROS -> 6;
            case NANOS -> 9;
        };
    }
}
