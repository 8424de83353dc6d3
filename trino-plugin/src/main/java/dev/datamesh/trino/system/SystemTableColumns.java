package dev.datamesh.trino.system;

import io.airlift.slice.Slices;
import io.trino.spi.block.Block;
import io.trino.spi.block.BlockBuilder;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.Type;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

import static io.trino.spi.type.DateTimeEncoding.packDateTimeWithZone;
import static io.trino.spi.type.TimeZoneKey.UTC_KEY;
import static io.trino.spi.type.VarcharType.VARCHAR;

/**
 * Columns and values of the mesh's system tables: every column documented, since the catalog
 * is read from tools such as DBeaver that show the comments.
 */
final class SystemTableColumns
{
    static final ArrayType VARCHAR_ARRAY = new ArrayType(VARCHAR);

    private SystemTableColumns() {}

    static ColumnMetadata column(String name, Type type, String comment)
    {
        return ColumnMetadata.builder()
                .setName(name)
                .setType(type)
                .setComment(Optional.of(comment))
                .build();
    }

    static Block varcharArray(Collection<String> values)
    {
        BlockBuilder builder = VARCHAR.createBlockBuilder(null, values.size());
        for (String value : values) {
            VARCHAR.writeSlice(builder, Slices.utf8Slice(value));
        }
        return builder.build();
    }

    static Long timestampWithTimeZone(Instant instant)
    {
        return packDateTimeWithZone(instant.toEpochMilli(), UTC_KEY);
    }
}
