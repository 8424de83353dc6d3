package dev.datamesh.formats.delta;

import com.google.common.collect.ImmutableList;
import io.delta.kernel.types.StructType;
import io.trino.filesystem.Location;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One version of a Delta table: its logical schema (Kernel types, with column mapping metadata
 * on each field), its partition columns and its live files.
 */
public record DeltaSnapshot(
        Location tableLocation,
        long version,
        long timestampMillis,
        StructType schema,
        List<String> partitionColumns,
        DeltaColumnMapping columnMapping,
        List<DeltaDataFile> files)
{
    public DeltaSnapshot
    {
        requireNonNull(tableLocation, "tableLocation is null");
        requireNonNull(schema, "schema is null");
        partitionColumns = ImmutableList.copyOf(partitionColumns);
        requireNonNull(columnMapping, "columnMapping is null");
        files = ImmutableList.copyOf(files);
    }
}
