package dev.datamesh.trino;

import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.type.Type;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A column of a mesh table. {@code fileName} is the column's name in the data files, which may
 * differ in case from the SQL name; partition keys come from key=value folders instead of files.
 */
public record MeshColumnHandle(String name, Type type, String fileName, boolean partitionKey)
        implements ColumnHandle
{
    public MeshColumnHandle
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(fileName, "fileName is null");
    }

    public ColumnMetadata toColumnMetadata(String comment)
    {
        return ColumnMetadata.builder()
                .setName(name)
                .setType(type)
                .setComment(Optional.ofNullable(comment))
                .setExtraInfo(partitionKey ? Optional.of("partition key") : Optional.empty())
                .build();
    }

    @Override
    public String toString()
    {
        return name + ":" + type.getDisplayName();
    }
}
