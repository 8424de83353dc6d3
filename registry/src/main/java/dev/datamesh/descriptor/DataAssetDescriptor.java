package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableList;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a descriptor's data_assets: a table published by the product. It is found by its
 * location, or, for an Iceberg table kept in a catalog, by its table name in that catalog. Its
 * storage, when named, is the catalog's storage profile its object store locations are read with
 * (else the product's). A shared asset instead names the asset of another product it publishes
 * (shared_from); an owned one lists the products that may publish it so (shared_with).
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
        Optional<String> storage,
        Optional<AssetReference> sharedFrom,
        List<String> sharedWith)
{
    /**
     * An asset of a product, by their names.
     */
    public record AssetReference(String product, String asset)
    {
        public AssetReference
        {
            requireNonNull(product, "product is null");
            requireNonNull(asset, "asset is null");
        }
    }

    /**
     * An asset of the product's own data, shared with no other product.
     */
    public DataAssetDescriptor(String name, AssetFormat format, Optional<String> location, Optional<String> table, Optional<IcebergCatalogReference> catalog, Optional<String> schema, Optional<String> description, Optional<String> updateFrequency, Optional<String> storage)
    {
        this(name, format, location, table, catalog, schema, description, updateFrequency, storage, Optional.empty(), ImmutableList.of());
    }

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
        requireNonNull(sharedFrom, "sharedFrom is null");
        sharedWith = ImmutableList.copyOf(sharedWith);
    }
}
