package dev.datamesh.policies;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Everything that governs one principal's reads of one asset: whether it may read at all, the
 * columns denied to it (with the reason for each), the masks and the row filters. Evaluated once
 * per table and query, not once per column.
 */
public record ReadDecision(AccessDecision access, Map<String, AccessDecision> deniedColumns, Map<String, ColumnMaskDecision> masks, List<RowFilterDecision> rowFilters)
{
    public ReadDecision
    {
        requireNonNull(access, "access is null");
        deniedColumns = ImmutableMap.copyOf(deniedColumns);
        masks = ImmutableMap.copyOf(masks);
        rowFilters = ImmutableList.copyOf(rowFilters);
    }
}
