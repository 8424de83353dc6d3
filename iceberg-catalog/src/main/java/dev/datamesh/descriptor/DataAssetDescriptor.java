package dev.datamesh.descriptor;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a descriptor's data_assets: a table published by the product.
 */
public record DataAssetDescriptor(
        String name,
        AssetFormat format,
        String location,
        Optional<String> schema,
        Optional<String> description,
        Optional<String> updateFrequency)
{
    public DataAssetDescriptor
    {
        requireNonNull(name, "name is null");
        requireNonNull(format, "format is null");
        requireNonNull(location, "location is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(description, "description is null");
        requireNonNull(updateFrequency, "updateFrequency is null");
    }
}
