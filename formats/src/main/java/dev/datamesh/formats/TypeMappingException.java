package dev.datamesh.formats;

import static java.util.Objects.requireNonNull;

/**
 * A column the mesh cannot give a SQL type: its type is one the mesh does not read, or it has
 * nested fields that SQL cannot tell apart. The connector reports it under its own error codes.
 */
public final class TypeMappingException
        extends RuntimeException
{
    public enum Reason
    {
        /**
         * A type the mesh does not read.
         */
        UNSUPPORTED_TYPE,
        /**
         * Names that differ only in case, which SQL cannot tell apart.
         */
        AMBIGUOUS_NAMES,
    }

    private final Reason reason;

    public TypeMappingException(Reason reason, String message)
    {
        super(message);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason()
    {
        return reason;
    }
}
