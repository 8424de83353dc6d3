package dev.datamesh.registry;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.descriptor.DescriptorIdentity;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.descriptor.SourcePosition;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.registry.testing.DataProductYaml.Asset;
import dev.datamesh.registry.testing.MeshFolder;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.registry.testing.TestFiles.localFileSystem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

final class TestMeshRegistryLoader
{
    private final TrinoFileSystem fileSystem = localFileSystem();

    @RegisterExtension
    final MeshFolder mesh = new MeshFolder();

    @Test
    void testValidProductsServedAndBrokenOnesReported()
            throws IOException
    {
        // data: a folder of files and a single file
        mesh.touch("data/customer-service/customer_profile/part-0.parquet");
        mesh.touch("data/customer-service/customer_orders/_delta_log/00000000000000000000.json");
        mesh.touch("products/sales/orders.parquet");

        // valid products, in two domains; locations are relative to the descriptor's folder
        mesh.write("products/customer-service/customer-data-product.yaml", dataProduct("customer-data-product", "Customer Service", "customer-data-team").asset(
                parquet("customer_profile", "../../data/customer-service/customer_profile").schema("customer_profile_schema.json"),
                delta("customer_orders", "../../data/customer-service/customer_orders")));
        mesh.write("products/customer-service/customer_profile_schema.json", """
                {"columns": [{"name": "customer_id", "type": "bigint"}, {"name": "email", "type": "varchar", "tags": ["pii"]}]}
                """);
        mesh.write("products/sales/order-data-product.yml", product("order-data-product", "sales", parquet("orders", "orders.parquet")));

        // broken products; their paths sort after the valid ones, so they are loaded later
        Path clash = mesh.write("products/zz/clash.yaml", product("clash-product", "customer-service", parquet("Customer_Profile", "../sales/orders.parquet")));
        Path duplicateName = mesh.write("products/zz/duplicate-name.yaml", product("order-data-product", "marketing", parquet("campaigns", "../sales/orders.parquet")));
        Path missingLocation = mesh.write("products/zz/missing-location.yaml", product("invoice-product", "finance", parquet("invoices", "../../data/finance/invoices")));
        Path missingSchema = mesh.write("products/zz/missing-schema.yaml", product("people-product", "hr",
                parquet("people", "../sales/orders.parquet").schema("people_schema.json"),
                parquet("teams", "../sales/orders.parquet")));
        Path reserved = mesh.write("products/zz/reserved.yaml", product("reserved-product", "System", parquet("things", "../sales/orders.parquet")));
        Path syntax = mesh.write("products/zz/syntax.yaml", product("syntax-product", "support", parquet("tickets", "../sales/orders.parquet")).yaml()
                .replace("owner: team", "owner: [team"));
        // not descriptors: other extensions and hidden files are skipped
        mesh.write("products/zz/notes.txt", "name: [");
        mesh.write("products/zz/.draft.yaml", "name: [");

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.products()).extracting(DataProductDescriptor::name).containsExactly("customer-data-product", "order-data-product");
        assertThat(registry.schemaNames()).containsExactly("customer_service", "sales");
        assertThat(registry.assets()).extracting(asset -> asset.schemaName() + "." + asset.tableName())
                .containsExactlyInAnyOrder("customer_service.customer_profile", "customer_service.customer_orders", "sales.orders");

        RegisteredAsset profile = registry.asset("customer_service", "customer_profile").orElseThrow();
        assertThat(profile.product().name()).isEqualTo("customer-data-product");
        assertThat(profile.storageLocation()).isEqualTo(mesh.location("data/customer-service/customer_profile"));
        assertThat(profile.declaredSchema().orElseThrow().columns()).extracting(DeclaredColumn::name).containsExactly("customer_id", "email");
        assertThat(registry.asset("customer_service", "customer_orders").orElseThrow().storageLocation()).isEqualTo(mesh.location("data/customer-service/customer_orders"));

        RegisteredAsset orders = registry.asset("sales", "orders").orElseThrow();
        assertThat(orders.product().file()).isEqualTo(mesh.resolve("products/sales/order-data-product.yml"));
        assertThat(orders.storageLocation()).isEqualTo(mesh.location("products/sales/orders.parquet"));
        assertThat(orders.declaredSchema()).isEmpty();

        // a product with any problem is left out whole, also its assets without problems (hr.teams)
        assertThat(registry.schemaNames()).doesNotContain("marketing", "finance", "hr", "system", "support");
        assertThat(registry.asset("hr", "teams")).isEmpty();

        assertThat(registry.problems()).containsExactly(
                new DescriptorProblem(new SourcePosition(clash, 6, 11),
                        "table 'customer_service.customer_profile' is already published by data product 'customer-data-product' (%s); rename this asset"
                                .formatted(mesh.resolve("products/customer-service/customer-data-product.yaml"))),
                new DescriptorProblem(new SourcePosition(duplicateName, 1, 7),
                        "data product 'order-data-product' is already defined in %s; product names must be unique in the mesh"
                                .formatted(mesh.resolve("products/sales/order-data-product.yml"))),
                new DescriptorProblem(new SourcePosition(missingLocation, 8, 15),
                        "location %s does not exist; create it or correct the path (local paths are relative to this descriptor)"
                                .formatted(mesh.location("data/finance/invoices"))),
                new DescriptorProblem(new SourcePosition(missingSchema, 9, 13),
                        "schema file %s does not exist; the path is relative to this descriptor".formatted(mesh.resolve("products/zz/people_schema.json"))),
                new DescriptorProblem(new SourcePosition(reserved, 2, 9),
                        "domain 'System' would become the reserved schema 'system'; choose another domain name"),
                new DescriptorProblem(new SourcePosition(syntax, 4, 8),
                        "invalid YAML: expected ',' or ']', but got : while parsing a flow sequence that starts at line 3"));
    }

    @Test
    void testProblemsOfTheAssetSchemaFile()
            throws IOException
    {
        mesh.touch("data/orders.parquet");
        mesh.write("products/orders.yaml", product("order-data-product", "sales", parquet("orders", "../data/orders.parquet").schema("schemas/orders.json")));
        Path schema = mesh.write("products/schemas/orders.json", """
                {"columns": [
                  {"name": "order_id", "type": "bigint"},
                  {"name": "amount", "type": "decimal(12,2)", "nulable": true}
                ]}
                """);

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.products()).isEmpty();
        assertThat(registry.schemaNames()).isEmpty();
        assertThat(registry.problems()).containsExactly(new DescriptorProblem(
                new SourcePosition(schema, 3, 47),
                "unknown field 'nulable'; did you mean 'nullable'? (allowed here: name, type, description, nullable, tags)"));
        // the schema file's problem belongs to the descriptor that names it
        assertThat(registry.rejectedDescriptors()).singleElement().satisfies(rejected -> {
            assertThat(rejected.file()).isEqualTo(mesh.resolve("products/orders.yaml"));
            assertThat(rejected.identity()).isEqualTo(new DescriptorIdentity(Optional.of("order-data-product"), Optional.of("sales"), Optional.of("team")));
            assertThat(rejected.problems()).isEqualTo(registry.problems());
        });
    }

    @Test
    void testRejectedDescriptorsSayWhatTheyPublish()
            throws IOException
    {
        // as far as the file can be read: the fields that are text, whatever else is wrong
        Path invalid = mesh.write("products/a-invalid.yaml", """
                name: invoice-data-product
                domain: finance
                owner: [finance-team]
                data_assets: []
                """);
        Path syntax = mesh.write("products/b-syntax.yaml", "name: [broken\n");
        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.rejectedDescriptors()).extracting(RejectedDescriptor::file, RejectedDescriptor::identity).containsExactly(
                tuple(invalid, new DescriptorIdentity(Optional.of("invoice-data-product"), Optional.of("finance"), Optional.empty())),
                tuple(syntax, DescriptorIdentity.UNKNOWN));
        assertThat(registry.folderProblems()).isEmpty();
        assertThat(registry.problems()).hasSize(registry.rejectedDescriptors().stream().mapToInt(rejected -> rejected.problems().size()).sum());
    }

    @Test
    void testUnsupportedLocationScheme()
            throws IOException
    {
        Path file = mesh.write("products/orders.yaml", product("order-data-product", "sales", parquet("orders", "hdfs://namenode/orders")));

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.products()).isEmpty();
        assertThat(registry.problems()).containsExactly(new DescriptorProblem(
                new SourcePosition(file, 8, 15),
                "location 'hdfs://namenode/orders' has unsupported scheme 'hdfs'; use a local path, file:// or s3://"));
    }

    @Test
    void testStorageProfilesAndObjectStoreLocations()
            throws IOException
    {
        // s3 locations are registered unchecked (read at query time); the profile names are checked
        mesh.write("products/orders.yaml", product("order-data-product", "sales", parquet("orders", "s3a://sales-bucket/orders")).storage("sales"));
        Path invoices = mesh.write("products/invoices.yaml", product("invoice-data-product", "finance", parquet("invoices", "s3://finance/invoices").storage("finanse")));

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem, ImmutableSet.of("sales", "finance")).load();

        assertThat(registry.assets()).singleElement().satisfies(asset -> {
            assertThat(asset.location()).contains(Location.of("s3://sales-bucket/orders"));
            assertThat(asset.storage()).contains("sales");
        });
        assertThat(registry.problems()).containsExactly(new DescriptorProblem(
                new SourcePosition(invoices, 9, 14),
                "storage profile 'finanse' is not configured in the mesh catalog (configured: finance, sales); add mesh.storage.finanse.s3.* properties to the catalog, or correct the name"));
    }

    @Test
    void testIcebergCatalogsDeclaredByThePlatform()
            throws IOException
    {
        IcebergCatalogDescriptor sales = new IcebergCatalogDescriptor(IcebergCatalogDescriptor.Type.REST, "sales", Optional.of("https://catalog.example.com/api"),
                Optional.of("analytics"), Optional.empty(), Optional.of("platform-token"), ImmutableMap.of("scope", "PRINCIPAL_ROLE:reader"), "mesh.iceberg-catalog.sales");
        IcebergCatalogDescriptor lake = new IcebergCatalogDescriptor(IcebergCatalogDescriptor.Type.JDBC, "lake", Optional.of("jdbc:postgresql://db.internal/iceberg"),
                Optional.empty(), Optional.empty(), Optional.empty(), ImmutableMap.of("jdbc.user", "iceberg"), "mesh.iceberg-catalog.lake");
        mesh.write("products/sales.yaml", """
                name: sales-data-product
                domain: sales
                owner: team
                version: 1.0.0
                iceberg_catalog: sales
                data_assets:
                  - {name: orders, format: iceberg, table: sales.orders}
                  - {name: lines, format: iceberg, table: sales.lines, catalog: lake}
                """);
        // the product's unknown catalog is one problem, however many assets use it
        Path unknown = mesh.write("products/typo.yaml", """
                name: typo-data-product
                domain: typo
                owner: team
                version: 1.0.0
                iceberg_catalog: saels
                data_assets:
                  - {name: a, format: iceberg, table: ops.a}
                  - {name: b, format: iceberg, table: ops.b}
                  - {name: c, format: iceberg, table: ops.c, catalog: lakes}
                """);

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem, ImmutableSet.of(), ImmutableMap.of("sales", sales, "lake", lake)).load();

        assertThat(registry.asset("sales", "orders").orElseThrow().catalogTable()).contains(new CatalogTable(sales, List.of("sales"), "orders"));
        assertThat(registry.asset("sales", "lines").orElseThrow().catalogTable()).hasValueSatisfying(table -> {
            assertThat(table.catalog()).isSameAs(lake);
            assertThat(table.fileCatalog()).isEmpty();
            assertThat(table).hasToString("table sales.lines in the jdbc catalog 'lake' at jdbc:postgresql://db.internal/iceberg (mesh.iceberg-catalog.lake)");
        });
        assertThat(registry.problems()).containsExactly(
                new DescriptorProblem(new SourcePosition(unknown, 5, 18),
                        "Iceberg catalog 'saels' is not declared in the mesh catalog (declared: lake, sales); ask the platform to declare it with mesh.iceberg-catalog.saels.* properties, or correct the name"),
                new DescriptorProblem(new SourcePosition(unknown, 9, 55),
                        "Iceberg catalog 'lakes' is not declared in the mesh catalog (declared: lake, sales); ask the platform to declare it with mesh.iceberg-catalog.lakes.* properties, or correct the name"));

        // without declarations, every name is unknown
        assertThat(new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load().problems()).extracting(DescriptorProblem::message).contains(
                "Iceberg catalog 'sales' is not declared in the mesh catalog (none is declared); ask the platform to declare it with mesh.iceberg-catalog.sales.* properties, or correct the name");
    }

    @Test
    void testSqliteFileCatalogs()
            throws IOException
    {
        // the sample's form: paths relative to the descriptor; the resolved files are kept for location checks
        Path logistics = mesh.write("products/logistics/shipments.yaml", """
                name: shipment-data-product
                domain: logistics
                owner: team
                version: 1.0.0
                iceberg_catalog:
                  type: jdbc
                  uri: jdbc:sqlite:../../data/logistics/iceberg_catalog.db
                  warehouse: ../../data/logistics/warehouse
                data_assets:
                  - {name: shipments, format: iceberg, table: logistics.shipments}
                  - {name: returns, format: iceberg, table: logistics.returns, catalog: {type: jdbc, uri: "jdbc:sqlite:%s"}}
                  - {name: parcels, format: iceberg, table: logistics.parcels, catalog: {type: jdbc}}
                """.formatted(mesh.resolve("data/returns/./catalog.db")));

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.problems()).isEmpty();
        CatalogTable shipments = registry.asset("logistics", "shipments").orElseThrow().catalogTable().orElseThrow();
        assertThat(shipments.catalog()).isEqualTo(new IcebergCatalogDescriptor(IcebergCatalogDescriptor.Type.JDBC, "mesh",
                Optional.of("jdbc:sqlite:" + mesh.resolve("data/logistics/iceberg_catalog.db")), Optional.of(mesh.location("data/logistics/warehouse").toString()),
                Optional.empty(), Optional.empty(), ImmutableMap.of(), logistics + ":6:3"));
        assertThat(shipments.catalog().isFileCatalog()).isTrue();
        assertThat(shipments.fileCatalog()).contains(new FileCatalogFiles(
                mesh.resolve("data/logistics/iceberg_catalog.db"),
                new SourcePosition(logistics, 7, 8),
                Optional.of(mesh.location("data/logistics/warehouse")),
                Optional.of(new SourcePosition(logistics, 8, 14))));
        assertThat(registry.asset("logistics", "returns").orElseThrow().catalogTable().orElseThrow().fileCatalog().orElseThrow().database())
                .isEqualTo(mesh.resolve("data/returns/catalog.db"));
        // without uri: iceberg_catalog.db beside the descriptor
        assertThat(registry.asset("logistics", "parcels").orElseThrow().catalogTable().orElseThrow().fileCatalog()).hasValueSatisfying(files -> {
            assertThat(files.database()).isEqualTo(mesh.resolve("products/logistics/iceberg_catalog.db"));
            assertThat(files.warehouse()).isEmpty();
        });
    }

    @Test
    void testSqliteCatalogWarehouses()
            throws IOException
    {
        // the S3 sample keeps its SQLite catalog beside the descriptor and its tables in a bucket
        mesh.write("products/s3.yaml", """
                name: s3-data-product
                domain: logistics
                owner: team
                version: 1.0.0
                iceberg_catalog: {type: jdbc, uri: "jdbc:sqlite:catalog.db", warehouse: "s3a://data-mesh/logistics/warehouse"}
                data_assets:
                  - {name: shipments, format: iceberg, table: logistics.shipments}
                """);
        Path hdfs = mesh.write("products/hdfs.yaml", """
                name: hdfs-data-product
                domain: archive
                owner: team
                version: 1.0.0
                iceberg_catalog: {type: jdbc, warehouse: "hdfs://namenode/warehouse"}
                data_assets:
                  - {name: shipments, format: iceberg, table: logistics.shipments}
                """);

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.asset("logistics", "shipments").orElseThrow().catalogTable().orElseThrow().fileCatalog().orElseThrow().warehouse())
                .contains(Location.of("s3://data-mesh/logistics/warehouse"));
        assertThat(registry.problems()).containsExactly(new DescriptorProblem(new SourcePosition(hdfs, 5, 42),
                "location 'hdfs://namenode/warehouse' has unsupported scheme 'hdfs'; use a local path, file:// or s3://"));
    }

    @Test
    void testSchemaFilesStayInsideTheDescriptorFolder()
            throws IOException
    {
        String secret = "TOP-SECRET-4711";
        mesh.touch("data/orders.parquet");
        mesh.write("outside.json", "{\"columns\": [{\"name\": \"%s\", \"type\": \"%s\", \"nulable\": 1}]}".formatted(secret, secret));
        mesh.write("products/shared/orders.json", "{\"columns\": [{\"name\": \"order_id\", \"type\": \"bigint\"}]}");
        // a path with .. that leaves the folder
        Path dotDot = mesh.write("products/a/dot-dot.yaml", product("a-product", "a", parquet("orders", "../../data/orders.parquet").schema("../../outside.json")));
        // a link inside the folder to a file outside, to a folder outside, and to no file at all
        Files.createSymbolicLink(mesh.resolve("products/b-link.json"), mesh.resolve("outside.json"));
        Path fileLink = mesh.write("products/b.yaml", product("b-product", "b", parquet("orders", "../data/orders.parquet").schema("b-link.json")));
        Files.createSymbolicLink(mesh.resolve("products/c-folder"), mesh.root());
        Path folderLink = mesh.write("products/c.yaml", product("c-product", "c", parquet("orders", "../data/orders.parquet").schema("c-folder/outside.json")));
        Files.createSymbolicLink(mesh.resolve("products/d-link.json"), mesh.resolve("absent.json"));
        Path dangling = mesh.write("products/d.yaml", product("d-product", "d", parquet("orders", "../data/orders.parquet").schema("d-link.json")));
        // a link that stays inside is followed
        Files.createSymbolicLink(mesh.resolve("products/e-link.json"), mesh.resolve("products/shared/orders.json"));
        mesh.write("products/e.yaml", product("e-product", "e", parquet("orders", "../data/orders.parquet").schema("e-link.json")));
        // a descriptor that is a link to a file outside is not read
        mesh.write("elsewhere/product.yaml", product(secret, secret, parquet(secret, secret)));
        Path descriptorLink = Files.createSymbolicLink(mesh.resolve("products/f.yaml"), mesh.resolve("elsewhere/product.yaml"));

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.products()).extracting(DataProductDescriptor::name).containsExactly("e-product");
        assertThat(registry.asset("e", "orders").orElseThrow().declaredSchema().orElseThrow().columns()).extracting(DeclaredColumn::name).containsExactly("order_id");
        Path folder = mesh.resolve("products");
        assertThat(registry.problems()).containsExactlyInAnyOrder(
                new DescriptorProblem(new SourcePosition(descriptorLink, 1, 1),
                        "descriptor file %s leads through a symbolic link to no file inside the descriptor folder %s; only files inside it are read".formatted(descriptorLink, folder)),
                new DescriptorProblem(new SourcePosition(dotDot, 9, 13),
                        "schema file %s lies outside the descriptor folder %s; only files inside it are read".formatted(mesh.resolve("outside.json"), folder)),
                new DescriptorProblem(new SourcePosition(fileLink, 9, 13),
                        "schema file %s leads through a symbolic link to no file inside the descriptor folder %s; only files inside it are read".formatted(mesh.resolve("products/b-link.json"), folder)),
                new DescriptorProblem(new SourcePosition(folderLink, 9, 13),
                        "schema file %s leads through a symbolic link to no file inside the descriptor folder %s; only files inside it are read".formatted(mesh.resolve("products/c-folder/outside.json"), folder)),
                // the same words as for a file outside that exists: nothing tells whether it does
                new DescriptorProblem(new SourcePosition(dangling, 9, 13),
                        "schema file %s leads through a symbolic link to no file inside the descriptor folder %s; only files inside it are read".formatted(mesh.resolve("products/d-link.json"), folder)));
        assertThat(registry.problems()).allSatisfy(problem -> assertThat(problem.toString()).doesNotContain(secret));
    }

    @Test
    void testMissingDirectory()
    {
        Path absent = mesh.resolve("absent");
        MeshRegistry registry = new MeshRegistryLoader(absent, fileSystem).load();

        assertThat(registry.products()).isEmpty();
        assertThat(registry.assets()).isEmpty();
        assertThat(registry.schemaNames()).isEmpty();
        assertThat(registry.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.position()).isEqualTo(new SourcePosition(absent, 1, 1));
            assertThat(problem.message()).isEqualTo("descriptor directory does not exist or is not a directory; set mesh.descriptors.directory to the folder of data product descriptors");
        });
    }

    @Test
    void testEmptyDirectory()
    {
        MeshRegistry registry = new MeshRegistryLoader(mesh.root(), fileSystem).load();
        assertThat(registry.products()).isEmpty();
        assertThat(registry.schemaNames()).isEmpty();
        assertThat(registry.problems()).isEmpty();
    }

    @Test
    void testSqlNames()
    {
        assertThat(MeshNames.schemaName("Customer Service")).isEqualTo("customer_service");
        assertThat(MeshNames.schemaName("customer-service")).isEqualTo("customer_service");
        assertThat(MeshNames.schemaName(" Sales ")).isEqualTo("sales");
        assertThat(MeshNames.tableName("Customer_Profile")).isEqualTo("customer_profile");
    }

    /**
     * A product of the assets, owned by "team": the first asset's location on line 8.
     */
    private static DataProductYaml product(String name, String domain, Asset... assets)
    {
        return dataProduct(name, domain, "team").asset(assets);
    }
}
