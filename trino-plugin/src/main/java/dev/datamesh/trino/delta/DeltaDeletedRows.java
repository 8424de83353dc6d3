package dev.datamesh.trino.delta;

import dev.datamesh.formats.delta.DeltaDeletionVector;
import dev.datamesh.formats.delta.DeltaTableLoader;
import dev.datamesh.trino.RowDeletes;
import dev.datamesh.trino.StorageFailures;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.spi.TrinoException;

import java.util.Optional;
import java.util.function.LongPredicate;

import static dev.datamesh.trino.MeshErrorCode.MESH_BAD_DATA;
import static java.util.Objects.requireNonNull;

/**
 * The rows of a Delta data file its deletion vector removes.
 */
public final class DeltaDeletedRows
        implements RowDeletes
{
    private final LongPredicate deleted;

    private DeltaDeletedRows(LongPredicate deleted)
    {
        this.deleted = requireNonNull(deleted, "deleted is null");
    }

    /**
     * @param fileDescription the data file and its table, as errors name them
     */
    public static DeltaDeletedRows read(TrinoFileSystem fileSystem, DeltaDeletionVector deletionVector, String fileDescription)
    {
        try {
            return new DeltaDeletedRows(new DeltaTableLoader(fileSystem).deletedRows(deletionVector)::contains);
        }
        catch (RuntimeException e) {
            throw new TrinoException(MESH_BAD_DATA, "Cannot read the deletion vector of %s: %s".formatted(fileDescription, StorageFailures.explain(e)), e);
        }
    }

    @Override
    public Optional<LongPredicate> deletedPositions()
    {
        return Optional.of(deleted);
    }
}
