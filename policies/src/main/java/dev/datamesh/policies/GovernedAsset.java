package dev.datamesh.policies;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.Objects.requireNonNull;

/**
 * A data asset as governance sees it: where it belongs, who owns it, what its domain grants,
 * and the classification tags of its columns (by lower-case column name). An asset a product
 * publishes from another's, shared with it, keeps where the data comes from: the rules scoped to
 * the owner's domain, product or asset cover it too, and its tags are the owner's contract's.
 */
public record GovernedAsset(String domain, String product, String asset, String owner, List<AccessGrant> grants, Map<String, Set<String>> columnTags, Optional<SharedFrom> sharedFrom)
{
    /**
     * The owner's domain, product and asset of a shared asset.
     */
    public record SharedFrom(String domain, String product, String asset)
    {
        public SharedFrom
        {
            requireNonNull(domain, "domain is null");
            requireNonNull(product, "product is null");
            requireNonNull(asset, "asset is null");
        }
    }

    public GovernedAsset(String domain, String product, String asset, String owner, List<AccessGrant> grants, Map<String, Set<String>> columnTags)
    {
        this(domain, product, asset, owner, grants, columnTags, Optional.empty());
    }

    public GovernedAsset
    {
        requireNonNull(domain, "domain is null");
        requireNonNull(product, "product is null");
        requireNonNull(asset, "asset is null");
        requireNonNull(owner, "owner is null");
        grants = ImmutableList.copyOf(grants);
        columnTags = columnTags.entrySet().stream()
                .collect(toImmutableMap(Map.Entry::getKey, entry -> ImmutableSet.copyOf(entry.getValue())));
        requireNonNull(sharedFrom, "sharedFrom is null");
    }

    public Set<String> tagsOf(String column)
    {
        return columnTags.getOrDefault(column, ImmutableSet.of());
    }

    public String productDescription()
    {
        return "data product '%s' (domain %s)".formatted(product, domain)
                + sharedFrom.map(origin -> ", shared from data product '%s' (domain %s)".formatted(origin.product(), origin.domain())).orElse("");
    }
}
