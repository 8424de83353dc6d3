package dev.datamesh.trino;

import io.trino.spi.connector.ConnectorTransactionHandle;

/**
 * The mesh is read-only, so every query can share one transaction.
 */
public enum MeshTransactionHandle
        implements ConnectorTransactionHandle
{
    INSTANCE
}
