package dev.datamesh.trino;

import io.trino.spi.connector.SchemaTableName;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * The last error the catalog met while reading each table, shown with its service level: the
 * owner of a stale product learns why it is stale.
 */
public final class AssetErrors
{
    private final ConcurrentMap<SchemaTableName, AssetError> errors = new ConcurrentHashMap<>();

    public record AssetError(Instant time, String message)
    {
        public AssetError
        {
            requireNonNull(time, "time is null");
            requireNonNull(message, "message is null");
        }
    }

    public void record(SchemaTableName table, String message)
    {
        errors.put(table, new AssetError(Instant.now(), message));
    }

    public Optional<AssetError> lastError(SchemaTableName table)
    {
        return Optional.ofNullable(errors.get(table));
    }
}
