package dev.datamesh.trino;

import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.type.Type;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A column of a mesh table. {@code fileName} and {@code fileType} are the column's name and type
 * as the data files spell them, which differ from the SQL name in case, and under Delta column
 * mapping in the names of nested fields too; partition keys come from folders or the table log.
 * Iceberg columns have an {@code identity} instead: files are searched by field id, not by name.
 */
public record MeshColumnHandle(String name, Type type, String fileName, Type fileType, boolean partitionKey, Optional<ColumnIdentity> identity)
        implements ColumnHandle
{
    public MeshColumnHandle
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(fileName, "fileName is null");
        requireNonNull(fileType, "fileType is null");
        requireNonNull(identity, "identity is null");
    }

    public static MeshColumnHandle fileColumn(String name, Type type, String fileName)
    {
        return new MeshColumnHandle(name, type, fileName, type, false, Optional.empty());
    }

    public static MeshColumnHandle icebergColumn(String name, Type type, ColumnIdentity identity)
    {
        return new MeshColumnHandle(name, type, name, type, false, Optional.of(identity));
    }

    public static MeshColumnHandle partitionKey(String name, Type type)
    {
        return new MeshColumnHandle(name, type, name, type, true, Optional.empty());
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
