package dev.datamesh.trino;

import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.connector.ConnectorSession;

import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * The rows of a split's data file that its format records as deleted since the file was written:
 * a Delta deletion vector, Iceberg position and equality delete files. A page source reads the
 * columns these deletes need, skips the deleted positions, and has the rest filtered.
 */
public interface RowDeletes
{
    /**
     * A file none of whose rows is deleted.
     */
    RowDeletes NONE = Optional::empty;

    /**
     * The positions of the deleted rows, when any are deleted by position.
     */
    Optional<LongPredicate> deletedPositions();

    /**
     * The columns the data must be read with: the query's, then those the deletes compare.
     */
    default List<MeshColumnHandle> readColumns(List<MeshColumnHandle> columns)
    {
        return columns;
    }

    /**
     * The page source without the rows deleted by value, with the query's columns only.
     */
    default ConnectorPageSource apply(ConnectorPageSource source, ConnectorSession session, List<MeshColumnHandle> readColumns, int outputChannels)
    {
        return source;
    }
}
