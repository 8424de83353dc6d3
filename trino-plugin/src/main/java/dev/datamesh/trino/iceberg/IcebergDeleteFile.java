package dev.datamesh.trino.iceberg;

import com.google.common.collect.ImmutableList;
import dev.datamesh.trino.MeshColumnHandle;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A delete file that applies to a data file: positions of deleted rows, or values of the
 * equality columns whose rows are deleted.
 */
public record IcebergDeleteFile(String path, long fileSize, Kind kind, List<MeshColumnHandle> equalityColumns)
{
    public enum Kind
    {
        POSITION,
        EQUALITY
    }

    public IcebergDeleteFile
    {
        requireNonNull(path, "path is null");
        requireNonNull(kind, "kind is null");
        equalityColumns = ImmutableList.copyOf(equalityColumns);
    }
}
