package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hashing;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.sample.SampleMesh.Customer;
import dev.datamesh.trino.MeshPluginState;
import dev.datamesh.trino.SampleMeshDirectory;
import io.trino.Session;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD;

/**
 * Policy, role and group files changed under a running mesh: valid changes take effect within
 * the refresh period, invalid ones leave the last valid policy in force (never opening access),
 * running queries are unaffected; at start-up an invalid file stops the server.
 */
@Execution(SAME_THREAD)
public class TestGovernanceReload
        extends AbstractTestQueryFramework
{
    private static final Customer FIRST = SampleMesh.customers().getFirst();
    private static final String EMAIL_OF_FIRST = "SELECT email FROM customer_profile WHERE customer_id = " + FIRST.customerId();

    private Path products;
    private GovernedMeshRunner mesh;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        products = SampleMeshDirectory.create();
        mesh = GovernedMeshRunner.create(products, ImmutableMap.of(), "100ms");
        return mesh.queryRunner();
    }

    @Test
    public void testPolicyChangesTakeEffectWithoutRestart()
            throws Exception
    {
        Path added = mesh.policiesDirectory().resolve("freeze.yaml");
        Files.writeString(added, """
                denials:
                  - name: analysts-frozen
                    applies_to: {roles: [analyst]}
                """);
        String denial = "Access Denied: data product 'customer-data-product' (domain customer-service) is denied to user 'alice' by global policy 'analysts-frozen' (%s:2)".formatted(added);
        awaitTrue(() -> failureOf(as("alice"), EMAIL_OF_FIRST).equals(denial));

        Files.delete(added);
        awaitTrue(() -> failureOf(as("alice"), EMAIL_OF_FIRST).isEmpty());
        assertThat(value(as("alice"), EMAIL_OF_FIRST)).isEqualTo(sha256(FIRST.email()));
    }

    @Test
    public void testInvalidPolicyKeepsTheLastValidOne()
            throws Exception
    {
        Path privacy = mesh.policiesDirectory().resolve("privacy.yaml");
        String valid = Files.readString(privacy);
        try {
            // the mask rule that hashes alice's view of emails, broken
            Files.writeString(privacy, valid.replace("mask: hash", "mask: blur"));
            Thread.sleep(500);
            assertThat(value(as("alice"), EMAIL_OF_FIRST)).isEqualTo(sha256(FIRST.email()));

            // nor does a filter whose SQL does not parse, which would fail alice's queries
            Files.writeString(privacy, valid + """
                      - name: unfinished
                        applies_to: {roles: [analyst]}
                        filter: "region IN ("
                    """);
            Thread.sleep(500);
            assertThat(value(as("alice"), EMAIL_OF_FIRST)).isEqualTo(sha256(FIRST.email()));
            Files.writeString(privacy, valid);

            // a broken role mapping does not take alice's role away, nor give eve one
            String roles = Files.readString(mesh.rolesFile());
            Files.writeString(mesh.rolesFile(), roles + "\n  eve: [not, valid\n");
            Thread.sleep(500);
            assertThat(value(as("alice"), EMAIL_OF_FIRST)).isEqualTo(sha256(FIRST.email()));
            assertThat(failureOf(as("eve"), EMAIL_OF_FIRST)).startsWith("Access Denied: user 'eve' has no role");
            Files.writeString(mesh.rolesFile(), roles);
        }
        finally {
            Files.writeString(privacy, valid);
        }
        // a valid change after the invalid ones is taken
        Files.writeString(privacy, valid.replace("mask: hash", "mask: redact"));
        try {
            awaitTrue(() -> "*****".equals(value(as("alice"), EMAIL_OF_FIRST)));
        }
        finally {
            Files.writeString(privacy, valid);
        }
        awaitTrue(() -> sha256(FIRST.email()).equals(value(as("alice"), EMAIL_OF_FIRST)));
    }

    @Test
    public void testGroupFileChanges()
            throws Exception
    {
        String groups = Files.readString(mesh.groupsFile());
        try {
            Files.writeString(mesh.groupsFile(), groups + "analysts:eve\n");
            awaitTrue(() -> as("eve").getIdentity().getGroups().contains("analysts"));
            assertThat(value(as("eve"), EMAIL_OF_FIRST)).isEqualTo(sha256(FIRST.email()));

            Files.writeString(mesh.groupsFile(), groups + "analysts:eve\nthis line has no colon\n");
            Thread.sleep(500);
            assertThat(as("eve").getIdentity().getGroups()).containsExactly("analysts");
        }
        finally {
            Files.writeString(mesh.groupsFile(), groups);
        }
        awaitTrue(() -> as("eve").getIdentity().getGroups().isEmpty());
    }

    @Test
    public void testRunningQueriesAreUnaffectedByReloads()
            throws Exception
    {
        // two policies that govern alice's two tables differently: a query that mixed them, one
        // table decided under each, would return neither policy's answer
        Path churn = mesh.policiesDirectory().resolve("churn.yaml");
        String narrowing = """
                column_masks:
                  - name: churn-emails-redacted
                    columns: {names: [email]}
                    applies_to: {roles: [analyst]}
                    mask: redact
                row_filters:
                  - name: churn-recent-orders
                    scope: {domains: [sales]}
                    applies_to: {roles: [analyst]}
                    filter: "order_year >= 2025"
                """;
        String unrelated = """
                row_filters:
                  - name: churn-logistics
                    scope: {domains: [logistics]}
                    applies_to: {roles: [logistics]}
                    filter: "true"
                """;
        String query = "SELECT count(*), count(DISTINCT email) FROM customer_profile c JOIN sales.orders o ON c.customer_id = o.customer_id";
        List<Object> unrelatedResult = computeActual(as("alice"), query).getMaterializedRows().getFirst().getFields();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            Files.writeString(churn, narrowing);
            awaitTrue(() -> !computeActual(as("alice"), query).getMaterializedRows().getFirst().getFields().equals(unrelatedResult));
            List<Object> narrowedResult = computeActual(as("alice"), query).getMaterializedRows().getFirst().getFields();
            assertThat(narrowedResult.get(1)).isEqualTo(1L);
            assertThat((long) narrowedResult.get(0)).isLessThan((long) unrelatedResult.get(0));

            List<Future<List<Object>>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(executor.submit(() -> computeActual(as("alice"), query).getMaterializedRows().getFirst().getFields()));
            }
            for (int i = 0; i < 20; i++) {
                Files.writeString(churn, i % 2 == 0 ? unrelated : narrowing);
                Thread.sleep(50);
            }
            for (Future<List<Object>> result : results) {
                assertThat(result.get(60, SECONDS)).isIn(unrelatedResult, narrowedResult);
            }
        }
        finally {
            executor.shutdownNow();
            Files.deleteIfExists(churn);
        }
    }

    @Test
    public void testGovernanceFollowsTheDescriptorsTheConnectorServes()
            throws Exception
    {
        String masked = value(as("alice"), EMAIL_OF_FIRST);
        assertThat(masked).isNotEqualTo(FIRST.email());

        // the owner drops the pii tags from the served schema: the connector keeps serving what it
        // loaded, and governance keeps deciding with the tags of what is served
        Path schema = products.resolve("customer-service/customer_profile_schema.json");
        String original = Files.readString(schema);
        try {
            Files.writeString(schema, original.replace(", \"tags\": [\"pii\", \"contact\"]", "").replace(", \"tags\": [\"pii\"]", ""));
            Thread.sleep(1_000);
            assertThat(value(as("alice"), EMAIL_OF_FIRST)).isEqualTo(masked);
        }
        finally {
            Files.writeString(schema, original);
        }
    }

    @Test
    public void testPublicCatalog()
            throws Exception
    {
        Path publicCatalog = mesh.policiesDirectory().resolve("public-catalog.yaml");
        Files.writeString(publicCatalog, "catalog: public\n");
        try {
            // everyone learns which products exist; the data stays governed
            awaitTrue(() -> computeActual(as("eve"), "SELECT count(*) FROM system.data_products").getOnlyValue().equals(3L));
            assertThat(failureOf(as("eve"), EMAIL_OF_FIRST)).contains("user 'eve' has no role with a read grant");
        }
        finally {
            Files.delete(publicCatalog);
        }
        awaitTrue(() -> failureOf(as("eve"), "SELECT count(*) FROM system.data_products").contains("shows nothing"));
    }

    @Test
    public void testInvalidFilesStopStartUp()
            throws IOException
    {
        Path folder = TestFiles.temporaryDirectory("invalid-policy");
        Path policies = Files.createDirectories(folder.resolve("policies"));
        Path broken = policies.resolve("broken.yaml");
        Files.writeString(broken, """
                row_filters:
                  - name: no-filter
                    applies_to: {roles: [analyst]}
                """);
        assertThatThrownBy(() -> new MeshAccessControlFactory(new MeshPluginState()).create(
                ImmutableMap.of("mesh.security.policies-directory", policies.toString()),
                null))
                .hasStackTraceContaining("Invalid data mesh policy:\n" + broken + ":2:5: missing required field 'filter' in row_filters[0]");

        // a filter whose SQL does not parse would fail every query on its tables
        Files.writeString(broken, """
                row_filters:
                  - name: unfinished-filter
                    applies_to: {roles: [analyst]}
                    filter: "status IN ("
                  - name: one-region-only
                    applies_to: {roles: [analyst]}
                    filter: "region = ${attribute.region}"
                column_masks:
                  - name: unfinished-mask
                    columns: {tags: [pii]}
                    mask: expression
                    expression: "substr(${column}, 1"
                """);
        assertThatThrownBy(() -> new MeshAccessControlFactory(new MeshPluginState()).create(
                ImmutableMap.of("mesh.security.policies-directory", policies.toString()),
                null))
                .hasStackTraceContaining(broken + ":4:13: 'status IN (' is not a valid SQL expression: mismatched input 'IN'. Expecting: 'AND', 'OR', <EOF>")
                // carmen has two regions: 'region = 'EMEA', 'APAC'' would fail her queries
                .hasStackTraceContaining(broken + ":7:13: 'region = ${attribute.region}' is valid only for users with one value of the attribute: ${attribute.NAME} stands for all of a user's values ('EMEA', 'APAC'), so use it in a list such as IN (${attribute.NAME})")
                .hasStackTraceContaining(broken + ":12:17: 'substr(${column}, 1' is not a valid SQL expression: mismatched input '<EOF>'. Expecting: ')', ',', 'ORDER'");

        Path groups = folder.resolve("groups.txt");
        Files.writeString(groups, "analysts:alice\nalice bob\n");
        assertThatThrownBy(() -> new MeshGroupProviderFactory().create(ImmutableMap.of("mesh.groups.file", groups.toString())))
                .hasMessage("Invalid group file: " + groups + ":2: expected 'group:user1,user2', found 'alice bob'");
    }

    private Session as(String user)
    {
        return mesh.sessionOf(user);
    }

    private String value(Session session, String sql)
    {
        return (String) computeActual(session, sql).getOnlyValue();
    }

    private String failureOf(Session session, String sql)
    {
        try {
            computeActual(session, sql);
            return "";
        }
        catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static void awaitTrue(Supplier<Boolean> condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + SECONDS.toNanos(20);
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String sha256(String value)
    {
        return Hashing.sha256().hashString(value, UTF_8).toString();
    }
}
