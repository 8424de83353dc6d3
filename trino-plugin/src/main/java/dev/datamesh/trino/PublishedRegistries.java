package dev.datamesh.trino;

import dev.datamesh.registry.MeshRegistry;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * The registry each data_mesh catalog serves, published by its connector. Governance decides over
 * exactly these registries: were it to read the descriptors itself, an edit landing between the
 * two reads would govern data with another descriptor's grants and tags than the one it is served
 * by. One instance per plugin, shared by its connector and access control factories.
 */
public final class PublishedRegistries
{
    private final ConcurrentMap<String, MeshRegistry> registries = new ConcurrentHashMap<>();

    public void publish(String catalogName, MeshRegistry registry)
    {
        registries.put(requireNonNull(catalogName, "catalogName is null"), requireNonNull(registry, "registry is null"));
    }

    /**
     * Removes the catalog's registry, unless a newer connector of the same name has replaced it.
     */
    public void withdraw(String catalogName, MeshRegistry registry)
    {
        registries.remove(catalogName, registry);
    }

    public Optional<MeshRegistry> registry(String catalogName)
    {
        return Optional.ofNullable(registries.get(catalogName));
    }

    public Set<String> catalogs()
    {
        return Set.copyOf(registries.keySet());
    }
}
