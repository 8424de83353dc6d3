package dev.datamesh.registry;

import dev.datamesh.descriptor.AssetSchema;
import dev.datamesh.descriptor.DataAssetDescriptor;
import dev.datamesh.descriptor.DataProductDescriptor;
import io.trino.filesystem.Location;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A validated asset with its place in SQL (schema and table) and in storage.
 */
public record RegisteredAsset(
        String schemaName,
        String tableName,
        DataProductDescriptor product,
        DataAssetDescriptor asset,
        Location location,
        Optional<AssetSchema> declaredSchema)
{
    public RegisteredAsset
    {
        requireNonNull(schemaName, "schemaName is null");
        requireNonNull(tableName, "tableName is null");
        requireNonNull(product, "product is null");
        requireNonNull(asset, "asset is null");
        requireNonNull(location, "location is null");
        requireNonNull(declaredSchema, "declaredSchema is null");
    }

    /**
     * How users and error messages refer to the asset: "asset 'orders' of data product 'sales-orders' (domain sales)".
     */
    public String displayName()
    {
        return "asset '%s' of data product '%s' (domain %s)".formatted(asset.name(), product.name(), product.domain());
    }
}
