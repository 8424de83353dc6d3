package dev.datamesh.trino.security;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.trino.PublishedRegistries;
import io.trino.spi.QueryId;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * The catalogs governance decides for, and each catalog's tables as governance sees them.
 */
final class MeshCatalogs
{
    private static final GovernedCatalog EMPTY_CATALOG = new GovernedCatalog(ImmutableMap.of(), ImmutableListMultimap.of(), ImmutableMap.of());

    private final Set<String> configured;
    private final PublishedRegistries registries;
    // built once per registry a connector serves, not per query: filterTables stays fast over 100,000 tables
    // Guava's builder: EvictableCacheBuilder has no weakKeys and builds no unbounded cache
    private final Cache<MeshRegistry, GovernedCatalog> governedCatalogs = CacheBuilder.newBuilder()
            .weakKeys()
            .build();

    /**
     * @param configured the catalogs configured as the mesh's
     * @param registries the registry each catalog of the data_mesh connector serves
     */
    MeshCatalogs(Set<String> configured, PublishedRegistries registries)
    {
        this.configured = ImmutableSet.copyOf(configured);
        this.registries = requireNonNull(registries, "registries is null");
    }

    /**
     * The configured mesh catalogs, and any catalog of the data_mesh connector: one made under
     * another name is governed as well, never left to the control of other catalogs.
     */
    boolean isMesh(String catalogName)
    {
        return configured.contains(catalogName) || registries.isPublished(catalogName);
    }

    /**
     * The catalog's tables as its connector serves them to the query; none before its connector
     * is loaded, so a catalog configured as a mesh catalog is never read ungoverned.
     */
    GovernedCatalog catalog(String catalogName, QueryId queryId)
    {
        Optional<MeshRegistry> registry = registries.registry(catalogName, queryId.toString());
        if (registry.isEmpty()) {
            return EMPTY_CATALOG;
        }
        try {
            return governedCatalogs.get(registry.orElseThrow(), () -> GovernedCatalog.of(catalogName, registry.orElseThrow()));
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
