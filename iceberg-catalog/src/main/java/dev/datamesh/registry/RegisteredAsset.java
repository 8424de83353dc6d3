package dev.datamesh.registry;

import dev.datamesh.descriptor.AssetSchema;
import dev.datamesh.descriptor.DataAssetDescriptor;
import dev.datamesh.descriptor.DataProductDescriptor;
import io.trino.filesystem.Location;

import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A validated asset with its place in SQL (schema and table) and where its data is: a location in
 * storage, or, for an Iceberg table kept in a catalog, its name there.
 */
public record RegisteredAsset(
        String schemaName,
        String tableName,
        DataProductDescriptor product,
        DataAssetDescriptor asset,
        Optional<Location> location,
        Optional<CatalogTable> catalogTable,
        Optional<AssetSchema> declaredSchema)
{
    public RegisteredAsset
    {
        requireNonNull(schemaName, "schemaName is null");
        requireNonNull(tableName, "tableName is null");
        requireNonNull(product, "product is null");
        requireNonNull(asset, "asset is null");
        requireNonNull(location, "location is null");
        requireNonNull(catalogTable, "catalogTable is null");
        checkArgument(location.isPresent() != catalogTable.isPresent(), "asset needs either a location or a catalog table");
        requireNonNull(declaredSchema, "declaredSchema is null");
    }

    /**
     * The location of an asset that has one, as Parquet and Delta assets always do.
     */
    public Location storageLocation()
    {
        return location.orElseThrow(() -> new IllegalStateException("%s is a table in a catalog, not a location".formatted(displayName())));
    }

    /**
     * How users and error messages refer to the asset: "asset 'orders' of data product 'sales-orders' (domain sales)".
     */
    public String displayName()
    {
        return "asset '%s' of data product '%s' (domain %s)".formatted(asset.name(), product.name(), product.domain());
    }

    /**
     * The storage profile the asset's object store locations are read with: the asset's own, else
     * its product's; empty for the catalog's default.
     */
    public Optional<String> storage()
    {
        return asset.storage().or(product::storage);
    }
}
