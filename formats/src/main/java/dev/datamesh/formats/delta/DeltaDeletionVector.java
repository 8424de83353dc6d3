package dev.datamesh.formats.delta;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where an add file's deletion vector is: inline in the log ('i'), in a file beside the data
 * ('u', a UUID-derived name relative to the table) or at an absolute path ('p'), as the Delta
 * protocol says. Self-contained, so that a worker can load it with nothing but the split.
 */
public record DeltaDeletionVector(String tableLocation, String storageType, String pathOrInlineDv, Optional<Integer> offset, int sizeInBytes, long cardinality)
{
    public DeltaDeletionVector
    {
        requireNonNull(tableLocation, "tableLocation is null");
        requireNonNull(storageType, "storageType is null");
        requireNonNull(pathOrInlineDv, "pathOrInlineDv is null");
        requireNonNull(offset, "offset is null");
    }
}
