package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableMap;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An Iceberg catalog the mesh may open: one the platform declares in the mesh catalog's properties
 * ({@code mesh.iceberg-catalog.<name>.*}), with any address and credentials, or the file catalog a
 * descriptor keeps itself (a SQLite database, as the embedded default's), which has neither. Values
 * are used as they are: descriptors cannot name the server's environment, and the platform's
 * {@code ${ENV:...}} is substituted by Trino before the connector sees its properties.
 *
 * @param name the catalog's name for Iceberg; for a JDBC catalog the catalog_name its tables are stored under
 * @param declaredAt where the catalog is declared, as messages name it: the catalog properties'
 * prefix (mesh.iceberg-catalog.sales) or the descriptor's file:line:column
 */
public record IcebergCatalogDescriptor(
        Type type,
        String name,
        Optional<String> uri,
        Optional<String> warehouse,
        Optional<String> credential,
        Optional<String> token,
        Map<String, String> properties,
        String declaredAt)
{
    public static final String DEFAULT_NAME = "mesh";
    public static final String SQLITE_PREFIX = "jdbc:sqlite:";

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
        requireNonNull(declaredAt, "declaredAt is null");
    }

    /**
     * A catalog in a SQLite file, with nothing that reaches a server or holds a secret: the only
     * kind a descriptor may declare itself.
     */
    public boolean isFileCatalog()
    {
        return type == Type.JDBC
                && uri.map(value -> value.startsWith(SQLITE_PREFIX)).orElse(false)
                && credential.isEmpty()
                && token.isEmpty()
                && properties.isEmpty();
    }

    /**
     * How messages name the catalog: never with its credential, token or properties.
     */
    @Override
    public String toString()
    {
        return "%s catalog '%s'%s (%s)".formatted(type.descriptorName(), name, uri.map(value -> " at " + value).orElse(""), declaredAt);
    }
}
