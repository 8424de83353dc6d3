package dev.datamesh.policies;

import com.google.common.collect.ImmutableList;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Everything that governs one principal's reads of one asset, evaluated once per table and
 * query: whether it may read at all, the column denials and masks that apply to it (in policy
 * order), and the row filters with its attributes filled in. Looking up a column only matches
 * the column against these rules.
 */
public record ReadDecision(
        AccessDecision access,
        GovernedAsset asset,
        String user,
        List<DenyRule> columnDenials,
        List<ColumnMaskRule> masks,
        List<RowFilterDecision> rowFilters)
{
    public ReadDecision
    {
        requireNonNull(access, "access is null");
        requireNonNull(asset, "asset is null");
        requireNonNull(user, "user is null");
        columnDenials = ImmutableList.copyOf(columnDenials);
        masks = ImmutableList.copyOf(masks);
        rowFilters = ImmutableList.copyOf(rowFilters);
    }

    /**
     * Why the column (lower-case name) is denied, when a global denial covers it.
     */
    public Optional<AccessDecision> columnDenial(String column)
    {
        for (DenyRule rule : columnDenials) {
            if (rule.columns().matches(column, asset.tagsOf(column))) {
                return Optional.of(AccessDecision.deny("column '%s' of %s is denied to user '%s' by %s".formatted(column, asset.productDescription(), user, rule.origin())));
            }
        }
        return Optional.empty();
    }

    /**
     * The mask of the column (lower-case name): the first matching rule's; none for a denied column.
     */
    public Optional<ColumnMaskDecision> mask(String column)
    {
        if (columnDenial(column).isPresent()) {
            return Optional.empty();
        }
        for (ColumnMaskRule rule : masks) {
            if (rule.columns().matches(column, asset.tagsOf(column))) {
                return Optional.of(new ColumnMaskDecision(column, rule.mask(), rule.origin()));
            }
        }
        return Optional.empty();
    }
}
