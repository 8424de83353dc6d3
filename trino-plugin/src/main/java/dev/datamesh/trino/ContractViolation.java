package dev.datamesh.trino;

import static java.util.Objects.requireNonNull;

/**
 * One way an asset's data departs from the column contract its descriptor declares. Every kind
 * but an extra column breaks readers that rely on the contract; a column the contract does not
 * declare is reported but served (a producer may add columns; declared, it gets its
 * classification).
 */
public record ContractViolation(Kind kind, String column, String message)
{
    public enum Kind
    {
        MISSING_COLUMN,
        EXTRA_COLUMN,
        TYPE_MISMATCH,
        NULLABILITY,
        INVALID_TYPE;

        public String sqlName()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ContractViolation
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(column, "column is null");
        requireNonNull(message, "message is null");
    }

    public boolean breaking()
    {
        return kind != Kind.EXTRA_COLUMN;
    }
}
