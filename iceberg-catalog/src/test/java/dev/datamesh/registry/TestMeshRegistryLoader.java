package dev.datamesh.registry;

import dev.datamesh.descriptor.DescriptorProblem;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class TestMeshRegistryLoader
{
    private final TrinoFileSystem fileSystem = new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("test"));

    @TempDir
    Path directory;

    @Test
    void testValidProductsServedAndBrokenOnesReported()
            throws IOException
    {
        Files.createDirectories(directory.resolve("data/profile"));
        Files.createDirectories(directory.resolve("data/orders"));
        Files.createDirectories(directory.resolve("products"));
        Files.writeString(directory.resolve("products/a-customers.yaml"), product("customer-data-product", "Customer Service", "customer_profile", "../data/profile"));
        Files.writeString(directory.resolve("products/b-orders.yml"), product("order-data-product", "sales", "orders", "../data/orders"));
        // taken by a-customers.yaml, which is loaded first
        Files.writeString(directory.resolve("products/c-clash.yaml"), product("clash-product", "customer-service", "Customer_Profile", "../data/orders"));
        Files.writeString(directory.resolve("products/d-missing-location.yaml"), product("missing-location", "finance", "invoices", "../data/invoices"));
        Files.writeString(directory.resolve("products/e-syntax.yaml"), "name: [unclosed\n");
        Files.writeString(directory.resolve("products/f-reserved.yaml"), product("reserved", "system", "things", "../data/orders"));
        Files.writeString(directory.resolve("products/g-same-name.yaml"), product("order-data-product", "marketing", "campaigns", "../data/orders"));
        Files.writeString(directory.resolve("products/h-missing-schema.yaml"), product("missing-schema", "hr", "people", "../data/orders") + "    schema: people.json\n");
        Files.writeString(directory.resolve("products/notes.txt"), "not a descriptor");

        MeshRegistry registry = new MeshRegistryLoader(directory.resolve("products"), fileSystem).load();

        assertThat(registry.schemaNames()).containsExactly("customer_service", "sales");
        RegisteredAsset profile = registry.asset("customer_service", "customer_profile").orElseThrow();
        assertThat(profile.product().name()).isEqualTo("customer-data-product");
        assertThat(profile.location()).isEqualTo(Location.of("file://" + directory.resolve("data/profile")));
        assertThat(registry.assets("sales")).extracting(RegisteredAsset::tableName).containsExactly("orders");
        assertThat(registry.products()).extracting(product -> product.name()).containsExactly("customer-data-product", "order-data-product");

        assertThat(registry.problems()).extracting(TestMeshRegistryLoader::describe).containsExactly(
                "c-clash.yaml:7:11: table 'customer_service.customer_profile' is already published by data product 'customer-data-product' (%s)".formatted(directory.resolve("products/a-customers.yaml")),
                "d-missing-location.yaml:9:15: location file://%s does not exist".formatted(directory.resolve("data/invoices")),
                "e-syntax.yaml:2:1: invalid YAML: expected ',' or ']', but got <stream end> while parsing a flow sequence",
                "f-reserved.yaml:2:9: domain 'system' would become the reserved schema 'system'",
                "g-same-name.yaml:1:7: data product 'order-data-product' is already defined in %s".formatted(directory.resolve("products/b-orders.yml")),
                "h-missing-schema.yaml:10:13: schema file %s does not exist".formatted(directory.resolve("products/people.json")));
    }

    @Test
    void testMissingDirectory()
    {
        MeshRegistry registry = new MeshRegistryLoader(directory.resolve("absent"), fileSystem).load();
        assertThat(registry.schemaNames()).isEmpty();
        assertThat(registry.problems()).singleElement()
                .extracting(DescriptorProblem::message)
                .asString()
                .startsWith("descriptor directory does not exist");
    }

    private static String describe(DescriptorProblem problem)
    {
        String text = problem.position().file().getFileName() + ":" + problem.position().line() + ":" + problem.position().column() + ": " + problem.message();
        // the advice after ';' is left to the parser tests
        int cut = text.indexOf(';');
        return cut > 0 ? text.substring(0, cut) : text;
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
}
