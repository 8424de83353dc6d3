package dev.datamesh.registry;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.descriptor.SourcePosition;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.registry.testing.DataProductYaml.Asset;
import dev.datamesh.registry.testing.MeshFolder;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static dev.datamesh.registry.testing.DataProductYaml.asset;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.registry.testing.TestFiles.localFileSystem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Each domain publishes from the locations the platform declares for it, whatever route a
 * descriptor takes to another domain's data.
 */
final class TestDomainLocations
{
    private final TrinoFileSystem fileSystem = localFileSystem();

    @RegisterExtension
    final MeshFolder mesh = new MeshFolder();

    @Test
    void testEveryRouteToAnotherDomainsDataIsRefused()
            throws Exception
    {
        mesh.touch("data/customer-service/customer_profile/part-0.parquet");
        mesh.touch("data/marketing/campaigns/part-0.parquet");
        mesh.touch("data/marketing-archive/campaigns/part-0.parquet");
        Files.createSymbolicLink(Files.createDirectories(mesh.resolve("data/marketing")).resolve("linked"), mesh.resolve("data/customer-service/customer_profile"));
        mesh.write("domains.yaml", """
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
        mesh.write("products/customer-service/customer.yaml", product("customer-data-product", "customer-service", parquet("customer_profile", "../../data/customer-service/customer_profile")));
        // the domain's own data, by every spelling
        mesh.write("products/marketing/own.yaml", product("campaign-product", "marketing",
                parquet("campaigns", "../../data/marketing/campaigns/"),
                parquet("campaigns_file", "../../data/marketing/../marketing/campaigns/part-0.parquet"),
                parquet("campaigns_s3", "s3n://marketing-bucket/campaigns/2025/").storage("marketing")));
        Path folder = mesh.write("products/marketing/folder.yaml", product("audience-product", "marketing", parquet("audience", "../../data/customer-service/customer_profile")));
        Path file = mesh.write("products/marketing/file.yaml", product("audience-file-product", "marketing", parquet("audience_file", "../../data/customer-service/customer_profile/part-0.parquet")));
        Path dots = mesh.write("products/marketing/dots.yaml", product("audience-dots-product", "marketing", parquet("audience_dots", "../../data/marketing/../customer-service/customer_profile")));
        Path link = mesh.write("products/marketing/link.yaml", product("audience-link-product", "marketing", parquet("audience_link", "../../data/marketing/linked")));
        Path sibling = mesh.write("products/marketing/sibling.yaml", product("archive-product", "marketing", parquet("archive", "../../data/marketing-archive/campaigns")));
        Path bucket = mesh.write("products/marketing/bucket.yaml", product("ledger-copy-product", "marketing", parquet("ledger", "s3a://finance/ledger/2025")));
        Path profile = mesh.write("products/marketing/profile.yaml", product("profile-product", "marketing", parquet("borrowed", "s3://marketing-bucket/campaigns/x").storage("finance")));
        Path undeclared = mesh.write("products/hr/people.yaml", product("people-product", "hr", parquet("people", "../../data/marketing/campaigns")));

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
        mesh.touch("data/customer-service/private_profile/part-0.parquet");
        mesh.write("domains.yaml", """
                domains:
                  customer-service:
                    descriptors: [products/customer-service]
                    locations: [data/customer-service]
                  marketing:
                    descriptors: [products/marketing]
                    locations: [data/marketing]
                """);
        mesh.write("products/customer-service/private.yaml", product("private-product", "customer-service", parquet("private_profile", "../../data/customer-service/private_profile")));
        // marketing's file, sorted first, in customer-service's name over its data
        Path claimed = mesh.write("products/marketing/0-audience.yaml", product("leaked-product", "customer-service", parquet("leaked_profile", "../../data/customer-service/private_profile")));
        Path outside = mesh.write("products/loose.yaml", product("loose-product", "marketing", parquet("loose", "../data/marketing")));

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
        mesh.touch("data/sales/orders/year=2024/part-0.parquet");
        mesh.touch("data/sales/ledger/_delta_log/00000000000000000000.json");
        mesh.touch("data/sales/ledger/part-0.parquet");
        mesh.write("domains.yaml", """
                domains:
                  sales:
                    descriptors: [products]
                    locations: [data/sales]
                """);
        mesh.write("products/a-orders.yaml", product("order-data-product", "sales", parquet("orders", "../data/sales/orders"), delta("ledger", "../data/sales/ledger")));
        Path same = mesh.write("products/b-same.yaml", product("order-copy-product", "sales", parquet("orders_copy", "../data/sales/orders/")));
        Path inside = mesh.write("products/c-inside.yaml", product("order-2024-product", "sales", parquet("orders_2024", "../data/sales/orders/year=2024")));
        Path around = mesh.write("products/d-around.yaml", product("everything-product", "sales", parquet("everything", "../data/sales")));
        Path deltaFile = mesh.write("products/e-delta-file.yaml", product("ledger-file-product", "sales", parquet("ledger_file", "../data/sales/ledger/part-0.parquet")));

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
        mesh.touch("data/customer-service/customer_profile/part-0.parquet");
        mesh.write("domains.yaml", """
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
        mesh.write("products/customer-service/customer.yaml", product("customer-data-product", "customer-service",
                parquet("customer_profile", "../../data/customer-service/customer_profile").storage("customers").sharedWith("marketing/campaign-data-product")));
        mesh.write("products/marketing/campaign.yaml", dataProduct("campaign-data-product", "marketing", "marketing-team").asset(shared("audience", "customer_profile")));
        Path notShared = mesh.write("products/marketing/other.yaml", dataProduct("lookalike-product", "marketing", "marketing-team").asset(shared("lookalikes", "customer_profile"), shared("nothing", "no_such_asset")));
        // sales takes the consumer's name first: the share names the consumer's domain too
        Path squatter = mesh.write("products/a-sales/campaign.yaml", dataProduct("campaign-data-product", "sales", "sales-team").asset(shared("squatted", "customer_profile")));
        Path relocated = mesh.write("products/marketing/relocated.yaml", dataProduct("relocated-product", "marketing", "marketing-team").asset(shared("relocated", "customer_profile").location("../../data/marketing")));

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
        mesh.touch("data/logistics/iceberg_catalog.db");
        mesh.touch("data/sales/iceberg_catalog.db");
        mesh.write("domains.yaml", """
                domains:
                  logistics:
                    descriptors: [products/logistics]
                    locations: [data/logistics]
                    iceberg_catalogs: [logistics]
                  sales:
                    descriptors: [products/sales]
                    locations: [data/sales]
                """);
        mesh.write("products/logistics/own-file.yaml", shipments("file-product", "logistics", "file_shipments", "{type: jdbc, uri: \"jdbc:sqlite:../../data/logistics/iceberg_catalog.db\", warehouse: ../../data/logistics/warehouse}"));
        mesh.write("products/logistics/declared.yaml", shipments("declared-product", "logistics", "declared_shipments", "logistics"));
        Path otherFile = mesh.write("products/sales/other-file.yaml", shipments("borrowed-file-product", "sales", "a", "{type: jdbc, uri: \"jdbc:sqlite:../../data/logistics/iceberg_catalog.db\"}"));
        Path otherWarehouse = mesh.write("products/sales/other-warehouse.yaml", shipments("borrowed-warehouse-product", "sales", "b", "{type: jdbc, uri: \"jdbc:sqlite:../../data/sales/iceberg_catalog.db\", warehouse: ../../data/logistics/warehouse}"));
        Path notGiven = mesh.write("products/sales/not-given.yaml", shipments("borrowed-catalog-product", "sales", "c", "logistics"));

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
        Path file = mesh.write("domains.yaml", """
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
        mesh.write("domains.yaml", """
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
        Path file = mesh.write("domains.yaml", """
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

    /**
     * A product of the assets, owned by "team": the first asset's location on line 8.
     */
    private static DataProductYaml product(String name, String domain, Asset... assets)
    {
        return dataProduct(name, domain, "team").asset(assets);
    }

    /**
     * An asset of the customer-service domain's product, published as its owner publishes it.
     */
    private static Asset shared(String name, String asset)
    {
        return asset(name, "parquet").sharedFrom("customer-data-product", asset);
    }

    /**
     * A product of logistics' shipments table, in the catalog the product names.
     */
    private static DataProductYaml shipments(String name, String domain, String asset, String catalog)
    {
        return dataProduct(name, domain, "team").icebergCatalog(catalog).asset(DataProductYaml.icebergTable(asset, "logistics.shipments"));
    }
}
