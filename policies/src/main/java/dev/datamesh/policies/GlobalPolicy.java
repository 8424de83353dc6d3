package dev.datamesh.policies;

import com.google.common.collect.ImmutableList;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Everything the mesh's global policy files and role mapping say, in the order they were written
 * (files by name, rules in file order): the order in which masks are tried. A public catalog shows
 * every product's description (the mesh's system tables) to every user, not only the products
 * the user may read.
 */
public record GlobalPolicy(RoleMapping roles, List<DenyRule> denials, List<ColumnMaskRule> masks, List<RowFilterRule> rowFilters, List<ImpersonationRule> impersonation, boolean publicCatalog)
{
    public static final GlobalPolicy EMPTY = new GlobalPolicy(RoleMapping.EMPTY, ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of());

    public GlobalPolicy(RoleMapping roles, List<DenyRule> denials, List<ColumnMaskRule> masks, List<RowFilterRule> rowFilters, List<ImpersonationRule> impersonation)
    {
        this(roles, denials, masks, rowFilters, impersonation, false);
    }

    public GlobalPolicy
    {
        requireNonNull(roles, "roles is null");
        denials = ImmutableList.copyOf(denials);
        masks = ImmutableList.copyOf(masks);
        rowFilters = ImmutableList.copyOf(rowFilters);
        impersonation = ImmutableList.copyOf(impersonation);
    }
}
