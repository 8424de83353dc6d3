package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.IcebergTableException;
import dev.datamesh.iceberg.testing.IcebergTestTables;
import io.trino.plugin.iceberg.IcebergPlugin;
import io.trino.testing.QueryRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Iceberg tables written by Trino's own Iceberg connector (catalog "iceberg", schema "lake") in a
 * JDBC (SQLite) catalog, and a descriptor that publishes them in the mesh as domain "lake": the
 * files, manifests and Puffin statistics a Trino shop's tables have.
 */
public final class TrinoWrittenIceberg
{
    private TrinoWrittenIceberg() {}

    /**
     * Creates the catalog "iceberg" and its schema "lake", with its data in the folder.
     */
    public static void createCatalog(QueryRunner queryRunner, Path lake)
            throws IOException, IcebergTableException
    {
        Files.createDirectories(lake);
        // iceberg-core creates the catalog's tables, which Trino's connector expects to find
        try (IcebergCatalogs catalogs = IcebergTestTables.writingCatalogs()) {
            catalogs.catalog(IcebergTestTables.jdbcCatalog(IcebergCatalogDescriptor.DEFAULT_NAME, lake.resolve("catalog.db"), lake.resolve("warehouse")));
        }
        queryRunner.installPlugin(new IcebergPlugin());
        queryRunner.createCatalog("iceberg", "iceberg", ImmutableMap.of(
                "iceberg.catalog.type", "jdbc",
                "iceberg.jdbc-catalog.driver-class", "org.sqlite.JDBC",
                "iceberg.jdbc-catalog.connection-url", "jdbc:sqlite:" + lake.resolve("catalog.db"),
                "iceberg.jdbc-catalog.catalog-name", IcebergCatalogDescriptor.DEFAULT_NAME,
                "iceberg.jdbc-catalog.default-warehouse-dir", "file://" + lake.resolve("warehouse"),
                "fs.native-local.enabled", "true",
                "local.location", "/"));
        queryRunner.execute("CREATE SCHEMA iceberg.lake");
    }

    /**
     * Publishes tables of schema iceberg.lake as assets of a product of domain "lake".
     */
    public static void publish(Path products, Path lake, String... tables)
            throws IOException
    {
        StringBuilder descriptor = new StringBuilder("""
                name: lake-product
                domain: lake
                owner: lake-team
                version: 1.0.0
                iceberg_catalog: {type: jdbc, uri: "jdbc:sqlite:%s", warehouse: "file://%s"}
                data_assets:
                """.formatted(lake.resolve("catalog.db"), lake.resolve("warehouse")));
        for (String table : tables) {
            descriptor.append("  - name: %1$s\n    format: iceberg\n    table: lake.%1$s\n".formatted(table));
        }
        Files.createDirectories(products.resolve("lake"));
        Files.writeString(products.resolve("lake/lake-product.yaml"), descriptor.toString());
    }
}
