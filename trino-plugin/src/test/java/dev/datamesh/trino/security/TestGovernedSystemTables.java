package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.trino.SampleMeshDirectory;
import io.trino.Session;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

import static dev.datamesh.registry.testing.DataProductYaml.asset;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD;

/**
 * The catalog tables under governance, beside the sample mesh: a domain whose columns global
 * denials hide by tag, by the reserved tag unclassified and by name, on a table without a
 * contract, one whose data has columns its contract does not declare and one that breaks its
 * contract; and descriptors left out for their problems, which reach the people concerned.
 */
@Execution(SAME_THREAD)
public class TestGovernedSystemTables
        extends AbstractTestQueryFramework
{
    private static final String SENSOR_POLICY = """
            denials:
              - name: analysts-read-classified-sensor-columns-only
                scope: {domains: [sensors]}
                applies_to: {roles: [analyst]}
                columns: {tags: [unclassified]}
              - name: no-personal-sensor-columns-for-data-scientists
                scope: {domains: [sensors]}
                applies_to: {roles: [data-scientist]}
                columns: {tags: [pii], names: [region]}
            """;

    private GovernedMeshRunner mesh;
    private Path products;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        products = SampleMeshDirectory.create();
        Path sample = products.resolveSibling("data");
        Path profile = SampleMeshDirectory.customerProfileFile(products);
        for (String asset : List.of("readings", "tagged", "drifted")) {
            Files.copy(profile, Files.createDirectories(sample.resolve("sensors/" + asset)).resolve("part-00000.parquet"));
        }
        Files.writeString(Files.createDirectories(sample.resolve("sensors/corrupt")).resolve("part-00000.parquet"), "not a parquet file");

        SampleMeshDirectory.declareDomain(products, "sensors", "data/sensors");
        Path domain = Files.createDirectories(products.resolve("sensors"));
        Files.writeString(domain.resolve("tagged_schema.json"), """
                {"columns": [
                  {"name": "customer_id", "type": "bigint"},
                  {"name": "email", "type": "varchar", "tags": ["pii"]},
                  {"name": "region", "type": "varchar", "tags": ["location"]}
                ]}
                """);
        // email of another type, two columns the data lacks (one classified), the rest extra
        Files.writeString(domain.resolve("drifted_schema.json"), """
                {"columns": [
                  {"name": "customer_id", "type": "bigint"},
                  {"name": "email", "type": "bigint", "tags": ["pii"]},
                  {"name": "coupon", "type": "varchar", "tags": ["pii"]},
                  {"name": "loyalty_tier", "type": "varchar"}
                ]}
                """);
        dataProduct("sensor-data-product", "sensors", "sensor-team")
                .asset(
                        parquet("readings", "../../data/sensors/readings"),
                        parquet("tagged", "../../data/sensors/tagged").schema("tagged_schema.json"),
                        parquet("drifted", "../../data/sensors/drifted").schema("drifted_schema.json"),
                        parquet("corrupt", "../../data/sensors/corrupt"))
                .grantRead("analyst", "data-scientist")
                .writeTo(domain.resolve("sensor-data-product.yaml"));

        // descriptors left out: brand new, so no valid version of theirs is served
        brokenProduct("calibration-data-product", "sensors", "sensor-team").writeTo(domain.resolve("calibration.yaml"));
        brokenProduct("campaign-data-product", "marketing", "marketing-team").writeTo(products.resolve("campaigns.yaml"));
        brokenProduct("complaint-data-product", "customer-service", "customer-data-team").writeTo(products.resolve("customer-service/complaints.yaml"));
        Files.writeString(products.resolve("unreadable.yaml"), "name: [unreadable\n");

        mesh = GovernedMeshRunner.create(products, ImmutableMap.of("sensors.yaml", SENSOR_POLICY), "200ms");
        // a team whose only product is the broken one
        Files.writeString(mesh.groupsFile(), "marketing-team:nina\n", APPEND);
        return mesh.queryRunner();
    }

    @Test
    public void testCatalogColumnsAreTheColumnsUsersMayRead()
    {
        // a table without a contract (all columns unclassified), and one with classified, unclassified and undeclared columns
        for (String user : List.of("alice", "dora", "olivia")) {
            for (String table : List.of("readings", "tagged", "customer_profile")) {
                assertThat(columns(user, "SELECT column_name FROM system.columns WHERE table_name = '%s'".formatted(table)))
                        .as("%s on %s", user, table)
                        .isEqualTo(columns(user, "SELECT column_name FROM information_schema.columns WHERE table_name = '%s'".formatted(table)));
            }
        }
        assertThat(columns("alice", "SELECT column_name FROM system.columns WHERE table_name = 'readings'")).isEmpty();
        assertThat(columns("alice", "SELECT column_name FROM system.columns WHERE table_name = 'tagged'")).containsExactlyInAnyOrder("email", "region");
        assertThat(columns("dora", "SELECT column_name FROM system.columns WHERE table_name = 'tagged'"))
                .contains("customer_id", "first_name")
                .doesNotContain("email", "region");
    }

    @Test
    public void testContractViolationsOfHiddenColumnsAreHidden()
    {
        String violations = "SELECT column_name FROM system.contract_violations WHERE table_name = 'drifted'";
        assertThat(columns("alice", violations)).containsExactlyInAnyOrder("email", "coupon");
        assertThat(columns("dora", violations))
                .contains("loyalty_tier", "first_name")
                .doesNotContain("email", "coupon", "region");
        assertThat(columns("dora", "SELECT DISTINCT kind FROM system.contract_violations WHERE table_name = 'drifted'")).containsExactlyInAnyOrder("missing_column", "extra_column");
    }

    @Test
    public void testProblemsOfDescriptorsLeftOutReachThePeopleConcerned()
            throws Exception
    {
        String problems = "SELECT DISTINCT regexp_extract(descriptor_file, '[^/]+$') FROM system.descriptor_errors";
        // a domain the user reads a product of
        assertThat(columns("alice", problems)).containsExactlyInAnyOrder("calibration.yaml", "complaints.yaml");
        // the team the descriptor names as owner
        assertThat(columns("olivia", problems)).containsExactlyInAnyOrder("complaints.yaml");
        // ... unless a global denial covers what it names
        assertThat(columns("connor", problems)).containsExactlyInAnyOrder("calibration.yaml");
        assertThat(columns("carlos", problems)).containsExactlyInAnyOrder("complaints.yaml");
        // an owner whose only product is the broken one sees the catalog for its problems, and nothing else
        awaitGroups("nina");
        assertThat(columns("nina", problems)).containsExactlyInAnyOrder("campaigns.yaml");
        assertThat(columns("nina", "SELECT domain FROM system.descriptor_errors")).containsExactly("marketing");
        assertThat(columns("nina", "SELECT data_product FROM system.data_products")).isEmpty();
        // a file unreadable before it names anything shows to nobody, short of a public catalog
        assertThat(columns("dora", "SELECT file FROM system.descriptor_errors WHERE file LIKE '%unreadable.yaml'")).isEmpty();
    }

    @Test
    public void testCatalogReadsOnlyTheTablesTheUserMayRead()
    {
        // reading a table that cannot be read records its error; luis reads only logistics.shipments
        Instant start = Instant.now();
        assertThat(columns("luis", "SELECT table_name FROM system.columns")).containsExactly("shipments");
        assertThat(columns("luis", "SELECT table_name FROM system.contract_violations")).isSubsetOf("shipments");
        MaterializedRow corrupt = computeActual(as("alice"), "SELECT last_error_time FROM system.sla_status WHERE table_name = 'corrupt'").getMaterializedRows().getFirst();
        if (corrupt.getField(0) != null) {
            assertThat(((ZonedDateTime) corrupt.getField(0)).toInstant()).isBefore(start);
        }
    }

    private Set<Object> columns(String user, String sql)
    {
        return computeActual(as(user), sql).getOnlyColumn().collect(toSet());
    }

    private Session as(String user)
    {
        return mesh.sessionOf(user);
    }

    private void awaitGroups(String user)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (mesh.sessionOf(user).getIdentity().getGroups().isEmpty()) {
            assertThat(System.nanoTime()).as("groups of %s", user).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * A product of a format the mesh does not read.
     */
    private static DataProductYaml brokenProduct(String name, String domain, String owner)
    {
        return dataProduct(name, domain, owner).asset(asset("things", "csv").location("/nowhere"));
    }
}
