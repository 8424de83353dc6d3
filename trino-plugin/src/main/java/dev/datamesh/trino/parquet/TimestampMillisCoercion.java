package dev.datamesh.trino.parquet;

import io.trino.spi.block.Block;
import io.trino.spi.block.BlockBuilder;
import io.trino.spi.type.LongTimestampWithTimeZone;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.Type;

import java.util.function.UnaryOperator;

import static io.trino.spi.type.DateTimeEncoding.unpackMillisUtc;
import static io.trino.spi.type.TimeZoneKey.UTC_KEY;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MICROS;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MILLIS;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

/**
 * trino-parquet reads millisecond instants only into timestamp(3) with time zone; a column
 * declared with microseconds (a Delta timestamp) is read that way and widened afterwards.
 */
final class TimestampMillisCoercion
        implements UnaryOperator<Block>
{
    static boolean applies(io.trino.spi.type.Type declaredType, Type parquetField)
    {
        return declaredType.equals(TIMESTAMP_TZ_MICROS)
                && parquetField.isPrimitive()
                && parquetField.asPrimitiveType().getPrimitiveTypeName() == INT64
                && parquetField.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation timestamp
                && timestamp.getUnit() == TimeUnit.MILLIS;
    }

    static io.trino.spi.type.Type readType()
    {
        return TIMESTAMP_TZ_MILLIS;
    }

    @Override
    public Block apply(Block millis)
    {
        BlockBuilder micros = TIMESTAMP_TZ_MICROS.createBlockBuilder(null, millis.getPositionCount());
        for (int position = 0; position < millis.getPositionCount(); position++) {
            if (millis.isNull(position)) {
                micros.appendNull();
            }
            else {
                long packed = TIMESTAMP_TZ_MILLIS.getLong(millis, position);
                TIMESTAMP_TZ_MICROS.writeObject(micros, LongTimestampWithTimeZone.fromEpochMillisAndFraction(unpackMillisUtc(packed), 0, UTC_KEY));
            }
        }
        return micros.build();
    }
}
