package dev.datamesh.policies;

import java.util.Locale;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * How a masked column reads. The connector turns the kind into SQL for the column's type;
 * an expression is SQL in which {@code ${column}} stands for the masked column.
 */
public record Mask(Kind kind, Optional<String> expression)
{
    public enum Kind
    {
        /** a fixed text in place of every value (null for non-text columns) */
        REDACT,
        /** a SHA-256 digest of the value, so that masked columns still join and group */
        HASH,
        /** null */
        NULL,
        /** only the last four characters kept, the others replaced by '*' */
        PARTIAL,
        /** a SQL expression */
        EXPRESSION;

        public String policyName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Mask
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(expression, "expression is null");
        checkArgument(expression.isPresent() == (kind == Kind.EXPRESSION), "an expression is given for expression masks and only for them");
    }

    public static Mask of(Kind kind)
    {
        return new Mask(kind, Optional.empty());
    }

    public static Mask expression(String sql)
    {
        return new Mask(Kind.EXPRESSION, Optional.of(sql));
    }

    @Override
    public String toString()
    {
        return expression.orElse(kind.policyName());
    }
}
