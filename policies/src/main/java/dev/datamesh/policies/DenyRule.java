package dev.datamesh.policies;

import static java.util.Objects.requireNonNull;

/**
 * A global denial no domain grant can override: the assets in scope, or only their selected
 * columns, are denied to the principals it applies to.
 */
public record DenyRule(RuleOrigin origin, ResourceScope scope, ColumnSelector columns, Principals appliesTo, Principals except)
{
    public DenyRule
    {
        requireNonNull(origin, "origin is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(columns, "columns is null");
        requireNonNull(appliesTo, "appliesTo is null");
        requireNonNull(except, "except is null");
    }

    /**
     * Whether the whole asset is denied, not only some of its columns.
     */
    public boolean deniesAsset()
    {
        return columns.isEmpty();
    }

    public boolean matches(Principal principal, GovernedAsset asset, boolean owner)
    {
        return scope.matches(asset) && appliesTo.appliesTo(principal, owner) && !except.includes(principal, owner);
    }
}
