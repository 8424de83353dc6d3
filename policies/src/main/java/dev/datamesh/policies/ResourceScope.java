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

    /**
     * Whether the rule covers the asset; one shared from another product's asset also where it
     * covers that asset, so that no rule of the owner's is shed by re-publishing.
     */
    public boolean matches(GovernedAsset asset)
    {
        return matches(asset.domain(), asset.product(), asset.asset())
                || asset.sharedFrom().map(origin -> matches(origin.domain(), origin.product(), origin.asset())).orElse(false);
    }

    private boolean matches(String domain, String product, String asset)
    {
        return (domains.isEmpty() || domains.contains(domain))
                && (products.isEmpty() || products.contains(product))
                && (assets.isEmpty() || assets.contains(asset) || assets.contains(product + "/" + asset));
    }
}
