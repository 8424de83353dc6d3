package dev.datamesh.registry;

import java.util.Locale;

/**
 * How mesh names become SQL names: domain customer-service is schema customer_service, asset
 * customer_profile is table customer_profile. Lower case, since Trino folds unquoted names.
 */
public final class MeshNames
{
    private MeshNames() {}

    public static String schemaName(String domain)
    {
        return sqlName(domain);
    }

    public static String tableName(String assetName)
    {
        return sqlName(assetName);
    }

    private static String sqlName(String name)
    {
        return name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    }
}
