package dev.datamesh.formats.delta;

import com.google.common.collect.ImmutableMap;
import io.trino.filesystem.Location;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A live data file of a Delta snapshot: its partition values as the log writes them (empty for
 * null), the rows deleted from it, if any, and the statistics its writer recorded.
 */
public record DeltaDataFile(
        Location location,
        long size,
        Map<String, Optional<String>> partitionValues,
        Optional<DeltaDeletionVector> deletionVector,
        Optional<DeltaFileStatistics> statistics)
{
    public DeltaDataFile
    {
        requireNonNull(location, "location is null");
        partitionValues = ImmutableMap.copyOf(partitionValues);
        requireNonNull(deletionVector, "deletionVector is null");
        requireNonNull(statistics, "statistics is null");
    }
}
