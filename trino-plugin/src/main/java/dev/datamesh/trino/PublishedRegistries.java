package dev.datamesh.trino;

import dev.datamesh.registry.MeshRegistry;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

/**
 * The registry each data_mesh catalog serves, published by its connector on the coordinator.
 * Governance decides over exactly these registries, and over the same one a query's metadata
 * uses: were it to read the descriptors itself, an edit landing between the two reads would
 * govern data with another descriptor's grants and tags than the one it is served by. One
 * instance per plugin, shared by its connector and access control factories.
 */
public final class PublishedRegistries
{
    private final ConcurrentMap<String, MeshRegistrySource> sources = new ConcurrentHashMap<>();

    public void publish(String catalogName, MeshRegistrySource source)
    {
        sources.put(requireNonNull(catalogName, "catalogName is null"), requireNonNull(source, "source is null"));
    }

    /**
     * Removes the catalog's registry, unless a newer connector of the same name has replaced it.
     */
    public void withdraw(String catalogName, MeshRegistrySource source)
    {
        sources.remove(catalogName, source);
    }

    public boolean isPublished(String catalogName)
    {
        return sources.containsKey(catalogName);
    }

    /**
     * The registries the catalogs serve now.
     */
    public List<MeshRegistry> current()
    {
        return sources.values().stream().map(MeshRegistrySource::current).collect(toImmutableList());
    }

    /**
     * The registry the catalog serves to the query.
     */
    public Optional<MeshRegistry> registry(String catalogName, String queryId)
    {
        return Optional.ofNullable(sources.get(catalogName)).map(source -> source.forQuery(queryId));
    }
}
