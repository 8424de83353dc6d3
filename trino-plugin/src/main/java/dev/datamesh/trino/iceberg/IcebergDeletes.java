package dev.datamesh.trino.iceberg;

import com.google.common.collect.ImmutableList;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The delete files of one data file, with the data file's path as Iceberg recorded it, which is
 * what position delete files name.
 */
public record IcebergDeletes(String dataFilePath, List<IcebergDeleteFile> files)
{
    public IcebergDeletes
    {
        requireNonNull(dataFilePath, "dataFilePath is null");
        files = ImmutableList.copyOf(files);
    }
}
