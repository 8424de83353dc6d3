package dev.datamesh.policies;

import static java.util.Objects.requireNonNull;

/**
 * The mask a column reads through for a principal, and the rule that put it there.
 */
public record ColumnMaskDecision(String column, Mask mask, RuleOrigin rule)
{
    public ColumnMaskDecision
    {
        requireNonNull(column, "column is null");
        requireNonNull(mask, "mask is null");
        requireNonNull(rule, "rule is null");
    }
}
