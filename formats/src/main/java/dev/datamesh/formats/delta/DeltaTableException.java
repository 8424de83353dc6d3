package dev.datamesh.formats.delta;

/**
 * A Delta table that cannot be read correctly, with the reason in the message.
 */
public class DeltaTableException
        extends Exception
{
    public DeltaTableException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
