package dev.datamesh.registry;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An Iceberg table found by name in a catalog: one the platform declares, or the SQLite file
 * catalog of the descriptor, whose relative paths are already resolved against the descriptor's folder.
 *
 * @param fileCatalog the files of a descriptor's own SQLite catalog; empty for a catalog the platform declares
 */
public record CatalogTable(IcebergCatalogDescriptor catalog, List<String> namespace, String name, Optional<FileCatalogFiles> fileCatalog)
{
    public CatalogTable
    {
        requireNonNull(catalog, "catalog is null");
        namespace = ImmutableList.copyOf(namespace);
        requireNonNull(name, "name is null");
        requireNonNull(fileCatalog, "fileCatalog is null");
    }

    /**
     * A table in a catalog the platform declares.
     */
    public CatalogTable(IcebergCatalogDescriptor catalog, List<String> namespace, String name)
    {
        this(catalog, namespace, name, Optional.empty());
    }

    @Override
    public String toString()
    {
        return "table %s.%s in the %s".formatted(String.join(".", namespace), name, catalog);
    }
}
