package dev.datamesh.descriptor;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a descriptor's data_assets: a table published by the product. It is found by its
 * location, or, for an Iceberg table kept in a catalog, by its table name in that catalog. Its
 * storage, when named, is the catalog's storage profile its object store locations are read with
 * (else the product's).
 */
public record DataAssetDescriptor(
        String name,
        AssetFormat format,
        Optional<String> location,
        Optional<String> table,
        Optional<IcebergCatalogReference> catalog,
        Optional<String> schema,
        Optional<String> description,
        Optional<String> updateFrequency,
        Optional<String> storage)
{
    public DataAssetDescriptor
    {
        requireNonNull(name, "name is null");
        requireNonNull(format, "format is null");
        requireNonNull(location, "location is null");
        requireNonNull(table, "table is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(description, "description is null");
        requireNonNull(updateFrequency, "updateFrequency is null");
        requireNonNull(storage, "storage is null");
    }
}
