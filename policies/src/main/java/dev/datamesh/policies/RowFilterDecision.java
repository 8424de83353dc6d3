package dev.datamesh.policies;

import static java.util.Objects.requireNonNull;

/**
 * A row filter in force for a principal: SQL with the principal's attributes filled in, and the
 * rule it comes from.
 */
public record RowFilterDecision(String expression, RuleOrigin rule)
{
    public RowFilterDecision
    {
        requireNonNull(expression, "expression is null");
        requireNonNull(rule, "rule is null");
    }
}
