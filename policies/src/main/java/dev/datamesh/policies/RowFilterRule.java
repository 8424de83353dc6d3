package dev.datamesh.policies;

import static java.util.Objects.requireNonNull;

/**
 * A global rule that shows the principals it applies to only the rows of the assets in scope
 * for which the SQL expression is true. {@code ${attribute.NAME}} in the expression stands for
 * the principal's values of that attribute, as a list of SQL string literals.
 */
public record RowFilterRule(RuleOrigin origin, ResourceScope scope, Principals appliesTo, Principals except, String expression)
{
    public RowFilterRule
    {
        requireNonNull(origin, "origin is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(appliesTo, "appliesTo is null");
        requireNonNull(except, "except is null");
        requireNonNull(expression, "expression is null");
    }

    public boolean matches(Principal principal, GovernedAsset asset, boolean owner)
    {
        return scope.matches(asset) && appliesTo.appliesTo(principal, owner) && !except.includes(principal, owner);
    }
}
