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
        Optional<AssetSchema> declaredSchema,
        Optional<RegisteredAsset> sharedFrom)
{
    /**
     * An asset of the product's own data.
     */
    public RegisteredAsset(String schemaName, String tableName, DataProductDescriptor product, DataAssetDescriptor asset, Optional<Location> location, Optional<CatalogTable> catalogTable, Optional<AssetSchema> declaredSchema)
    {
        this(schemaName, tableName, product, asset, location, catalogTable, declaredSchema, Optional.empty());
    }

    /**
     * The asset a product publishes from another product's asset, shared with it by its owner: read
     * where and as the owner publishes it, with the owner's contract.
     */
    public static RegisteredAsset shared(String schemaName, String tableName, DataProductDescriptor product, DataAssetDescriptor asset, RegisteredAsset owner)
    {
        return new RegisteredAsset(schemaName, tableName, product, asset, owner.location(), owner.catalogTable(), owner.declaredSchema(), Optional.of(owner));
    }

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
        requireNonNull(sharedFrom, "sharedFrom is null");
        checkArgument(sharedFrom.flatMap(RegisteredAsset::sharedFrom).isEmpty(), "an asset is shared by the product that owns it");
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
     * its product's, or those of the asset it is shared from; empty for the catalog's default.
     */
    public Optional<String> storage()
    {
        return sharedFrom.map(RegisteredAsset::storage).orElseGet(() -> asset.storage().or(product::storage));
    }
}
