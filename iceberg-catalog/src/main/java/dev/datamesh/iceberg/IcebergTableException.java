package dev.datamesh.iceberg;

/**
 * An Iceberg table that cannot be served: its catalog is unreachable, it does not exist, or its
 * metadata is missing, corrupt or of a kind the mesh does not read. The message says which.
 */
public class IcebergTableException
        extends Exception
{
    public IcebergTableException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
