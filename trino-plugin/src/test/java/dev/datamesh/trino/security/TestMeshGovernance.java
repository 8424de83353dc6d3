package dev.datamesh.trino.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.hash.Hashing;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.sample.SampleMesh.Customer;
import dev.datamesh.trino.MeshQueryRunner;
import dev.datamesh.trino.SampleMeshDirectory;
import io.trino.Session;
import io.trino.spi.QueryId;
import io.trino.spi.security.AccessDeniedException;
import io.trino.spi.security.Identity;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryFailedException;
import io.trino.testing.QueryRunner;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.datamesh.trino.security.GovernedMeshRunner.texts;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sample mesh's governance through the query engine, user by user: what each sees of the
 * catalog, what it may select, the masks and row filters on what it reads, and every route
 * around them (time travel, statistics, EXPLAIN ANALYZE, views, writes, other catalogs).
 * Expected rows come from the sample's generator.
 */
public class TestMeshGovernance
        extends AbstractTestQueryFramework
{
    // test-only rules on top of the sample's etc/mesh/policies
    private static final String TEST_POLICY = """
            denials:
              - name: no-lifetime-value-for-data-scientists
                columns: {names: [lifetime_value]}
                applies_to: {roles: [data-scientist]}
            column_masks:
              - name: weights-hidden-from-analysts
                scope: {domains: [logistics]}
                columns: {names: [weight_kg]}
                applies_to: {roles: [analyst]}
                mask: "null"
            row_filters:
              - name: analysts-see-web-orders
                scope: {products: [customer-data-product], assets: [customer_orders]}
                applies_to: {roles: [analyst]}
                filter: "channel = 'web'"
            impersonation:
              - name: bi-service-acts-for-analysts
                applies_to: {users: [bi-service]}
                users: "alice|dora"
            """;

    private static final Customer FIRST = SampleMesh.customers().getFirst();

    private GovernedMeshRunner mesh;
    private Path products;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        products = SampleMeshDirectory.create();
        mesh = GovernedMeshRunner.create(products, ImmutableMap.of("tests.yaml", TEST_POLICY), "5s");
        return mesh.queryRunner();
    }

    /**
     * Every sample user against every table, through the engine and through JDBC: row counts or
     * the exact denial; then, for a customer each reader may see, every column of the customer
     * table in clear, hashed, nulled or denied.
     */
    @Test
    public void testMatrixOfUsersTablesAndColumns()
            throws Exception
    {
        String profiles = "customer_service.customer_profile";
        String customerOrders = "customer_service.customer_orders";
        String orders = "sales.orders";
        String shipments = "logistics.shipments";
        long all = SampleMesh.CUSTOMER_COUNT;
        long webOrders = SampleMesh.customerOrders().stream().filter(order -> order.channel().equals("web")).count();
        String privacy = mesh.policiesDirectory().resolve("privacy.yaml").toString();

        Map<String, Map<String, String>> expected = ImmutableMap.<String, Map<String, String>>builder()
                .put("alice", ImmutableMap.of(profiles, "" + all, customerOrders, "" + webOrders, orders, "" + SampleMesh.ORDER_COUNT, shipments, "" + SampleMesh.CUSTOMER_ORDER_COUNT))
                .put("dora", ImmutableMap.of(profiles, "" + all, customerOrders, "" + SampleMesh.CUSTOMER_ORDER_COUNT, orders, "" + SampleMesh.ORDER_COUNT, shipments, "" + SampleMesh.CUSTOMER_ORDER_COUNT))
                .put("carlos", ImmutableMap.of(profiles, "" + customersIn("AMER"), customerOrders, "" + SampleMesh.CUSTOMER_ORDER_COUNT,
                        orders, "Access Denied: role 'customer-service' has no read grant on data product 'order-data-product' (domain sales)", shipments, "" + SampleMesh.CUSTOMER_ORDER_COUNT))
                .put("carmen", ImmutableMap.of(profiles, "" + customersIn("EMEA", "APAC"), customerOrders, "" + SampleMesh.CUSTOMER_ORDER_COUNT,
                        orders, "Access Denied: role 'customer-service' has no read grant on data product 'order-data-product' (domain sales)", shipments, "" + SampleMesh.CUSTOMER_ORDER_COUNT))
                .put("olivia", ImmutableMap.of(profiles, "" + all, customerOrders, "" + SampleMesh.CUSTOMER_ORDER_COUNT,
                        orders, "Access Denied: user 'olivia' has no role with a read grant on data product 'order-data-product' (domain sales)",
                        shipments, "Access Denied: user 'olivia' has no role with a read grant on data product 'shipment-data-product' (domain logistics)"))
                .put("luis", ImmutableMap.of(
                        profiles, "Access Denied: role 'logistics' has no read grant on data product 'customer-data-product' (domain customer-service)",
                        customerOrders, "Access Denied: role 'logistics' has no read grant on data product 'customer-data-product' (domain customer-service)",
                        orders, "Access Denied: role 'logistics' has no read grant on data product 'order-data-product' (domain sales)",
                        shipments, "" + SampleMesh.CUSTOMER_ORDER_COUNT))
                .put("connor", ImmutableMap.of(
                        profiles, "Access Denied: data product 'customer-data-product' (domain customer-service) is denied to user 'connor' by global policy 'no-contractors-on-customer-data' (%s:4)".formatted(privacy),
                        customerOrders, "Access Denied: data product 'customer-data-product' (domain customer-service) is denied to user 'connor' by global policy 'no-contractors-on-customer-data' (%s:4)".formatted(privacy),
                        orders, "" + SampleMesh.ORDER_COUNT, shipments, "" + SampleMesh.CUSTOMER_ORDER_COUNT))
                .put("eve", ImmutableMap.of(
                        profiles, "Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)",
                        customerOrders, "Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)",
                        orders, "Access Denied: user 'eve' has no role with a read grant on data product 'order-data-product' (domain sales)",
                        shipments, "Access Denied: user 'eve' has no role with a read grant on data product 'shipment-data-product' (domain logistics)"))
                .buildOrThrow();
        for (Map.Entry<String, Map<String, String>> user : expected.entrySet()) {
            for (Map.Entry<String, String> table : user.getValue().entrySet()) {
                String sql = "SELECT count(*) FROM " + table.getKey();
                assertThat(engineOutcome(user.getKey(), sql)).as("%s: %s through the engine", user.getKey(), sql).isEqualTo(List.of(table.getValue()));
                assertThat(jdbcOutcome(user.getKey(), sql)).as("%s: %s through JDBC", user.getKey(), sql).isEqualTo(List.of(table.getValue()));
            }
        }

        // the columns of a customer each reader may see: clear, hashed, null or denied
        Customer american = SampleMesh.customers().stream().filter(customer -> customer.region().equals("AMER")).findFirst().orElseThrow();
        Customer european = SampleMesh.customers().stream().filter(customer -> customer.region().equals("EMEA")).findFirst().orElseThrow();
        String lifetimeValueDenied = "Access Denied: column 'lifetime_value' of data product 'customer-data-product' (domain customer-service) is denied to user 'dora' by global policy 'no-lifetime-value-for-data-scientists' (%s:2)"
                .formatted(mesh.policiesDirectory().resolve("tests.yaml"));
        for (String path : List.of("engine", "jdbc")) {
            assertColumns(path, "alice", american, sha256(american.firstName()), sha256(american.lastName()), sha256(american.email()), sha256(american.phone()), american.region(), american.lifetimeValue().toPlainString());
            assertColumns(path, "dora", american, sha256(american.firstName()), sha256(american.lastName()), null, null, american.region(), lifetimeValueDenied);
            assertColumns(path, "carlos", american, american.firstName(), american.lastName(), american.email(), american.phone(), american.region(), american.lifetimeValue().toPlainString());
            assertColumns(path, "carmen", european, european.firstName(), european.lastName(), european.email(), european.phone(), european.region(), european.lifetimeValue().toPlainString());
            assertColumns(path, "olivia", european, european.firstName(), european.lastName(), european.email(), european.phone(), european.region(), european.lifetimeValue().toPlainString());
        }
        // row filters hide rows, they do not deny: carmen does not see the American customer
        assertThat(engineOutcome("carmen", "SELECT email FROM customer_service.customer_profile WHERE customer_id = " + american.customerId())).isEmpty();
    }

    private void assertColumns(String path, String user, Customer customer, String firstName, String lastName, String email, String phone, String region, String lifetimeValue)
            throws SQLException
    {
        List<String> columns = List.of("first_name", "last_name", "email", "phone", "region", "CAST(lifetime_value AS varchar)");
        List<String> expected = Arrays.asList(firstName, lastName, email, phone, region, lifetimeValue);
        for (int i = 0; i < columns.size(); i++) {
            String sql = "SELECT %s FROM customer_service.customer_profile WHERE customer_id = %s".formatted(columns.get(i), customer.customerId());
            List<String> actual = path.equals("engine") ? engineOutcome(user, sql) : jdbcOutcome(user, sql);
            assertThat(actual).as("%s through %s: %s", user, path, sql).isEqualTo(Arrays.asList(expected.get(i)));
        }
    }

    /**
     * The values of the query's single column as text, or the failure message.
     */
    private List<String> engineOutcome(String user, String sql)
    {
        try {
            return computeActual(as(user), sql).getOnlyColumn().map(value -> value == null ? null : value.toString()).toList();
        }
        catch (RuntimeException e) {
            return List.of(e.getMessage());
        }
    }

    private List<String> jdbcOutcome(String user, String sql)
            throws SQLException
    {
        try (Connection connection = jdbc(user);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
        catch (SQLException e) {
            // the driver prefixes the server's message with the query's id
            return List.of(e.getMessage().replaceFirst("^Query failed \\(#[^)]*\\): ", ""));
        }
    }

    @Test
    public void testSchemasEachUserSees()
    {
        // system: the mesh's catalog, shown to whoever may read some product
        assertThat(schemas("alice")).containsExactlyInAnyOrder("information_schema", "system", "customer_service", "logistics", "sales");
        assertThat(schemas("dora")).containsExactlyInAnyOrder("information_schema", "system", "customer_service", "logistics", "sales");
        assertThat(schemas("carlos")).containsExactlyInAnyOrder("information_schema", "system", "customer_service", "logistics");
        assertThat(schemas("olivia")).containsExactlyInAnyOrder("information_schema", "system", "customer_service");
        assertThat(schemas("luis")).containsExactlyInAnyOrder("information_schema", "system", "logistics");
        // an analyst who is also a contractor: the global denial hides the customer domain
        assertThat(schemas("connor")).containsExactlyInAnyOrder("information_schema", "system", "logistics", "sales");
        // no role: no mesh schema at all
        assertThat(schemas("eve")).containsExactly("information_schema");
    }

    @Test
    public void testTablesAndColumnsEachUserSees()
    {
        assertThat(column(as("olivia"), "SHOW TABLES FROM customer_service")).containsExactlyInAnyOrder("customer_orders", "customer_profile");
        assertThat(column(as("alice"), "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema NOT IN ('information_schema', 'system')"))
                .containsExactlyInAnyOrder("customer_service.customer_orders", "customer_service.customer_profile", "logistics.shipments", "sales.orders");
        assertThat(column(as("eve"), "SELECT table_name FROM information_schema.tables WHERE table_schema <> 'information_schema'")).isEmpty();
        assertThat(column(as("eve"), "SELECT table_name FROM system.jdbc.tables WHERE table_cat = 'mesh' AND table_schem <> 'information_schema'")).isEmpty();
        assertThat(column(as("carlos"), "SELECT table_schem || '.' || table_name FROM system.jdbc.tables WHERE table_cat = 'mesh' AND table_schem NOT IN ('information_schema', 'system')"))
                .containsExactlyInAnyOrder("customer_service.customer_orders", "customer_service.customer_profile", "logistics.shipments");

        // a column denied to a user is not listed to it
        assertThat(column(as("alice"), "SELECT column_name FROM information_schema.columns WHERE table_name = 'customer_profile'")).contains("lifetime_value");
        assertThat(column(as("dora"), "SELECT column_name FROM information_schema.columns WHERE table_name = 'customer_profile'"))
                .contains("email", "region")
                .doesNotContain("lifetime_value");
        assertThat(computeActual(as("dora"), "SHOW COLUMNS FROM customer_profile").getMaterializedRows().stream().map(row -> row.getField(0)))
                .contains("email")
                .doesNotContain("lifetime_value");
        assertThat(column(as("dora"), "SELECT column_name FROM system.jdbc.columns WHERE table_cat = 'mesh' AND table_name = 'customer_profile'")).doesNotContain("lifetime_value");
        // SHOW CREATE TABLE prints every column: refused to a user with a column denial
        assertThat((String) computeActual(as("alice"), "SHOW CREATE TABLE customer_profile").getOnlyValue()).contains("lifetime_value");
        assertDenied("dora", "SHOW CREATE TABLE customer_profile",
                "Access Denied: SHOW CREATE TABLE would list columns of mesh.customer_service.customer_profile denied to user 'dora' by global policy 'no-lifetime-value-for-data-scientists' (%s:2); SHOW COLUMNS lists the columns you may read"
                        .formatted(mesh.policiesDirectory().resolve("tests.yaml")));
    }

    @Test
    public void testCatalogShowsEachUserWhatItMayRead()
    {
        String products = "SELECT data_product FROM system.data_products";
        assertThat(column(as("alice"), products)).containsExactlyInAnyOrder("customer-data-product", "order-data-product", "shipment-data-product");
        assertThat(column(as("carlos"), products)).containsExactlyInAnyOrder("customer-data-product", "shipment-data-product");
        assertThat(column(as("olivia"), products)).containsExactlyInAnyOrder("customer-data-product");
        assertThat(column(as("connor"), products)).containsExactlyInAnyOrder("order-data-product", "shipment-data-product");
        assertThat(column(as("luis"), "SELECT table_schema || '.' || table_name FROM system.sla_status")).containsExactly("logistics.shipments");
        assertThat(column(as("olivia"), "SELECT table_name FROM system.data_assets")).containsExactlyInAnyOrder("customer_profile", "customer_orders");
        assertThat(column(as("connor"), "SELECT DISTINCT table_schema FROM system.columns")).containsExactlyInAnyOrder("logistics", "sales");
        // a column denied to a user is not described to it either
        assertThat(column(as("dora"), "SELECT column_name FROM system.columns WHERE table_name = 'customer_profile'")).contains("email").doesNotContain("lifetime_value");
        assertThat(column(as("alice"), "SELECT column_name FROM system.columns WHERE table_name = 'customer_profile'")).contains("email", "lifetime_value");
        // no role, no catalog
        assertDenied("eve", products, "Access Denied: user 'eve' may read no data product of mesh, so its catalog (schema system) shows nothing");
        assertThat(column(as("eve"), "SELECT table_name FROM information_schema.tables WHERE table_schema = 'system'")).isEmpty();
    }

    @Test
    public void testDenialsSayWhichGrantOrRuleIsMissing()
    {
        assertDenied("eve", "SELECT count(*) FROM customer_profile",
                "Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)");
        assertDenied("carlos", "SELECT count(*) FROM sales.orders",
                "Access Denied: role 'customer-service' has no read grant on data product 'order-data-product' (domain sales)");
        assertDenied("olivia", "SELECT count(*) FROM logistics.shipments",
                "Access Denied: user 'olivia' has no role with a read grant on data product 'shipment-data-product' (domain logistics)");
        assertDenied("connor", "SELECT count(*) FROM customer_profile",
                "Access Denied: data product 'customer-data-product' (domain customer-service) is denied to user 'connor' by global policy 'no-contractors-on-customer-data' (%s:4)"
                        .formatted(mesh.policiesDirectory().resolve("privacy.yaml")));
        assertDenied("dora", "SELECT customer_id, lifetime_value FROM customer_profile",
                "Access Denied: column 'lifetime_value' of data product 'customer-data-product' (domain customer-service) is denied to user 'dora' by global policy 'no-lifetime-value-for-data-scientists' (%s:2)"
                        .formatted(mesh.policiesDirectory().resolve("tests.yaml")));
        assertDenied("eve", "SHOW TABLES FROM customer_service", "Access Denied: user 'eve' may read no data product of schema mesh.customer_service");
        assertDenied("eve", "SHOW COLUMNS FROM customer_profile",
                "Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)");
        // a join needs every product it reads
        assertDenied("carlos", "SELECT count(*) FROM customer_profile c JOIN sales.orders o ON c.customer_id = o.customer_id",
                "Access Denied: role 'customer-service' has no read grant on data product 'order-data-product' (domain sales)");
    }

    @Test
    public void testColumnNamesOfUnreadableTablesStayHidden()
    {
        // a name that is no column and one that is get the same answer: the table is denied
        // before its columns are resolved
        String denial = "Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)";
        assertDenied("eve", "SELECT no_such_column FROM customer_profile", denial);
        assertDenied("eve", "SELECT email FROM customer_profile", denial);
        assertDenied("eve", "SELECT count(*) FROM customer_profile WHERE no_such_column = 1", denial);
        assertDenied("connor", "SELECT no_such_column FROM customer_profile",
                "Access Denied: data product 'customer-data-product' (domain customer-service) is denied to user 'connor' by global policy 'no-contractors-on-customer-data' (%s:4)"
                        .formatted(mesh.policiesDirectory().resolve("privacy.yaml")));
        // a reader of the table is told about the missing column as usual
        assertQueryFails(as("alice"), "SELECT no_such_column FROM customer_profile", ".*Column 'no_such_column' cannot be resolved.*");
    }

    @Test
    public void testPiiMaskedForAnalystsAndClearForOwner()
    {
        String sql = "SELECT first_name, email, phone, region FROM customer_profile WHERE customer_id = " + FIRST.customerId();
        assertThat(row(as("alice"), sql)).containsExactly(sha256(FIRST.firstName()), sha256(FIRST.email()), sha256(FIRST.phone()), FIRST.region());
        // contact details are hidden from data scientists, other personal data hashed
        assertThat(row(as("dora"), sql)).containsExactly(sha256(FIRST.firstName()), null, null, FIRST.region());
        assertThat(row(as("olivia"), sql)).containsExactly(FIRST.firstName(), FIRST.email(), FIRST.phone(), FIRST.region());
        // hashes still join and count: one distinct hash per distinct email
        long distinctEmails = SampleMesh.customers().stream().map(Customer::email).distinct().count();
        assertThat(column(as("alice"), "SELECT count(DISTINCT email) FROM customer_profile")).containsExactly(distinctEmails);
        // a mask is applied wherever the column is used, not only in the select list
        assertThat(column(as("alice"), "SELECT count(*) FROM customer_profile WHERE email = '%s'".formatted(FIRST.email()))).containsExactly(0L);
        assertThat(column(as("alice"), "SELECT count(*) FROM customer_profile WHERE email = '%s'".formatted(sha256(FIRST.email())))).containsExactly(1L);
    }

    @Test
    public void testRegionFilterForCustomerService()
    {
        assertThat(column(as("carlos"), "SELECT DISTINCT region FROM customer_profile")).containsExactly("AMER");
        assertThat(column(as("carlos"), "SELECT count(*) FROM customer_profile")).containsExactly(customersIn("AMER"));
        // carmen's own attribute replaces her role's
        assertThat(column(as("carmen"), "SELECT count(*) FROM customer_profile")).containsExactly(customersIn("EMEA", "APAC"));
        assertThat(column(as("olivia"), "SELECT count(*) FROM customer_profile")).containsExactly((long) SampleMesh.CUSTOMER_COUNT);
        // agents see their customers in clear
        Customer american = SampleMesh.customers().stream().filter(customer -> customer.region().equals("AMER")).findFirst().orElseThrow();
        assertThat(column(as("carlos"), "SELECT email FROM customer_profile WHERE customer_id = " + american.customerId())).containsExactly(american.email());
    }

    @Test
    public void testTimeTravelReadsThroughFiltersAndMasks()
    {
        long webOrdersBefore2025 = SampleMesh.customerOrders().stream().filter(order -> order.orderTime().getYear() < 2025 && order.channel().equals("web")).count();
        long ordersBefore2025 = SampleMesh.customerOrders().stream().filter(order -> order.orderTime().getYear() < 2025).count();
        assertThat(column(as("alice"), "SELECT count(*) FROM customer_orders FOR VERSION AS OF 0")).containsExactly(webOrdersBefore2025);
        assertThat(column(as("olivia"), "SELECT count(*) FROM customer_orders FOR VERSION AS OF 0")).containsExactly(ordersBefore2025);
        assertThat(column(as("alice"), "SELECT count(*) FROM customer_orders FOR TIMESTAMP AS OF TIMESTAMP '2025-06-01 00:00:00 UTC'")).containsExactly(webOrdersBefore2025);

        String tagged = "SELECT count(*), count(weight_kg) FROM logistics.shipments FOR VERSION AS OF '%s'".formatted(SampleMesh.SHIPMENTS_2024_TAG);
        long shipped2024 = SampleMesh.shipments().stream().filter(shipment -> shipment.shippedAt().getYear() < 2025).count();
        assertThat(row(as("alice"), tagged)).containsExactly(shipped2024, 0L);
        assertThat(row(as("luis"), tagged)).containsExactly(shipped2024, shipped2024);
    }

    @Test
    public void testStatisticsDoNotRevealMaskedValues()
    {
        MaterializedRow analystWeights = statsRow(as("alice"), "SHOW STATS FOR logistics.shipments", "weight_kg");
        assertThat(analystWeights.getField(5)).isNull();
        assertThat(analystWeights.getField(6)).isNull();
        MaterializedRow ownerWeights = statsRow(as("luis"), "SHOW STATS FOR logistics.shipments", "weight_kg");
        assertThat(ownerWeights.getField(5)).isNotNull();
        assertThat(ownerWeights.getField(6)).isNotNull();
        assertDenied("eve", "SHOW STATS FOR logistics.shipments",
                "Access Denied: user 'eve' has no role with a read grant on data product 'shipment-data-product' (domain logistics)");
    }

    @Test
    public void testStatisticsDoNotDescribeFilteredRows()
    {
        // the whole table's ranges and counts would describe the orders alice's filter hides
        String stats = "SHOW STATS FOR customer_orders";
        MaterializedRow ownerTotal = statsRow(as("olivia"), stats, "total");
        assertThat(ownerTotal.getField(5)).isNotNull();
        assertThat(ownerTotal.getField(6)).isNotNull();
        assertThat(statsRow(as("olivia"), stats, null).getField(4)).isEqualTo((double) SampleMesh.customerOrders().size());
        for (String column : List.of("order_id", "customer_id", "total")) {
            MaterializedRow analyst = statsRow(as("alice"), stats, column);
            assertThat(analyst.getField(3)).as(column + " null fraction").isNull();
            assertThat(analyst.getField(5)).as(column + " low").isNull();
            assertThat(analyst.getField(6)).as(column + " high").isNull();
        }
        assertThat(statsRow(as("alice"), stats, null).getField(4)).isNull();
        assertThat(statsRow(as("carlos"), "SHOW STATS FOR customer_profile", null).getField(4)).isNull();
        // the filtered reader's data itself is unchanged
        long webOrders = SampleMesh.customerOrders().stream().filter(order -> order.channel().equals("web")).count();
        assertThat(column(as("alice"), "SELECT count(*) FROM customer_orders")).containsExactly(webOrders);

        // in a transaction (DBeaver's manual commit, JDBC without autocommit) each statement is a query of its own
        MaterializedResult inTransaction = newTransaction().execute(as("alice"), transaction -> {
            computeActual(transaction, "SELECT count(*) FROM sales.orders");
            return computeActual(transaction, stats);
        });
        MaterializedRow total = inTransaction.getMaterializedRows().stream().filter(row -> "total".equals(row.getField(0))).findFirst().orElseThrow();
        assertThat(total.getField(5)).isNull();
        assertThat(total.getField(6)).isNull();
    }

    @Test
    public void testExplainAnalyzeAndExplain()
    {
        MaterializedResult explained = computeActual(as("carlos"), "EXPLAIN ANALYZE SELECT count(*) FROM customer_profile");
        assertThat((String) explained.getOnlyValue()).contains("region");
        assertDenied("eve", "EXPLAIN ANALYZE SELECT count(*) FROM customer_profile",
                "Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)");
        assertDenied("eve", "EXPLAIN SELECT count(*) FROM customer_profile",
                "Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)");
    }

    @Test
    public void testViewsCannotLendTheirOwnersRights()
    {
        // a definer view would show its readers the rows with the owner's rights
        getQueryRunner().execute(as("olivia"), "CREATE VIEW memory.default.owner_emails SECURITY DEFINER AS SELECT customer_id, email FROM mesh.customer_service.customer_profile");
        assertDenied("alice", "SELECT email FROM memory.default.owner_emails WHERE customer_id = " + FIRST.customerId(),
                "Access Denied: View owner does not have sufficient privileges: a view cannot read mesh.customer_service.customer_profile: its readers would see the table with the view owner's grants, masks and row filters");
        // an invoker view reads with its reader's rights
        getQueryRunner().execute(as("olivia"), "CREATE VIEW memory.default.reader_emails SECURITY INVOKER AS SELECT customer_id, email FROM mesh.customer_service.customer_profile");
        assertThat(column(as("alice"), "SELECT email FROM memory.default.reader_emails WHERE customer_id = " + FIRST.customerId())).containsExactly(sha256(FIRST.email()));
        assertQueryFails(as("eve"), "SELECT email FROM memory.default.reader_emails",
                "line 1:19: Failed analyzing stored view 'memory.default.reader_emails': " + Pattern.quote("Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)"));
    }

    @Test
    public void testMeshIsReadOnlyAndOtherCatalogsKeepTrinoDefaults()
    {
        assertDenied("olivia", "CREATE TABLE mesh.customer_service.copy AS SELECT * FROM customer_profile",
                "Access Denied: cannot create table mesh.customer_service.copy: the mesh catalog is read-only; domains publish data products by writing their data");
        assertDenied("olivia", "CREATE SCHEMA mesh.scratch",
                "Access Denied: cannot create schema mesh.scratch: the mesh catalog is read-only; domains publish data products by writing their data");
        // copying masked data elsewhere copies the masked values
        getQueryRunner().execute(as("alice"), "CREATE TABLE memory.default.alice_copy AS SELECT customer_id, email FROM mesh.customer_service.customer_profile WHERE customer_id = " + FIRST.customerId());
        assertThat(column(as("alice"), "SELECT email FROM memory.default.alice_copy")).containsExactly(sha256(FIRST.email()));
        assertThat(column(as("eve"), "SHOW CATALOGS")).contains("memory", "mesh", "system");
    }

    @Test
    public void testGrantsOwnersAndFunctionsAreNotChangedThroughSql()
    {
        String profiles = "mesh.customer_service.customer_profile";
        String readOnly = ": the mesh catalog is read-only; domains publish data products by writing their data";
        // grants are given in descriptors and denials in the policies, even by the product's owner
        assertDenied("olivia", "REVOKE SELECT ON " + profiles + " FROM alice", "Access Denied: cannot revoke on table " + profiles + " (grants are given in descriptors)" + readOnly);
        assertDenied("olivia", "REVOKE SELECT ON SCHEMA mesh.customer_service FROM alice", "Access Denied: cannot revoke on schema mesh.customer_service (grants are given in descriptors)" + readOnly);
        assertDenied("olivia", "DENY SELECT ON " + profiles + " TO alice", "Access Denied: cannot deny on table " + profiles + " (denials are given in the mesh's policies)" + readOnly);
        assertDenied("olivia", "ALTER SCHEMA mesh.customer_service SET AUTHORIZATION alice", "Access Denied: cannot set the authorization of schema mesh.customer_service" + readOnly);
        assertDenied("olivia", "ALTER TABLE " + profiles + " SET AUTHORIZATION alice", "Access Denied: cannot set the authorization of table " + profiles + readOnly);
        assertDenied("olivia", "CREATE FUNCTION mesh.customer_service.f() RETURNS bigint RETURN 1", "Access Denied: cannot create function mesh.customer_service.f" + readOnly);
        // the mesh serves no views: the engine finds none to drop or rename before it asks the access control
        assertQueryFails(as("olivia"), "DROP VIEW mesh.customer_service.v", ".*View 'mesh.customer_service.v' does not exist");
        assertQueryFails(as("olivia"), "ALTER VIEW mesh.customer_service.v RENAME TO mesh.customer_service.w", ".*View 'mesh.customer_service.v' does not exist");
    }

    @Test
    public void testJdbcClientsGetTheirGroupsFromTheGroupProvider()
            throws SQLException
    {
        try (Connection connection = jdbc("alice");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT email FROM customer_profile WHERE customer_id = " + FIRST.customerId())) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(sha256(FIRST.email()));
        }
        // what DBeaver's navigator asks for
        try (Connection connection = jdbc("eve")) {
            assertThat(strings(connection.getMetaData().getSchemas("mesh", null), "TABLE_SCHEM")).containsExactly("information_schema");
            assertThat(strings(connection.getMetaData().getTables("mesh", "customer_service", null, null), "TABLE_NAME")).isEmpty();
            assertThatThrownBy(() -> connection.createStatement().executeQuery("SELECT count(*) FROM customer_profile"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)");
        }
        try (Connection connection = jdbc("carlos")) {
            assertThat(strings(connection.getMetaData().getSchemas("mesh", null), "TABLE_SCHEM")).containsExactlyInAnyOrder("information_schema", "system", "customer_service", "logistics");
            assertThat(strings(connection.getMetaData().getTables("mesh", "customer_service", null, null), "TABLE_NAME")).containsExactlyInAnyOrder("customer_orders", "customer_profile");
            assertThat(strings(connection.getMetaData().getColumns("mesh", "customer_service", "customer_profile", null), "COLUMN_NAME")).contains("email", "lifetime_value");
        }
    }

    @Test
    public void testImpersonationOnlyWhereARuleAllowsIt()
            throws SQLException
    {
        // what Trino asks when an authenticated user names another session user
        mesh.accessControl().checkCanImpersonateUser(Identity.forUser("bi-service").build(), "alice");
        assertThatThrownBy(() -> mesh.accessControl().checkCanImpersonateUser(Identity.forUser("bi-service").build(), "olivia"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: user 'bi-service' may not act as user 'olivia': no impersonation rule allows it");
        mesh.accessControl().checkCanImpersonateUser(Identity.forUser("alice").build(), "alice");

        try (Connection connection = jdbc("alice");
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SET SESSION AUTHORIZATION 'olivia'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Access Denied: user 'alice' may not act as user 'olivia': no impersonation rule allows it");
        }
        try (Connection connection = jdbc("bi-service");
                Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION AUTHORIZATION 'dora'");
            try (ResultSet rs = statement.executeQuery("SELECT current_user, phone FROM customer_profile WHERE customer_id = " + FIRST.customerId())) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("dora");
                // dora's groups and masks, not bi-service's
                assertThat(rs.getString(2)).isNull();
            }
        }
    }

    private Connection jdbc(String user)
            throws SQLException
    {
        URI server = ((DistributedQueryRunner) getQueryRunner()).getCoordinator().getBaseUrl();
        return DriverManager.getConnection("jdbc:trino://%s:%s/mesh/customer_service".formatted(server.getHost(), server.getPort()), user, null);
    }

    private static List<String> strings(ResultSet rs, String column)
            throws SQLException
    {
        List<String> values = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                values.add(rs.getString(column));
            }
        }
        return values;
    }

    @Test
    public void testAuditHasOneLinePerQueryOnTheMesh()
            throws Exception
    {
        QueryId masked = getQueryRunner().executeWithPlan(as("alice"), "SELECT customer_id, email FROM customer_profile WHERE customer_id = " + FIRST.customerId()).queryId();
        QueryId filtered = getQueryRunner().executeWithPlan(as("carlos"), "SELECT count(*) FROM customer_profile").queryId();
        QueryId listing = getQueryRunner().executeWithPlan(as("alice"), "SHOW TABLES FROM sales").queryId();
        QueryId elsewhere = getQueryRunner().executeWithPlan(as("eve"), "SELECT 1").queryId();
        QueryId denied = assertThatThrownBy(() -> getQueryRunner().execute(as("eve"), "SELECT * FROM sales.orders"))
                .asInstanceOf(InstanceOfAssertFactories.type(QueryFailedException.class))
                .actual()
                .getQueryId();

        Map<String, List<JsonNode>> lines = awaitAuditLines(ImmutableSet.of(masked, filtered, listing, denied));
        assertThat(lines).doesNotContainKey(elsewhere.toString());
        lines.forEach((queryId, queryLines) -> assertThat(queryLines).as("audit lines of " + queryId).hasSize(1));
        // each query's started line was written as governance first decided for it, before it ran
        List<String> order = Files.readAllLines(mesh.auditFile()).stream()
                .map(line -> line.replaceAll("^\\{\"query_id\":\"([^\"]+)\",\"event\":\"([a-z]+)\".*$", "$1 $2"))
                .toList();
        Map<String, JsonNode> started = new HashMap<>();
        for (JsonNode line : mesh.auditLines("started")) {
            assertThat(started.put(line.get("query_id").asText(), line)).as("started lines of " + line.get("query_id")).isNull();
        }
        assertThat(started).doesNotContainKey(elsewhere.toString());
        for (QueryId query : List.of(masked, filtered, listing, denied)) {
            JsonNode startedLine = started.get(query.toString());
            assertThat(startedLine).as("started line of " + query).isNotNull();
            assertThat(startedLine.get("user").asText()).isEqualTo(lines.get(query.toString()).getFirst().get("user").asText());
            assertThat(Instant.parse(startedLine.get("time").asText())).isAfterOrEqualTo(Instant.parse(lines.get(query.toString()).getFirst().get("created").asText()));
            assertThat(order.indexOf(query + " started")).as("the started line of " + query + " comes first").isNotNegative().isLessThan(order.indexOf(query + " completed"));
        }

        JsonNode maskedLine = lines.get(masked.toString()).getFirst();
        assertThat(maskedLine.get("user").asText()).isEqualTo("alice");
        assertThat(texts(maskedLine.get("groups"))).containsExactly("analysts");
        assertThat(texts(maskedLine.get("roles"))).containsExactly("analyst");
        assertThat(maskedLine.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(maskedLine.get("query").asText()).contains("SELECT customer_id, email FROM customer_profile");
        JsonNode table = maskedLine.get("tables").get(0);
        assertThat(table.get("table").asText()).isEqualTo("mesh.customer_service.customer_profile");
        assertThat(table.get("data_product").asText()).isEqualTo("customer-data-product");
        assertThat(table.get("domain").asText()).isEqualTo("customer-service");
        assertThat(texts(table.get("columns"))).contains("customer_id", "email");
        assertThat(table.get("masked_columns").get("email").asText()).isEqualTo("pii-hashed");
        assertThat(texts(table.get("row_filters"))).isEmpty();
        assertThat(maskedLine.get("output_rows").asLong()).isEqualTo(1);

        JsonNode filteredLine = lines.get(filtered.toString()).getFirst();
        assertThat(texts(filteredLine.get("roles"))).containsExactly("customer-service");
        assertThat(texts(filteredLine.get("tables").get(0).get("row_filters"))).containsExactly("agents-see-their-region");

        JsonNode listingLine = lines.get(listing.toString()).getFirst();
        assertThat(listingLine.get("outcome").asText()).isEqualTo("succeeded");

        JsonNode deniedLine = lines.get(denied.toString()).getFirst();
        assertThat(deniedLine.get("user").asText()).isEqualTo("eve");
        assertThat(texts(deniedLine.get("roles"))).isEmpty();
        assertThat(deniedLine.get("outcome").asText()).isEqualTo("denied");
        String reason = "user 'eve' has no role with a read grant on data product 'order-data-product' (domain sales)";
        assertThat(texts(deniedLine.get("denials"))).containsExactly(reason);
        assertThat(deniedLine.get("error").get("code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(deniedLine.get("error").get("message").asText()).isEqualTo("Access Denied: " + reason);
        assertThat(Instant.parse(deniedLine.get("ended").asText())).isAfterOrEqualTo(Instant.parse(deniedLine.get("created").asText()));
    }

    @Test
    public void testAuditCoversEveryMeshCatalog()
            throws Exception
    {
        // a catalog of the data_mesh connector not named in mesh.security.catalogs is governed, and audited, all the same
        MeshQueryRunner.createCatalog(getQueryRunner(), "mesh_replica", products, ImmutableMap.of());
        QueryId query = getQueryRunner().executeWithPlan(as("alice"), "SELECT email FROM mesh_replica.customer_service.customer_profile WHERE customer_id = " + FIRST.customerId()).queryId();
        JsonNode line = awaitAuditLines(ImmutableSet.of(query)).get(query.toString()).getFirst();
        JsonNode table = line.get("tables").get(0);
        assertThat(table.get("table").asText()).isEqualTo("mesh_replica.customer_service.customer_profile");
        assertThat(table.get("data_product").asText()).isEqualTo("customer-data-product");
        assertThat(texts(table.get("columns"))).contains("customer_id", "email");
        assertThat(table.get("masked_columns").get("email").asText()).isEqualTo("pii-hashed");
    }

    private Map<String, List<JsonNode>> awaitAuditLines(Set<QueryId> queries)
            throws Exception
    {
        Map<String, List<JsonNode>> lines = new HashMap<>();
        List<JsonNode> all = mesh.awaitAuditLines(read -> queries.stream().allMatch(query -> read.stream().anyMatch(line -> line.get("query_id").asText().equals(query.toString()))));
        all.forEach(line -> lines.computeIfAbsent(line.get("query_id").asText(), _ -> new ArrayList<>()).add(line));
        return lines;
    }

    private void assertDenied(String user, String sql, String message)
    {
        assertQueryFails(as(user), sql, Pattern.quote(message));
    }

    private Session as(String user)
    {
        return mesh.sessionOf(user);
    }

    private Set<String> schemas(String user)
    {
        return computeActual(as(user), "SHOW SCHEMAS").getOnlyColumnAsSet().stream().map(String.class::cast).collect(ImmutableSet.toImmutableSet());
    }

    private List<Object> column(Session session, String sql)
    {
        return computeActual(session, sql).getOnlyColumn().toList();
    }

    private List<Object> row(Session session, String sql)
    {
        List<MaterializedRow> rows = computeActual(session, sql).getMaterializedRows();
        assertThat(rows).hasSize(1);
        return rows.getFirst().getFields();
    }

    private MaterializedRow statsRow(Session session, String sql, String column)
    {
        return computeActual(session, sql).getMaterializedRows().stream()
                .filter(row -> Objects.equals(column, row.getField(0)))
                .findFirst()
                .orElseThrow();
    }

    private static long customersIn(String... regions)
    {
        Set<String> wanted = ImmutableSet.copyOf(regions);
        return SampleMesh.customers().stream().filter(customer -> wanted.contains(customer.region())).count();
    }

    private static String sha256(String value)
    {
        return Hashing.sha256().hashString(value, UTF_8).toString();
    }
}
