package dev.datamesh.registry;

import com.google.common.collect.ImmutableMap;
import io.trino.filesystem.Location;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One data file of a Parquet asset, with the values of the key=value folders it sits in
 * (empty for Hive's null partition).
 */
public record ParquetDataFile(Location location, long length, Instant lastModified, Map<String, Optional<String>> partitionValues)
{
    public ParquetDataFile
    {
        requireNonNull(location, "location is null");
        requireNonNull(lastModified, "lastModified is null");
        partitionValues = ImmutableMap.copyOf(partitionValues);
    }
}
