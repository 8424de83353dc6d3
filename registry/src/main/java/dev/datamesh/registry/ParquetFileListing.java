package dev.datamesh.registry;

import com.google.common.collect.ImmutableList;

import java.util.List;

/**
 * The data files of a Parquet asset and the partition keys, in folder order, they share.
 */
public record ParquetFileListing(List<ParquetDataFile> files, List<String> partitionKeys)
{
    public ParquetFileListing
    {
        files = ImmutableList.copyOf(files);
        partitionKeys = ImmutableList.copyOf(partitionKeys);
    }
}
