package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.formats.delta.DeltaDeletionVector;
import dev.datamesh.trino.iceberg.IcebergDeletes;
import io.trino.spi.connector.ConnectorSplit;

import java.util.Map;
import java.util.Optional;

import static io.airlift.slice.SizeOf.estimatedSizeOf;
import static io.airlift.slice.SizeOf.instanceSize;
import static java.util.Objects.requireNonNull;

/**
 * A byte range of one data file. Row groups whose first byte falls in the range belong to it,
 * so the splits of a file cover each row group exactly once. A Delta file may come with the
 * deletion vector of its rows removed since it was written, an Iceberg file with its delete files.
 * In a split read under a row filter, the query's dynamic filters prune nothing.
 */
public record MeshSplit(
        String path,
        long start,
        long length,
        long fileSize,
        Map<String, Optional<String>> partitionValues,
        Optional<DeltaDeletionVector> deletionVector,
        Optional<IcebergDeletes> icebergDeletes,
        boolean dynamicFiltering)
        implements ConnectorSplit
{
    private static final int INSTANCE_SIZE = instanceSize(MeshSplit.class);

    public MeshSplit
    {
        requireNonNull(path, "path is null");
        partitionValues = ImmutableMap.copyOf(partitionValues);
        requireNonNull(deletionVector, "deletionVector is null");
        requireNonNull(icebergDeletes, "icebergDeletes is null");
    }

    @Override
    public Map<String, String> getSplitInfo()
    {
        return ImmutableMap.of("path", path, "start", String.valueOf(start), "length", String.valueOf(length));
    }

    @Override
    public long getRetainedSizeInBytes()
    {
        return INSTANCE_SIZE + estimatedSizeOf(path) + estimatedSizeOf(partitionValues, key -> estimatedSizeOf(key), value -> estimatedSizeOf(value.orElse("")));
    }
}
