package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableMap;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An Iceberg catalog as a descriptor names it, for the product's iceberg assets (iceberg_catalog:)
 * or one asset (catalog:). Values may name environment variables as ${ENV:NAME}; they are
 * substituted only when the catalog is opened, so secrets never sit in descriptors, logs or errors.
 */
public record IcebergCatalogDescriptor(
        Type type,
        String name,
        Optional<String> uri,
        Optional<String> warehouse,
        Optional<String> credential,
        Optional<String> token,
        Map<String, String> properties,
        SourcePosition position)
{
    public static final String DEFAULT_NAME = "mesh";

    public enum Type
    {
        JDBC,
        REST;

        public String descriptorName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public IcebergCatalogDescriptor
    {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        requireNonNull(uri, "uri is null");
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(credential, "credential is null");
        requireNonNull(token, "token is null");
        properties = ImmutableMap.copyOf(properties);
        requireNonNull(position, "position is null");
    }

    /**
     * How messages name the catalog: never with its credential or token.
     */
    @Override
    public String toString()
    {
        return "%s catalog '%s'%s (%s)".formatted(type.descriptorName(), name, uri.map(value -> " at " + value).orElse(""), position);
    }
}
