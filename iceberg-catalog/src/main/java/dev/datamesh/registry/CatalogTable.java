package dev.datamesh.registry;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An Iceberg table found by name in a catalog; the catalog's relative paths are already resolved
 * against the descriptor's folder.
 */
public record CatalogTable(IcebergCatalogDescriptor catalog, List<String> namespace, String name)
{
    public CatalogTable
    {
        requireNonNull(catalog, "catalog is null");
        namespace = ImmutableList.copyOf(namespace);
        requireNonNull(name, "name is null");
    }

    @Override
    public String toString()
    {
        return "table %s.%s in the %s".formatted(String.join(".", namespace), name, catalog);
    }
}
