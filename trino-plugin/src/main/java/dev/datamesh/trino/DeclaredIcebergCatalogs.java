package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;

import java.util.Map;

/**
 * The Iceberg catalogs the platform declares in the mesh catalog's properties
 * ({@code mesh.iceberg-catalog.<name>.*}), by the name descriptors give them.
 */
public record DeclaredIcebergCatalogs(Map<String, IcebergCatalogDescriptor> catalogs)
{
    public DeclaredIcebergCatalogs
    {
        catalogs = ImmutableMap.copyOf(catalogs);
    }
}
