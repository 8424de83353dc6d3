package dev.datamesh.policies;

import static java.util.Objects.requireNonNull;

/**
 * A global rule that masks the selected columns of the assets in scope for the principals it
 * applies to, except those it exempts.
 */
public record ColumnMaskRule(RuleOrigin origin, ResourceScope scope, ColumnSelector columns, Principals appliesTo, Principals except, Mask mask)
{
    public ColumnMaskRule
    {
        requireNonNull(origin, "origin is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(columns, "columns is null");
        requireNonNull(appliesTo, "appliesTo is null");
        requireNonNull(except, "except is null");
        requireNonNull(mask, "mask is null");
    }

    /**
     * Whether the rule bears on this principal reading this asset, whatever the column.
     */
    public boolean matches(Principal principal, GovernedAsset asset, boolean owner)
    {
        return scope.matches(asset) && appliesTo.appliesTo(principal, owner) && !except.includes(principal, owner);
    }
}
