package dev.datamesh.policies;

import com.google.common.collect.ImmutableSet;

import java.util.Set;

/**
 * Which assets a rule covers: those of the listed domains, data products and assets (each list
 * narrows the others; an empty list does not narrow). Domains and products are named as in
 * descriptors, assets as {@code product/asset} or by asset name alone.
 */
public record ResourceScope(Set<String> domains, Set<String> products, Set<String> assets)
{
    public static final ResourceScope EVERYWHERE = new ResourceScope(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of());

    public ResourceScope
    {
        domains = ImmutableSet.copyOf(domains);
        products = ImmutableSet.copyOf(products);
        assets = ImmutableSet.copyOf(assets);
    }

    public boolean matches(GovernedAsset asset)
    {
        return (domains.isEmpty() || domains.contains(asset.domain()))
                && (products.isEmpty() || products.contains(asset.product()))
                && (assets.isEmpty() || assets.contains(asset.asset()) || assets.contains(asset.product() + "/" + asset.asset()));
    }
}
