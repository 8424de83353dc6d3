package dev.datamesh.trino.statistics;

import com.google.common.collect.ImmutableList;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.MeshTableHandle;
import io.trino.spi.connector.ConnectorTableHandle;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A table whose statistics an ANALYZE is computing, with the columns they are computed for and
 * the identity of the data it reads, taken before its splits list that data: statistics of data
 * that changes meanwhile are kept under an identity the data no longer has, and never used.
 */
public record MeshAnalyzeHandle(MeshTableHandle table, DataIdentity identity, List<MeshColumnHandle> columns)
        implements ConnectorTableHandle
{
    public MeshAnalyzeHandle
    {
        requireNonNull(table, "table is null");
        requireNonNull(identity, "identity is null");
        columns = ImmutableList.copyOf(columns);
    }
}
