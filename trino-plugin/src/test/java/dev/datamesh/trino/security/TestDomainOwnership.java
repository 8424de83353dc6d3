package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.sample.SampleMesh.Customer;
import dev.datamesh.trino.SampleMeshDirectory;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.datamesh.registry.testing.DataProductYaml.asset;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.iceberg;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.registry.testing.TestFiles.copyTree;
import static dev.datamesh.registry.testing.TestFiles.firstFile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a domain may publish, through the engine with the sample's domains file: another
 * domain's data re-published under a domain of one's own is left out with its problem at
 * file:line, while the same data shared by its owner reads with the owner's masks, filters and
 * domain denials.
 */
public class TestDomainOwnership
        extends AbstractTestQueryFramework
{
    private static final Customer FIRST = SampleMesh.customers().getFirst();

    private GovernedMeshRunner mesh;
    private Path audienceDescriptor;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        SampleMeshDirectory.declareDomain(products, "marketing", "data/marketing");
        Files.createDirectories(products.resolveSibling("data/marketing"));
        Path marketing = Files.createDirectories(products.resolve("marketing"));
        // the exfiltration of issue 14: customer-service's files under marketing's name, no contract, granted to analysts
        audienceDescriptor = dataProduct("audience-product", "marketing", "analysts")
                .asset(parquet("audience", "../../data/customer-service/customer_profile"))
                .grantRead("analyst")
                .writeTo(marketing.resolve("audience-product.yaml"));
        // the same data, shared by its owner with marketing's campaign product
        Path customerProduct = products.resolve("customer-service/customer-data-product.yaml");
        Files.writeString(customerProduct, Files.readString(customerProduct).replace(
                "    schema: customer_profile_schema.json\n",
                "    schema: customer_profile_schema.json\n    shared_with: [marketing/campaign-data-product]\n"));
        dataProduct("campaign-data-product", "marketing", "analysts")
                .asset(asset("campaign_audience", "parquet").sharedFrom("customer-data-product", "customer_profile"))
                .grantRead("analyst", "customer-service")
                .writeTo(marketing.resolve("campaign-data-product.yaml"));
        writeRoutesOutOfTheDomain(products.resolveSibling("data"), marketing);
        mesh = GovernedMeshRunner.create(products, ImmutableMap.of(), "5s");
        return mesh.queryRunner();
    }

    /**
     * Assets in marketing's own folder whose files are elsewhere: a symbolic link to a customer
     * file, a Delta log adding customer-service's files by absolute path, Iceberg metadata copied
     * from logistics (its table location and data files in logistics' warehouse).
     */
    private static void writeRoutesOutOfTheDomain(Path data, Path descriptors)
            throws Exception
    {
        Path linked = Files.createDirectories(data.resolve("marketing/linked_profiles"));
        Path profile = firstFile(data.resolve("customer-service/customer_profile"), ".parquet");
        Files.createSymbolicLink(linked.resolve(profile.getFileName()), profile);
        Path orders = data.resolve("customer-service/customer_orders");
        Path log = Files.createDirectories(data.resolve("marketing/orders_delta/_delta_log"));
        try (Stream<Path> commits = Files.list(orders.resolve("_delta_log"))) {
            for (Path commit : commits.filter(path -> path.toString().endsWith(".json")).toList()) {
                Files.writeString(log.resolve(commit.getFileName()), Files.readString(commit).replaceAll("\"path\":\"([^\"/:][^\"]*)\"", "\"path\":\"file://" + orders + "/$1\""));
            }
        }
        Path metadata = firstFile(data.resolve("logistics"), ".metadata.json").getParent();
        copyTree(metadata, data.resolve("marketing/shipments_copy/metadata"));
        dataProduct("routes-product", "marketing", "marketing-team")
                .asset(
                        parquet("linked_profiles", "../../data/marketing/linked_profiles"),
                        delta("orders_delta", "../../data/marketing/orders_delta"),
                        iceberg("shipments_copy", "../../data/marketing/shipments_copy"))
                .grantRead("analyst")
                .writeTo(descriptors.resolve("routes-product.yaml"));
    }

    @Test
    public void testFilesOutsideTheDomainAreNotRead()
    {
        // the reader learns that a file lies outside, not where it leads
        String outside = "Cannot read asset '%s' of data product 'routes-product' \\(domain marketing\\): a file it names lies outside the data locations of domain 'marketing', which the platform declares; the server log names the file";
        for (String table : List.of("linked_profiles", "orders_delta", "shipments_copy")) {
            assertQueryFails(mesh.sessionOf("alice"), "SELECT count(*) FROM mesh.marketing." + table, outside.formatted(table));
        }
        // the domain's own files still read
        assertQuery(mesh.sessionOf("alice"), "SELECT count(*) FROM mesh.marketing.campaign_audience", "VALUES " + SampleMesh.CUSTOMER_COUNT);
    }

    @Test
    public void testAnotherDomainsDataIsNotRepublished()
    {
        // alice owns the descriptor (its owner team is her group): she sees why it is left out
        assertThat(computeActual(mesh.sessionOf("alice"), "SELECT file, line, column_number, message FROM mesh.system.descriptor_errors WHERE data_product IS NULL AND descriptor_file = '%s'"
                .formatted(audienceDescriptor.toAbsolutePath().normalize())).getMaterializedRows())
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.getField(0)).isEqualTo(audienceDescriptor.toAbsolutePath().normalize().toString());
                    assertThat(row.getField(1)).isEqualTo(8L);
                    assertThat((String) row.getField(3)).startsWith("location file://%s is not one of domain 'marketing''s data locations"
                            .formatted(audienceDescriptor.resolveSibling("../../data/customer-service/customer_profile").normalize()));
                });
        for (String user : new String[] {"alice", "connor"}) {
            assertQueryFails(mesh.sessionOf(user), "SELECT first_name, email FROM mesh.marketing.audience", ".*Table 'mesh.marketing.audience' does not exist");
        }
    }

    @Test
    public void testSharedAssetKeepsItsOwnersGovernance()
    {
        // the owner's contract classifies email as pii: hashed for analysts, as in customer_service.customer_profile,
        // although the consumer's owner team is alice's: the owner's exemption is the owning team's
        assertQuery(mesh.sessionOf("alice"), "SELECT count(*) FROM mesh.marketing.campaign_audience", "VALUES " + SampleMesh.CUSTOMER_COUNT);
        assertThat(computeActual(mesh.sessionOf("alice"), "SELECT email FROM mesh.marketing.campaign_audience WHERE customer_id = " + FIRST.customerId()).getOnlyValue())
                .isEqualTo(computeActual(mesh.sessionOf("alice"), "SELECT email FROM mesh.customer_service.customer_profile WHERE customer_id = " + FIRST.customerId()).getOnlyValue())
                .isNotEqualTo(FIRST.email());
        // the owner's row filter, scoped to its product and asset, follows the data
        long american = SampleMesh.customers().stream().filter(customer -> customer.region().equals("AMER")).count();
        assertQuery(mesh.sessionOf("carlos"), "SELECT count(*) FROM mesh.marketing.campaign_audience", "VALUES " + american);
        // and the global denial of the owner's domain
        assertQueryFails(mesh.sessionOf("connor"), "SELECT count(*) FROM mesh.marketing.campaign_audience",
                "Access Denied: data product 'campaign-data-product' \\(domain marketing\\), shared from data product 'customer-data-product' \\(domain customer-service\\) is denied to user 'connor' by global policy 'no-contractors-on-customer-data' .*");
    }
}
