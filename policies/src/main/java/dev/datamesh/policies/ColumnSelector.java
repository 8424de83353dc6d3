package dev.datamesh.policies;

import com.google.common.collect.ImmutableSet;

import java.util.Set;

/**
 * Which columns of an asset a rule covers: those with one of the tags its schema declares
 * (classifications such as {@code pii}), or with one of the names. The tag {@value #UNCLASSIFIED}
 * selects the columns that carry no tag, declared or not, so a policy can cover what no domain
 * has classified yet. Empty selects no column.
 */
public record ColumnSelector(Set<String> tags, Set<String> names)
{
    public static final String UNCLASSIFIED = "unclassified";
    public static final ColumnSelector NONE = new ColumnSelector(ImmutableSet.of(), ImmutableSet.of());

    public ColumnSelector
    {
        tags = ImmutableSet.copyOf(tags);
        names = ImmutableSet.copyOf(names);
    }

    public boolean isEmpty()
    {
        return tags.isEmpty() && names.isEmpty();
    }

    public boolean matches(String column, Set<String> columnTags)
    {
        if (names.contains(column)) {
            return true;
        }
        if (columnTags.isEmpty()) {
            return tags.contains(UNCLASSIFIED);
        }
        for (String tag : columnTags) {
            if (tags.contains(tag)) {
                return true;
            }
        }
        return false;
    }
}
