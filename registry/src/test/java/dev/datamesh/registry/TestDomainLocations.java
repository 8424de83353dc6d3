package dev.datamesh.registry;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.descriptor.SourcePosition;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Each domain publishes from the locations the platform declares for it, whatever route a
 * descriptor takes to another domain's data.
 */
final class TestDomainLocations
{
    private final TrinoFileSystem fileSystem = new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("test"));

    @TempDir
    Path mesh;

    @Test
    void testEveryRouteToAnotherDomainsDataIsRefused()
            throws Exception
    {
        touch("data/customer-service/customer_profile/part-0.parquet");
        touch("data/marketing/campaigns/part-0.parquet");
        touch("data/marketing-archive/campaigns/part-0.parquet");
        Files.createSymbolicLink(Files.createDirectories(mesh.resolve("data/marketing")).resolve("linked"), mesh.resolve("data/customer-service/customer_profile"));
        write("domains.yaml", """
                domains:
                  customer-service:
                    descriptors: [products/customer-service]
                    locations: [data/customer-service]
                  marketing:
                    descriptors: [products/marketing]
                    locations: [data/marketing/, s3a://marketing-bucket/campaigns]
                    storage_profiles: [marketing]
                  finance:
                    descriptors: [products/finance]
                    locations: [s3://finance/ledger]
                    storage_profiles: [finance]
                """);
        write("products/customer-service/customer.yaml", product("customer-data-product", "customer-service", "customer_profile", "../../data/customer-service/customer_profile"));
        // the domain's own data, by every spelling
        write("products/marketing/own.yaml", product("campaign-product", "marketing", "campaigns", "../../data/marketing/campaigns/") + """
                  - name: campaigns_file
                    format: parquet
                    location: ../../data/marketing/../marketing/campaigns/part-0.parquet
                  - name: campaigns_s3
                    format: parquet
                    location: s3n://marketing-bucket/campaigns/2025/
                    storage: marketing
                """);
        Path folder = write("products/marketing/folder.yaml", product("audience-product", "marketing", "audience", "../../data/customer-service/customer_profile"));
        Path file = write("products/marketing/file.yaml", product("audience-file-product", "marketing", "audience_file", "../../data/customer-service/customer_profile/part-0.parquet"));
        Path dots = write("products/marketing/dots.yaml", product("audience-dots-product", "marketing", "audience_dots", "../../data/marketing/../customer-service/customer_profile"));
        Path link = write("products/marketing/link.yaml", product("audience-link-product", "marketing", "audience_link", "../../data/marketing/linked"));
        Path sibling = write("products/marketing/sibling.yaml", product("archive-product", "marketing", "archive", "../../data/marketing-archive/campaigns"));
        Path bucket = write("products/marketing/bucket.yaml", product("ledger-copy-product", "marketing", "ledger", "s3a://finance/ledger/2025"));
        Path profile = write("products/marketing/profile.yaml", product("profile-product", "marketing", "borrowed", "s3://marketing-bucket/campaigns/x") + "    storage: finance\n");
        Path undeclared = write("products/hr/people.yaml", product("people-product", "hr", "people", "../../data/marketing/campaigns"));

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem, ImmutableSet.of("marketing", "finance"), DomainLocations.load(mesh.resolve("domains.yaml"))).load();

        assertThat(registry.products()).extracting(DataProductDescriptor::name).containsExactly("customer-data-product", "campaign-product");
        String domains = mesh.resolve("domains.yaml").toAbsolutePath().normalize().toString();
        String customerData = "file://" + mesh.resolve("data/customer-service/customer_profile").toRealPath();
        String marketingLocations = "file://%s, s3://marketing-bucket/campaigns".formatted(mesh.resolve("data/marketing").toRealPath());
        assertThat(registry.problems()).extracting(DescriptorProblem::position, DescriptorProblem::message).containsExactlyInAnyOrder(
                problem(folder, customerData, marketingLocations, domains),
                problem(file, customerData + "/part-0.parquet", marketingLocations, domains),
                problem(dots, customerData, marketingLocations, domains),
                problem(link, "file://" + mesh.resolve("data/marketing/linked").toAbsolutePath().normalize() + " (" + customerData + ")", marketingLocations, domains),
                problem(sibling, "file://" + mesh.resolve("data/marketing-archive/campaigns").toRealPath(), marketingLocations, domains),
                problem(bucket, "s3://finance/ledger/2025", marketingLocations, domains),
                tuple(new SourcePosition(profile, 9, 14),
                        "storage profile 'finance' is not given to domain 'marketing' in %s (%s:5:3); ask the platform team to add it to the domain's storage_profiles".formatted(domains, domains)),
                tuple(new SourcePosition(undeclared, 8, 15),
                        "domain 'hr' is not declared in %s, so it may publish no data; ask the platform team to declare its data locations".formatted(domains)));
    }

    @Test
    void testDescriptorNamesTheDomainOfItsFolder()
            throws Exception
    {
        touch("data/customer-service/private_profile/part-0.parquet");
        write("domains.yaml", """
                domains:
                  customer-service:
                    descriptors: [products/customer-service]
                    locations: [data/customer-service]
                  marketing:
                    descriptors: [products/marketing]
                    locations: [data/marketing]
                """);
        write("products/customer-service/private.yaml", product("private-product", "customer-service", "private_profile", "../../data/customer-service/private_profile"));
        // marketing's file, sorted first, in customer-service's name over its data
        Path claimed = write("products/marketing/0-audience.yaml", product("leaked-product", "customer-service", "leaked_profile", "../../data/customer-service/private_profile"));
        Path outside = write("products/loose.yaml", product("loose-product", "marketing", "loose", "../data/marketing"));

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem, ImmutableSet.of(), DomainLocations.load(mesh.resolve("domains.yaml"))).load();

        assertThat(registry.products()).extracting(DataProductDescriptor::name).containsExactly("private-product");
        String domains = mesh.resolve("domains.yaml").toAbsolutePath().normalize().toString();
        assertThat(registry.problems()).extracting(DescriptorProblem::position, DescriptorProblem::message).contains(
                tuple(new SourcePosition(claimed, 2, 9), "this descriptor names domain 'customer-service' but lies in the descriptor folder of domain 'marketing', as declared in %s; a domain's products are described in its own folder".formatted(domains)),
                tuple(new SourcePosition(outside, 2, 9), "this descriptor names domain 'marketing' but lies in no domain's descriptor folder, as declared in %s; a domain's products are described in its own folder".formatted(domains)));
    }

    @Test
    void testDataPublishedOnce()
            throws Exception
    {
        touch("data/sales/orders/year=2024/part-0.parquet");
        touch("data/sales/ledger/_delta_log/00000000000000000000.json");
        touch("data/sales/ledger/part-0.parquet");
        write("domains.yaml", """
                domains:
                  sales:
                    descriptors: [products]
                    locations: [data/sales]
                """);
        write("products/a-orders.yaml", product("order-data-product", "sales", "orders", "../data/sales/orders") + """
                  - name: ledger
                    format: delta
                    location: ../data/sales/ledger
                """);
        Path same = write("products/b-same.yaml", product("order-copy-product", "sales", "orders_copy", "../data/sales/orders/"));
        Path inside = write("products/c-inside.yaml", product("order-2024-product", "sales", "orders_2024", "../data/sales/orders/year=2024"));
        Path around = write("products/d-around.yaml", product("everything-product", "sales", "everything", "../data/sales"));
        Path deltaFile = write("products/e-delta-file.yaml", product("ledger-file-product", "sales", "ledger_file", "../data/sales/ledger/part-0.parquet"));

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem, ImmutableSet.of(), DomainLocations.load(mesh.resolve("domains.yaml"))).load();

        assertThat(registry.products()).extracting(DataProductDescriptor::name).containsExactly("order-data-product");
        String orders = "asset 'orders' of data product 'order-data-product' (domain sales)";
        String ordersLocation = "file://" + mesh.resolve("data/sales/orders");
        assertThat(registry.problems()).extracting(DescriptorProblem::position, DescriptorProblem::message).containsExactlyInAnyOrder(
                published(same, ordersLocation, orders, ordersLocation),
                published(inside, ordersLocation + "/year=2024", orders, ordersLocation),
                published(around, "file://" + mesh.resolve("data/sales"), "asset 'ledger' of data product 'order-data-product' (domain sales)", "file://" + mesh.resolve("data/sales/ledger")),
                published(deltaFile, "file://" + mesh.resolve("data/sales/ledger/part-0.parquet"), "asset 'ledger' of data product 'order-data-product' (domain sales)", "file://" + mesh.resolve("data/sales/ledger")));

        // without the platform's declarations nothing is owned, and the same data may be published twice
        assertThat(new MeshRegistryLoader(mesh.resolve("products"), fileSystem).load().products()).hasSize(5);
    }

    @Test
    void testExplicitShare()
            throws Exception
    {
        touch("data/customer-service/customer_profile/part-0.parquet");
        write("domains.yaml", """
                domains:
                  customer-service:
                    descriptors: [products/customer-service]
                    locations: [data/customer-service]
                    storage_profiles: [customers]
                  marketing:
                    descriptors: [products/marketing]
                    locations: [data/marketing]
                  sales:
                    descriptors: [products/a-sales]
                    locations: [data/sales]
                """);
        write("products/customer-service/customer.yaml", product("customer-data-product", "customer-service", "customer_profile", "../../data/customer-service/customer_profile")
                + "    shared_with: [marketing/campaign-data-product]\n    storage: customers\n");
        write("products/marketing/campaign.yaml", """
                name: campaign-data-product
                domain: marketing
                owner: marketing-team
                version: 1.0.0
                data_assets:
                  - name: audience
                    format: parquet
                    shared_from: {product: customer-data-product, asset: customer_profile}
                """);
        Path notShared = write("products/marketing/other.yaml", """
                name: lookalike-product
                domain: marketing
                owner: marketing-team
                version: 1.0.0
                data_assets:
                  - name: lookalikes
                    format: parquet
                    shared_from: {product: customer-data-product, asset: customer_profile}
                  - name: nothing
                    format: parquet
                    shared_from: {product: customer-data-product, asset: no_such_asset}
                """);
        // sales takes the consumer's name first: the share names the consumer's domain too
        Path squatter = write("products/a-sales/campaign.yaml", """
                name: campaign-data-product
                domain: sales
                owner: sales-team
                version: 1.0.0
                data_assets:
                  - name: squatted
                    format: parquet
                    shared_from: {product: customer-data-product, asset: customer_profile}
                """);
        Path relocated = write("products/marketing/relocated.yaml", """
                name: relocated-product
                domain: marketing
                owner: marketing-team
                version: 1.0.0
                data_assets:
                  - name: relocated
                    format: parquet
                    location: ../../data/marketing
                    shared_from: {product: customer-data-product, asset: customer_profile}
                """);

        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem, ImmutableSet.of("customers"), DomainLocations.load(mesh.resolve("domains.yaml"))).load();

        assertThat(registry.products()).extracting(DataProductDescriptor::name).containsExactly("customer-data-product", "campaign-data-product");
        RegisteredAsset audience = registry.asset("marketing", "audience").orElseThrow();
        RegisteredAsset profile = registry.asset("customer_service", "customer_profile").orElseThrow();
        assertThat(audience.location()).isEqualTo(profile.location());
        assertThat(audience.storage()).contains("customers");
        assertThat(audience.sharedFrom()).contains(profile);
        String customerFile = mesh.resolve("products/customer-service/customer.yaml").toString();
        assertThat(registry.problems()).extracting(DescriptorProblem::position, DescriptorProblem::message).containsExactlyInAnyOrder(
                tuple(new SourcePosition(notShared, 8, 18), "asset 'customer_profile' of data product 'customer-data-product' (domain customer-service) is not shared with data product 'lookalike-product' of domain marketing; its owner lists the products that may publish it in the asset's shared_with, as marketing/lookalike-product (%s)".formatted(customerFile)),
                tuple(new SourcePosition(notShared, 11, 18), "data product 'customer-data-product' publishes no asset 'no_such_asset' of its own to share (a product left out for its problems publishes none)"),
                tuple(new SourcePosition(squatter, 8, 18), "asset 'customer_profile' of data product 'customer-data-product' (domain customer-service) is not shared with data product 'campaign-data-product' of domain sales; its owner lists the products that may publish it in the asset's shared_with, as sales/campaign-data-product (%s)".formatted(customerFile)),
                tuple(new SourcePosition(relocated, 8, 5), "data asset 'relocated' is shared from data product 'customer-data-product': it is read as its owner publishes it, so it has no location: of its own"));
    }

    @Test
    void testIcebergCatalogsOfTheDomain()
            throws Exception
    {
        touch("data/logistics/iceberg_catalog.db");
        touch("data/sales/iceberg_catalog.db");
        write("domains.yaml", """
                domains:
                  logistics:
                    descriptors: [products/logistics]
                    locations: [data/logistics]
                    iceberg_catalogs: [logistics]
                  sales:
                    descriptors: [products/sales]
                    locations: [data/sales]
                """);
        String iceberg = """
                name: %1$s
                domain: %2$s
                owner: team
                version: 1.0.0
                iceberg_catalog: %4$s
                data_assets:
                  - name: %3$s
                    format: iceberg
                    table: logistics.shipments
                """;
        write("products/logistics/own-file.yaml", iceberg.formatted("file-product", "logistics", "file_shipments", "{type: jdbc, uri: \"jdbc:sqlite:../../data/logistics/iceberg_catalog.db\", warehouse: ../../data/logistics/warehouse}"));
        write("products/logistics/declared.yaml", iceberg.formatted("declared-product", "logistics", "declared_shipments", "logistics"));
        Path otherFile = write("products/sales/other-file.yaml", iceberg.formatted("borrowed-file-product", "sales", "a", "{type: jdbc, uri: \"jdbc:sqlite:../../data/logistics/iceberg_catalog.db\"}"));
        Path otherWarehouse = write("products/sales/other-warehouse.yaml", iceberg.formatted("borrowed-warehouse-product", "sales", "b", "{type: jdbc, uri: \"jdbc:sqlite:../../data/sales/iceberg_catalog.db\", warehouse: ../../data/logistics/warehouse}"));
        Path notGiven = write("products/sales/not-given.yaml", iceberg.formatted("borrowed-catalog-product", "sales", "c", "logistics"));

        IcebergCatalogDescriptor declared = new IcebergCatalogDescriptor(IcebergCatalogDescriptor.Type.REST, "logistics", Optional.of("http://catalog.example/api"), Optional.empty(), Optional.empty(), Optional.empty(), ImmutableMap.of(), "mesh.iceberg-catalog.logistics");
        MeshRegistry registry = new MeshRegistryLoader(mesh.resolve("products"), fileSystem, ImmutableSet.of(), ImmutableMap.of("logistics", declared), DomainLocations.load(mesh.resolve("domains.yaml"))).load();

        assertThat(registry.products()).extracting(DataProductDescriptor::name).containsExactlyInAnyOrder("file-product", "declared-product");
        assertThat(registry.problems()).extracting(problem -> problem.position().file(), DescriptorProblem::message).satisfiesExactlyInAnyOrder(
                problem -> assertThat(problem.toList()).containsExactly(notGiven, "Iceberg catalog 'logistics' is not given to domain 'sales' in %s (%s:6:3); ask the platform team to add it to the domain's iceberg_catalogs"
                        .formatted(mesh.resolve("domains.yaml"), mesh.resolve("domains.yaml"))),
                problem -> {
                    assertThat(problem.toList().getFirst()).isEqualTo(otherFile);
                    assertThat((String) problem.toList().get(1)).startsWith("the catalog's SQLite file: location file://%s is not one of domain 'sales''s data locations".formatted(mesh.resolve("data/logistics/iceberg_catalog.db")));
                },
                problem -> {
                    assertThat(problem.toList().getFirst()).isEqualTo(otherWarehouse);
                    assertThat((String) problem.toList().get(1)).startsWith("the catalog's warehouse: location file://%s is not one of domain 'sales''s data locations".formatted(mesh.resolve("data/logistics/warehouse")));
                });
    }

    private static Tuple published(Path descriptor, String location, String other, String otherLocation)
    {
        return tuple(new SourcePosition(descriptor, 8, 15),
                "location %s holds data that %s publishes from %s; a piece of data is published by one product: read it through that product, or have its owner share the asset with this product"
                        .formatted(location, other, otherLocation));
    }

    @Test
    void testUnreadableDomainsFileNamesItsLine()
            throws IOException
    {
        Path file = write("domains.yaml", """
                domains:
                  sales:
                    locations: [data/sales]
                    buckets: [s3://sales]
                  finance:
                    locations: ["ftp://finance/ledger"]
                """);
        assertThatThrownBy(() -> DomainLocations.load(file))
                .isInstanceOf(DescriptorException.class)
                .satisfies(e -> assertThat(((DescriptorException) e).problems()).extracting(DescriptorProblem::toString).anySatisfy(problem -> assertThat(problem).startsWith(file + ":4:5")));
        write("domains.yaml", """
                domains:
                  finance:
                    descriptors: [products/finance]
                    locations: ["ftp://finance/ledger"]
                """);
        assertThatThrownBy(() -> DomainLocations.load(file))
                .isInstanceOf(DescriptorException.class)
                .satisfies(e -> assertThat(((DescriptorException) e).problems()).extracting(DescriptorProblem::toString)
                        .containsExactly(file + ":4:17: location 'ftp://finance/ledger' has unsupported scheme 'ftp'; use a local path, file:// or s3://"));
    }

    @Test
    void testObjectStoreLocationsWithDotSegments()
            throws Exception
    {
        Path file = write("domains.yaml", """
                domains:
                  finance:
                    descriptors: [products/finance]
                    locations: [s3://finance/ledger]
                """);
        DomainLocations domains = DomainLocations.load(file);
        assertThat(domains.locationProblem("finance", Location.of("s3://finance/ledger/2025"))).isEmpty();
        assertThat(domains.locationProblem("finance", Location.of("s3://finance/ledger/../payroll")))
                .contains("location s3://finance/ledger/../payroll has a '.' or '..' segment, which object stores read differently; write the location without it");
        assertThat(domains.locationProblem("finance", Location.of("s3://finance/ledger/./2025"))).isPresent();
    }

    @Test
    void testSegmentsNotCharacters()
    {
        assertThat(DomainLocations.contains(Location.of("s3://bucket/sales"), Location.of("s3://bucket/sales/2025/part-0.parquet"))).isTrue();
        assertThat(DomainLocations.contains(Location.of("s3://bucket/sales"), Location.of("s3://bucket/sales"))).isTrue();
        assertThat(DomainLocations.contains(Location.of("s3://bucket/sales"), Location.of("s3://bucket/sales-archive"))).isFalse();
        assertThat(DomainLocations.contains(Location.of("s3://bucket/"), Location.of("s3://bucket/anything"))).isTrue();
        assertThat(DomainLocations.contains(Location.of("s3://bucket/"), Location.of("s3://bucket2/anything"))).isFalse();
        assertThat(DomainLocations.canonical(Location.of("s3://bucket/sales//"))).isEqualTo(Location.of("s3://bucket/sales"));
    }

    private static Tuple problem(Path descriptor, String location, String owned, String domains)
    {
        return tuple(new SourcePosition(descriptor, 8, 15),
                "location %s is not one of domain 'marketing''s data locations (%s) declared in %s; publish the domain's own data, or ask the platform team to declare the location for the domain, or the owning domain to share its asset"
                        .formatted(location, owned, domains));
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
                    location: %s
                """.formatted(name, domain, asset, location);
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
