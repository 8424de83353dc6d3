package dev.datamesh.trino;

import dev.datamesh.registry.TableVersion;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.type.LongTimestampWithTimeZone;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.Type;

import java.util.function.Function;

import static io.trino.spi.StandardErrorCode.INVALID_ARGUMENTS;
import static io.trino.spi.type.DateTimeEncoding.unpackMillisUtc;

/**
 * The versions of a table a FOR VERSION AS OF or FOR TIMESTAMP AS OF clause names.
 */
public final class TableVersions
{
    private TableVersions() {}

    /**
     * @param byTargetId the version a FOR VERSION AS OF value names, in the table's format
     */
    public static TableVersion toTableVersion(ConnectorTableVersion version, Function<Object, TableVersion> byTargetId)
    {
        Object value = version.getVersion();
        return switch (version.getPointerType()) {
            case TARGET_ID -> byTargetId.apply(value);
            case TEMPORAL -> new TableVersion.AtTimestamp(epochMillis(version.getVersionType(), value));
        };
    }

    private static long epochMillis(Type type, Object value)
    {
        if (type instanceof TimestampWithTimeZoneType timestampType) {
            return timestampType.isShort() ? unpackMillisUtc((long) value) : ((LongTimestampWithTimeZone) value).getEpochMillis();
        }
        throw new TrinoException(INVALID_ARGUMENTS, "FOR TIMESTAMP AS OF needs a timestamp with time zone, not " + type.getDisplayName());
    }
}
