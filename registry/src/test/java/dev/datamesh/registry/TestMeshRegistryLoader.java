package dev.datamesh.registry;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.descriptor.DescriptorIdentity;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.descriptor.SourcePosition;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

final class TestMeshRegistryLoader
{
    private final TrinoFileSystem fileSystem = new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("test"));

    @TempDir
    Path mesh;

    @Test
    void testValidProductsServedAndBrokenOnesReported()
            throws IOException
    {
        // data: a folder of files and a single file
        touch("data/customer-service/customer_profile/part-0.parquet");
        touch("data/customer-service/customer_orders/_delta_log/00000000000000000000.json");
        touch("products/sales/orders.parquet");

        // valid products, in two domains; locations are relative to the descriptor's folder
        write("products/customer-service/customer-data-product.yaml", """
                name: customer-data-product
                domain: Customer Service
                owner: customer-data-team
                version: 1.0.0
                data_assets:
                  - name: customer_profile
                    format: parquet
                    location: ../../data/customer-service/customer_profile
                    schema: customer_profile_schema.json
                  - name: customer_orders
                    format: delta
                    location: ../../data/customer-service/customer_orders
                """);
        write("products/customer-service/customer_profile_schema.json", """
                {"columns": [{"name": "customer_id", "type": "bigint"}, {"name": "email", "type": "varchar", "tags": ["pii"]}]}
                """);
        write("products/sales/order-data-product.yml", product("order-data-product", "sales", "orders", "orders.parquet"));

        // broken products; their paths sort after the valid ones, so they are loaded later
        Path clash = write("products/zz/clash.yaml", product("clash-product", "customer-service", "Customer_Profile", "../sales/orders.parquet"));
        Path duplicateName = write("products/zz/duplicate-name.yaml", product("order-data-product", "marketing", "campaigns", "../sales/orders.parquet"));
        Path missingLocation = write("products/zz/missing-location.yaml", product("invoice-product", "finance", "invoices", "../../data/finance/invoices"));
        Path missingSchema = write("products/zz/missing-schema.yaml", product("people-product", "hr", "people", "../sales/orders.parquet") + """
                    schema: people_schema.json
                  - name: teams
                    format: parquet
                    location: ../sales/orders.parquet
                """);
        Path reserved = write("products/zz/reserved.yaml", product("reserved-product", "System", "things", "../sales/orders.parquet"));
        Path syntax = write("products/zz/syntax.yaml", product("syntax-product", "support", "tickets", "../sales/orders.parquet")
                .replace("owner: team", "owner: [team"));
        // not descriptors: other extensions and hidden files are skipped
        write("products/zz/notes.txt", "name: [");
        write("products/zz/.draft.yaml", "name: [");

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.products()).extracting(DataProductDescriptor::name).containsExactly("customer-data-product", "order-data-product");
        assertThat(registry.schemaNames()).containsExactly("customer_service", "sales");
        assertThat(registry.assets()).extracting(asset -> asset.schemaName() + "." + asset.tableName())
                .containsExactlyInAnyOrder("customer_service.customer_profile", "customer_service.customer_orders", "sales.orders");

        RegisteredAsset profile = registry.asset("customer_service", "customer_profile").orElseThrow();
        assertThat(profile.product().name()).isEqualTo("customer-data-product");
        assertThat(profile.storageLocation()).isEqualTo(fileLocation("data/customer-service/customer_profile"));
        assertThat(profile.declaredSchema().orElseThrow().columns()).extracting(DeclaredColumn::name).containsExactly("customer_id", "email");
        assertThat(registry.asset("customer_service", "customer_orders").orElseThrow().storageLocation()).isEqualTo(fileLocation("data/customer-service/customer_orders"));

        RegisteredAsset orders = registry.asset("sales", "orders").orElseThrow();
        assertThat(orders.product().file()).isEqualTo(mesh.resolve("products/sales/order-data-product.yml"));
        assertThat(orders.storageLocation()).isEqualTo(fileLocation("products/sales/orders.parquet"));
        assertThat(orders.declaredSchema()).isEmpty();

        // a product with any problem is left out whole, also its assets without problems (hr.teams)
        assertThat(registry.schemaNames()).doesNotContain("marketing", "finance", "hr", "system", "support");
        assertThat(registry.asset("hr", "teams")).isEmpty();

        assertThat(registry.problems()).containsExactly(
                new DescriptorProblem(new SourcePosition(clash, 7, 11),
                        "table 'customer_service.customer_profile' is already published by data product 'customer-data-product' (%s); rename this asset"
                                .formatted(mesh.resolve("products/customer-service/customer-data-product.yaml"))),
                new DescriptorProblem(new SourcePosition(duplicateName, 1, 7),
                        "data product 'order-data-product' is already defined in %s; product names must be unique in the mesh"
                                .formatted(mesh.resolve("products/sales/order-data-product.yml"))),
                new DescriptorProblem(new SourcePosition(missingLocation, 9, 15),
                        "location %s does not exist; create it or correct the path (local paths are relative to this descriptor)"
                                .formatted(fileLocation("data/finance/invoices"))),
                new DescriptorProblem(new SourcePosition(missingSchema, 10, 13),
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
        touch("data/orders.parquet");
        write("products/orders.yaml", product("order-data-product", "sales", "orders", "../data/orders.parquet") + "    schema: schemas/orders.json\n");
        Path schema = write("products/schemas/orders.json", """
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
        Path invalid = write("products/a-invalid.yaml", """
                name: invoice-data-product
                domain: finance
                owner: [finance-team]
                data_assets: []
                """);
        Path syntax = write("products/b-syntax.yaml", "name: [broken\n");
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
        Path file = write("products/orders.yaml", product("order-data-product", "sales", "orders", "hdfs://namenode/orders"));

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.products()).isEmpty();
        assertThat(registry.problems()).containsExactly(new DescriptorProblem(
                new SourcePosition(file, 9, 15),
                "location 'hdfs://namenode/orders' has unsupported scheme 'hdfs'; use a local path, file:// or s3://"));
    }

    @Test
    void testStorageProfilesAndObjectStoreLocations()
            throws IOException
    {
        // s3 locations are registered unchecked (read at query time); the profile names are checked
        write("products/orders.yaml", product("order-data-product", "sales", "orders", "s3a://sales-bucket/orders") + "storage: sales\n");
        Path invoices = write("products/invoices.yaml", product("invoice-data-product", "finance", "invoices", "s3://finance/invoices") + "    storage: finanse\n");

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem, ImmutableSet.of("sales", "finance")).load();

        assertThat(registry.assets()).singleElement().satisfies(asset -> {
            assertThat(asset.location()).contains(Location.of("s3://sales-bucket/orders"));
            assertThat(asset.storage()).contains("sales");
        });
        assertThat(registry.problems()).containsExactly(new DescriptorProblem(
                new SourcePosition(invoices, 10, 14),
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
        write("products/sales.yaml", """
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
        Path unknown = write("products/typo.yaml", """
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
        Path logistics = write("products/logistics/shipments.yaml", """
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
                Optional.of("jdbc:sqlite:" + mesh.resolve("data/logistics/iceberg_catalog.db")), Optional.of(fileLocation("data/logistics/warehouse").toString()),
                Optional.empty(), Optional.empty(), ImmutableMap.of(), logistics + ":6:3"));
        assertThat(shipments.catalog().isFileCatalog()).isTrue();
        assertThat(shipments.fileCatalog()).contains(new FileCatalogFiles(
                mesh.resolve("data/logistics/iceberg_catalog.db"),
                new SourcePosition(logistics, 7, 8),
                Optional.of(fileLocation("data/logistics/warehouse")),
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
        write("products/s3.yaml", """
                name: s3-data-product
                domain: logistics
                owner: team
                version: 1.0.0
                iceberg_catalog: {type: jdbc, uri: "jdbc:sqlite:catalog.db", warehouse: "s3a://data-mesh/logistics/warehouse"}
                data_assets:
                  - {name: shipments, format: iceberg, table: logistics.shipments}
                """);
        Path hdfs = write("products/hdfs.yaml", """
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
        touch("data/orders.parquet");
        write("outside.json", "{\"columns\": [{\"name\": \"%s\", \"type\": \"%s\", \"nulable\": 1}]}".formatted(secret, secret));
        write("products/shared/orders.json", "{\"columns\": [{\"name\": \"order_id\", \"type\": \"bigint\"}]}");
        // a path with .. that leaves the folder
        Path dotDot = write("products/a/dot-dot.yaml", product("a-product", "a", "orders", "../../data/orders.parquet") + "    schema: ../../outside.json\n");
        // a link inside the folder to a file outside, to a folder outside, and to no file at all
        Files.createSymbolicLink(mesh.resolve("products/b-link.json"), mesh.resolve("outside.json"));
        Path fileLink = write("products/b.yaml", product("b-product", "b", "orders", "../data/orders.parquet") + "    schema: b-link.json\n");
        Files.createSymbolicLink(mesh.resolve("products/c-folder"), mesh);
        Path folderLink = write("products/c.yaml", product("c-product", "c", "orders", "../data/orders.parquet") + "    schema: c-folder/outside.json\n");
        Files.createSymbolicLink(mesh.resolve("products/d-link.json"), mesh.resolve("absent.json"));
        Path dangling = write("products/d.yaml", product("d-product", "d", "orders", "../data/orders.parquet") + "    schema: d-link.json\n");
        // a link that stays inside is followed
        Files.createSymbolicLink(mesh.resolve("products/e-link.json"), mesh.resolve("products/shared/orders.json"));
        write("products/e.yaml", product("e-product", "e", "orders", "../data/orders.parquet") + "    schema: e-link.json\n");
        // a descriptor that is a link to a file outside is not read
        write("elsewhere/product.yaml", product(secret, secret, secret, secret));
        Path descriptorLink = Files.createSymbolicLink(mesh.resolve("products/f.yaml"), mesh.resolve("elsewhere/product.yaml"));

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load();

        assertThat(registry.products()).extracting(DataProductDescriptor::name).containsExactly("e-product");
        assertThat(registry.asset("e", "orders").orElseThrow().declaredSchema().orElseThrow().columns()).extracting(DeclaredColumn::name).containsExactly("order_id");
        Path folder = mesh.resolve("products");
        assertThat(registry.problems()).containsExactlyInAnyOrder(
                new DescriptorProblem(new SourcePosition(descriptorLink, 1, 1),
                        "descriptor file %s leads through a symbolic link to no file inside the descriptor folder %s; only files inside it are read".formatted(descriptorLink, folder)),
                new DescriptorProblem(new SourcePosition(dotDot, 10, 13),
                        "schema file %s lies outside the descriptor folder %s; only files inside it are read".formatted(mesh.resolve("outside.json"), folder)),
                new DescriptorProblem(new SourcePosition(fileLink, 10, 13),
                        "schema file %s leads through a symbolic link to no file inside the descriptor folder %s; only files inside it are read".formatted(mesh.resolve("products/b-link.json"), folder)),
                new DescriptorProblem(new SourcePosition(folderLink, 10, 13),
                        "schema file %s leads through a symbolic link to no file inside the descriptor folder %s; only files inside it are read".formatted(mesh.resolve("products/c-folder/outside.json"), folder)),
                // the same words as for a file outside that exists: nothing tells whether it does
                new DescriptorProblem(new SourcePosition(dangling, 10, 13),
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
        MeshRegistry registry = new MeshRegistryLoader(mesh, fileSystem).load();
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

    private static String product(String name, String domain, String asset, String location)
    {
        return """
                name: %s
                domain: %s
                owner: team
                version: 1.0.0
                data_assets:
                  - format: parquet
                    name: %s
                    update_frequency: daily
                    location: %s
                """.formatted(name, domain, asset, location);
    }

    private Location fileLocation(String relative)
    {
        return Location.of("file://" + mesh.resolve(relative));
    }

    private Path write(String relative, String content)
            throws IOException
    {
        Path file = mesh.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private void touch(String relative)
            throws IOException
    {
        write(relative, "PAR1");
    }
}
