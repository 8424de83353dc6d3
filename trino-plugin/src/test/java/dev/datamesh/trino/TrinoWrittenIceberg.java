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

import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.icebergTables;

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
        dataProduct("lake-product", "lake", "lake-team")
                .sqliteCatalog(lake.resolve("catalog.db"), lake.resolve("warehouse"))
                .asset(icebergTables("lake", tables))
                .writeTo(products.resolve("lake/lake-product.yaml"));
    }
}
