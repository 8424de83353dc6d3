package dev.datamesh.trino;

import io.trino.spi.connector.ColumnMetadata;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A column of a resolved table: its handle and the description its contract gives it.
 */
public record MeshColumn(MeshColumnHandle handle, Optional<String> description)
{
    public MeshColumn
    {
        requireNonNull(handle, "handle is null");
        requireNonNull(description, "description is null");
    }

    public ColumnMetadata metadata()
    {
        return handle.toColumnMetadata(description.orElse(null));
    }
}
