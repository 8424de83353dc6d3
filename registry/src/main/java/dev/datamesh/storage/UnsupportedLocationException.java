package dev.datamesh.storage;

/**
 * A location whose storage the mesh is not configured to read, with what to use instead in the message.
 */
public final class UnsupportedLocationException
        extends RuntimeException
{
    public UnsupportedLocationException(String message)
    {
        super(message);
    }
}
