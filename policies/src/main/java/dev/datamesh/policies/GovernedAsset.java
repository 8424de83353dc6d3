package dev.datamesh.policies;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.Objects.requireNonNull;

/**
 * A data asset as governance sees it: where it belongs, who owns it, what its domain grants,
 * and the classification tags of its columns (by lower-case column name).
 */
public record GovernedAsset(String domain, String product, String asset, String owner, List<AccessGrant> grants, Map<String, Set<String>> columnTags)
{
    public GovernedAsset
    {
        requireNonNull(domain, "domain is null");
        requireNonNull(product, "product is null");
        requireNonNull(asset, "asset is null");
        requireNonNull(owner, "owner is null");
        grants = ImmutableList.copyOf(grants);
        columnTags = columnTags.entrySet().stream()
                .collect(toImmutableMap(Map.Entry::getKey, entry -> ImmutableSet.copyOf(entry.getValue())));
    }

    public Set<String> tagsOf(String column)
    {
        return columnTags.getOrDefault(column, ImmutableSet.of());
    }

    public String productDescription()
    {
        return "data product '%s' (domain %s)".formatted(product, domain);
    }
}
