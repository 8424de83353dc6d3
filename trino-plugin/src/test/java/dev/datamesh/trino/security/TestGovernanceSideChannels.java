package dev.datamesh.trino.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.trino.SampleMeshDirectory;
import io.trino.Session;
import io.trino.execution.QueryStats;
import io.trino.plugin.iceberg.IcebergPlugin;
import io.trino.spi.QueryId;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryFailedException;
import io.trino.testing.QueryRunner;
import io.trino.testing.QueryRunner.MaterializedResultWithPlan;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static dev.datamesh.registry.testing.DataProductYaml.asset;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.trino.security.GovernedMeshRunner.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Routes by which a user could learn what governance hides without reading it: what a scan reads
 * under a row filter, tables resolved before the access check, other users' queries, definer
 * rights of materialized views, queries that end before the audit saw them. Each test asserts the
 * channel itself (rows and bytes read, the error, the audit line), not only the result.
 */
public class TestGovernanceSideChannels
        extends AbstractTestQueryFramework
{
    // row filters on the Delta and Iceberg assets, beside the sample's region filter on the Parquet one
    private static final String TEST_POLICY = """
            row_filters:
              - name: analysts-see-web-orders
                scope: {products: [customer-data-product], assets: [customer_orders]}
                applies_to: {roles: [analyst]}
                filter: "channel = 'web'"
              - name: logistics-sees-delivered-shipments
                scope: {products: [shipment-data-product], assets: [shipments]}
                applies_to: {roles: [logistics]}
                filter: "status = 'delivered'"
              - name: data-scientists-see-2024-orders
                scope: {products: [order-data-product], assets: [orders]}
                applies_to: {roles: [data-scientist]}
                filter: "order_year = 2024"
            """;

    private GovernedMeshRunner mesh;
    private Path mergerDescriptor;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        // a product granted to the logistics role whose Delta table has no log: reading it fails
        SampleMeshDirectory.declareDomain(products, "finance", "data/finance");
        Path finance = Files.createDirectories(products.resolve("finance"));
        Files.createDirectories(finance.resolve("../../data/finance/ledger").normalize());
        dataProduct("ledger-product", "finance", "finance-team")
                .asset(delta("ledger", "../../data/finance/ledger"))
                .grantRead("logistics")
                .writeTo(finance.resolve("ledger-product.yaml"));
        // a table hidden from carlos whose schema and name are each those of tables he reads
        TestFiles.copyTree(products.resolveSibling("data/sales/orders"), products.resolveSibling("data/logistics/fleet_orders"));
        dataProduct("fleet-product", "logistics", "fleet-team")
                .asset(parquet("customer_orders", "../../data/logistics/fleet_orders"))
                .grantRead("logistics")
                .writeTo(products.resolve("logistics/fleet-product.yaml"));
        // a descriptor left out for its problem, which concerns nobody among the sample users
        mergerDescriptor = dataProduct("merger-product", "finance", "finance-team")
                .asset(asset("targets", "csv").location("../../data/finance/targets"))
                .writeTo(finance.resolve("merger-product.yaml").toAbsolutePath().normalize());
        mesh = GovernedMeshRunner.create(products, ImmutableMap.of("side-channels.yaml", TEST_POLICY), "5s");
        // a writable catalog with materialized views beside the mesh
        QueryRunner queryRunner = mesh.queryRunner();
        queryRunner.installPlugin(new IcebergPlugin());
        queryRunner.createCatalog("lake", "iceberg", ImmutableMap.of(
                "iceberg.catalog.type", "TESTING_FILE_METASTORE",
                "hive.metastore.catalog.dir", "local://" + Files.createDirectories(products.resolveSibling("lake")),
                "fs.native-local.enabled", "true",
                "local.location", "/"));
        return queryRunner;
    }

    /**
     * carlos sees AMER customers only. Before, country = 'DE' (EMEA customers, all hidden) read
     * the row groups that hold them and country = 'XX' read nothing: an oracle for any value of
     * a hidden row. Under a row filter the scan now reads the same whatever the query asks.
     */
    @Test
    public void testScanUnderRowFilterReadsTheSameWhateverTheQueryAsks()
    {
        Session carlos = mesh.sessionOf("carlos");
        String table = "customer_service.customer_profile";
        ScanInput hiddenOnly = scan(carlos, "SELECT count(*) FROM %s WHERE country = 'DE'".formatted(table), 0);
        ScanInput nothing = scan(carlos, "SELECT count(*) FROM %s WHERE country = 'XX'".formatted(table), 0);
        assertThat(hiddenOnly).isEqualTo(nothing);
        // what a scan reads depends on the columns the query names, never on the hidden rows' values
        assertThat(scan(carlos, "SELECT count(*) FROM %s WHERE email < 'b' AND country IN ('DE', 'FR')".formatted(table), 0))
                .isEqualTo(scan(carlos, "SELECT count(*) FROM %s WHERE email < '' AND country = 'XX'".formatted(table), 0));
        assertThat(nothing.rows()).as("the whole table is read").isEqualTo(SampleMesh.CUSTOMER_COUNT);

        // a dynamic filter built from the query's own values prunes nothing either
        ScanInput joinHidden = scan(carlos, "SELECT count(*) FROM %s p JOIN (VALUES 'DE') v(c) ON p.country = v.c".formatted(table), 0);
        ScanInput joinNothing = scan(carlos, "SELECT count(*) FROM %s p JOIN (VALUES 'XX') v(c) ON p.country = v.c".formatted(table), 0);
        assertThat(joinHidden).isEqualTo(joinNothing).isEqualTo(nothing);

        // the same table without a row filter keeps every pruning route
        Session olivia = mesh.sessionOf("olivia");
        long germans = SampleMesh.customers().stream().filter(customer -> customer.country().equals("DE")).count();
        assertThat(germans).isPositive();
        ScanInput unfilteredHit = scan(olivia, "SELECT count(*) FROM %s WHERE country = 'DE'".formatted(table), germans);
        ScanInput unfilteredMiss = scan(olivia, "SELECT count(*) FROM %s WHERE country = 'XX'".formatted(table), 0);
        assertThat(unfilteredMiss.rows()).isZero();
        assertThat(unfilteredHit.rows()).isPositive();
        ScanInput unfilteredJoinMiss = scan(olivia, "SELECT count(*) FROM %s p JOIN (VALUES 'XX') v(c) ON p.country = v.c".formatted(table), 0);
        assertThat(unfilteredJoinMiss.rows()).isZero();
    }

    /**
     * alice reads web orders only: partition values (order_year) and Delta file statistics must
     * not tell her whether a year or a value exists among the mobile orders.
     */
    @Test
    public void testDeltaPartitionsAndFileStatisticsUnderRowFilter()
    {
        Session alice = mesh.sessionOf("alice");
        String table = "customer_service.customer_orders";
        // (a predicate that contradicts the filter itself, channel = 'mobile', is empty before any read)
        long mobileOrder = SampleMesh.customerOrders().stream()
                .filter(order -> order.channel().equals("mobile") && order.orderTime().getYear() == 2023)
                .findFirst()
                .orElseThrow()
                .orderId();
        ScanInput hiddenOnly = scan(alice, "SELECT count(*) FROM %s WHERE order_year = 2023 AND order_id = %s".formatted(table, mobileOrder), 0);
        ScanInput nothing = scan(alice, "SELECT count(*) FROM %s WHERE order_year = 1999 AND order_id = 1".formatted(table), 0);
        assertThat(hiddenOnly).isEqualTo(nothing);
        assertThat(nothing.rows()).isEqualTo(SampleMesh.CUSTOMER_ORDER_COUNT);

        Session olivia = mesh.sessionOf("olivia");
        assertThat(scan(olivia, "SELECT count(*) FROM %s WHERE order_year = 1999".formatted(table), 0).rows()).isZero();
    }

    /**
     * dora reads the orders of 2024 only, a partition of the table: her reads skip the other
     * years' partitions by the filter's own predicate, and nothing more by her query's.
     */
    @Test
    public void testReadsUnderRowFilterArePrunedByTheFilterItself()
    {
        Session dora = mesh.sessionOf("dora");
        long orders2024 = SampleMesh.orders().stream().filter(order -> order.orderDate().getYear() == 2024).count();
        ScanInput whole = scan(dora, "SELECT count(*) FROM sales.orders", orders2024);
        assertThat(whole.rows()).isEqualTo(orders2024);
        ScanInput hiddenOnly = scan(dora, "SELECT count(*) FROM sales.orders WHERE order_date < DATE '2024-01-01'", 0);
        ScanInput nothing = scan(dora, "SELECT count(*) FROM sales.orders WHERE order_date < DATE '1990-01-01'", 0);
        assertThat(hiddenOnly).isEqualTo(nothing);
        assertThat(nothing.rows()).isEqualTo(orders2024);
    }

    /**
     * luis reads delivered shipments only: Iceberg's manifests (month partitions, column bounds)
     * must not tell him about shipments still in transit (no delivery time).
     */
    @Test
    public void testIcebergManifestsUnderRowFilter()
    {
        Session luis = mesh.sessionOf("luis");
        String table = "logistics.shipments";
        assertThat(SampleMesh.shipments().stream()
                .filter(shipment -> shipment.deliveredAt().isEmpty() && shipment.shippedAt().isBefore(OffsetDateTime.of(2023, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC))))
                .as("hidden shipments the predicate matches")
                .isNotEmpty();
        ScanInput hiddenOnly = scan(luis, "SELECT count(*) FROM %s WHERE delivered_at IS NULL AND shipped_at < TIMESTAMP '2023-03-01 00:00:00 UTC'".formatted(table), 0);
        ScanInput nothing = scan(luis, "SELECT count(*) FROM %s WHERE shipped_at < TIMESTAMP '1990-01-01 00:00:00 UTC'".formatted(table), 0);
        assertThat(hiddenOnly).isEqualTo(nothing);
        assertThat(nothing.rows()).isEqualTo(SampleMesh.CUSTOMER_ORDER_COUNT);

        Session alice = mesh.sessionOf("alice");
        assertThat(scan(alice, "SELECT count(*) FROM %s WHERE shipped_at < TIMESTAMP '1990-01-01 00:00:00 UTC'".formatted(table), 0).rows()).isZero();
    }

    /**
     * Trino resolves a table's version before it asks the access control: eve, who may read
     * nothing, learned the latest Delta version, Iceberg tags, the asset's format and its path.
     * She now gets the one denial whatever the clause, and the table is not read for her (a table
     * that fails to read gives her the denial, not its failure).
     */
    @Test
    public void testTimeTravelDeniedBeforeTheTableIsRead()
    {
        Session eve = mesh.sessionOf("eve");
        String customerDenial = "Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' \\(domain customer-service\\)";
        for (String version : List.of("", " FOR VERSION AS OF 0", " FOR VERSION AS OF 1", " FOR VERSION AS OF 99", " FOR VERSION AS OF 'main'",
                " FOR TIMESTAMP AS OF TIMESTAMP '2000-01-01 00:00:00 UTC'", " FOR TIMESTAMP AS OF TIMESTAMP '2025-06-01 00:00:00 UTC'")) {
            assertQueryFails(eve, "SELECT count(*) FROM customer_service.customer_orders" + version, customerDenial);
            assertQueryFails(eve, "SELECT count(*) FROM customer_service.customer_profile" + version, customerDenial);
        }
        String shipmentDenial = "Access Denied: user 'eve' has no role with a read grant on data product 'shipment-data-product' \\(domain logistics\\)";
        for (String version : List.of("", " FOR VERSION AS OF '%s'".formatted(SampleMesh.SHIPMENTS_2024_TAG), " FOR VERSION AS OF 'no-such-tag'",
                " FOR VERSION AS OF 12345", " FOR TIMESTAMP AS OF TIMESTAMP '2000-01-01 00:00:00 UTC'")) {
            assertQueryFails(eve, "SELECT count(*) FROM logistics.shipments" + version, shipmentDenial);
        }
        String orderDenial = "Access Denied: user 'eve' has no role with a read grant on data product 'order-data-product' \\(domain sales\\)";
        assertQueryFails(eve, "SELECT count(*) FROM sales.orders FOR VERSION AS OF 1", orderDenial);

        // the broken table: its readers get its failure, the others the denial, with or without a version
        String ledgerDenial = "Access Denied: user 'eve' has no role with a read grant on data product 'ledger-product' \\(domain finance\\)";
        assertQueryFails(eve, "SELECT count(*) FROM finance.ledger", ledgerDenial);
        assertQueryFails(eve, "SELECT count(*) FROM finance.ledger FOR VERSION AS OF 3", ledgerDenial);
        assertQueryFails(mesh.sessionOf("luis"), "SELECT count(*) FROM finance.ledger", "Cannot read asset 'ledger' of data product 'ledger-product' \\(domain finance\\): no Delta table at .*");

        // users who may read the table still travel in time, and learn what versions exist
        assertQueryFails(mesh.sessionOf("olivia"), "SELECT count(*) FROM customer_service.customer_orders FOR VERSION AS OF 99", ".*latest available version is 1.*");
    }

    /**
     * system.runtime.queries shows a user its own queries only; system.runtime.tasks showed every
     * user's tasks (rows read and returned per query), and system.runtime.transactions every
     * user's transactions and the catalogs they use. Neither says whose a row is, and a filter
     * would still read, and count, every user's rows: both are denied.
     */
    @Test
    public void testOtherUsersQueriesTasksAndTransactionsStayHidden()
    {
        QueryId carlosQuery = getDistributedQueryRunner().executeWithPlan(mesh.sessionOf("carlos"), "SELECT count(*) FROM customer_service.customer_profile").queryId();
        assertThat(computeActual(mesh.sessionOf("carlos"), "SELECT count(*) FROM system.runtime.queries WHERE query_id = '%s'".formatted(carlosQuery)).getOnlyValue()).isEqualTo(1L);
        assertThat(computeActual(mesh.sessionOf("alice"), "SELECT count(*) FROM system.runtime.queries WHERE query_id = '%s'".formatted(carlosQuery)).getOnlyValue()).isEqualTo(0L);
        for (String table : List.of("tasks", "transactions")) {
            for (String user : List.of("alice", "carlos")) {
                assertQueryFails(mesh.sessionOf(user), "SELECT count(*) FROM system.runtime." + table,
                        "Access Denied: system.runtime.%s shows the work of every user's queries; a user sees its own queries, with their statistics, in system.runtime.queries".formatted(table));
            }
        }
    }

    /**
     * The mesh's catalog tables made rows for whatever a query's predicate named, then let the
     * row filter drop those of hidden tables and descriptors: how many rows a scan read told
     * whether a hidden table or descriptor of that name existed. They now make rows only for
     * what the user may see, and still read only the tables a predicate names among those.
     */
    @Test
    public void testCatalogTablesReadNothingOfWhatTheUserMayNotSee()
    {
        Session carlos = mesh.sessionOf("carlos");
        // logistics.customer_orders is hidden from carlos, who reads logistics.shipments and customer_service.customer_orders
        for (String table : List.of("columns", "data_assets", "sla_status")) {
            String sql = "SELECT count(*) FROM mesh.system.%s WHERE table_schema = 'logistics' AND table_name = '%%s'".formatted(table);
            assertThat(scan(carlos, sql.formatted("customer_orders"), 0)).as(table).isEqualTo(scan(carlos, sql.formatted("no_such_table"), 0));
        }
        String problems = "SELECT count(*) FROM mesh.system.descriptor_errors WHERE descriptor_file = '%s'";
        assertThat(scan(carlos, problems.formatted(mergerDescriptor), 0)).isEqualTo(scan(carlos, problems.formatted(mergerDescriptor.resolveSibling("no-such-product.yaml")), 0));
        assertThat(scan(carlos, "SELECT count(*) FROM mesh.system.descriptor_errors WHERE descriptor_file LIKE '%/finance/me%'", 0))
                .isEqualTo(scan(carlos, "SELECT count(*) FROM mesh.system.descriptor_errors WHERE descriptor_file LIKE '%/finance/ma%'", 0));

        // what carlos may see is still read table by table
        long profileColumns = (long) computeActual(carlos, "SELECT count(*) FROM mesh.system.columns WHERE table_schema = 'customer_service' AND table_name = 'customer_profile'").getOnlyValue();
        assertThat(profileColumns).isPositive();
        assertThat(scan(carlos, "SELECT count(*) FROM mesh.system.columns WHERE table_schema = 'customer_service' AND table_name = 'customer_profile'", profileColumns).rows())
                .isEqualTo(profileColumns);
    }

    /**
     * A materialized view's storage table keeps what the user who refreshes it may read, in clear,
     * for every reader of the view: refused over mesh tables, directly or through a view, at
     * creation and at refresh, as SECURITY DEFINER views are.
     */
    @Test
    public void testMaterializedViewsCannotStoreMeshRows()
    {
        Session olivia = mesh.sessionOf("olivia");
        getQueryRunner().execute(olivia, "CREATE SCHEMA IF NOT EXISTS lake.reports");
        String denial = "Access Denied: materialized view lake.reports.%s cannot read mesh.customer_service.customer_profile: its storage table would keep the rows and columns the refreshing user may read, .*";
        assertQueryFails(olivia, "CREATE MATERIALIZED VIEW lake.reports.direct AS SELECT customer_id, email FROM mesh.customer_service.customer_profile", denial.formatted("direct"));
        // what the mesh says of itself is as much its data
        assertQueryFails(olivia, "CREATE MATERIALIZED VIEW lake.reports.catalog AS SELECT * FROM mesh.system.columns",
                "Access Denied: materialized view lake.reports.catalog cannot read mesh.system.columns: .*");
        assertQueryFails(olivia, "CREATE MATERIALIZED VIEW lake.reports.names AS SELECT table_name FROM mesh.information_schema.tables",
                "Access Denied: materialized view lake.reports.names cannot read mesh.information_schema.tables: .*");

        getQueryRunner().execute(olivia, "CREATE OR REPLACE VIEW lake.reports.customers SECURITY INVOKER AS SELECT customer_id, email FROM mesh.customer_service.customer_profile");
        assertQueryFails(olivia, "CREATE MATERIALIZED VIEW lake.reports.through_view AS SELECT * FROM lake.reports.customers", denial.formatted("through_view"));

        // a view that read other data when its materialized view was made, pointed at the mesh since
        getQueryRunner().execute(olivia, "CREATE TABLE IF NOT EXISTS lake.reports.contacts AS SELECT BIGINT '1' AS customer_id, 'someone@example.com' AS email");
        getQueryRunner().execute(olivia, "CREATE OR REPLACE VIEW lake.reports.moving SECURITY INVOKER AS SELECT customer_id, email FROM lake.reports.contacts");
        getQueryRunner().execute(olivia, "CREATE MATERIALIZED VIEW lake.reports.moved AS SELECT * FROM lake.reports.moving");
        getQueryRunner().execute(olivia, "REFRESH MATERIALIZED VIEW lake.reports.moved");
        assertQuery(olivia, "SELECT email FROM lake.reports.moved", "VALUES 'someone@example.com'");
        getQueryRunner().execute(olivia, "CREATE OR REPLACE VIEW lake.reports.moving SECURITY INVOKER AS SELECT customer_id, email FROM mesh.customer_service.customer_profile");
        assertQueryFails(olivia, "REFRESH MATERIALIZED VIEW lake.reports.moved", "line 3:3: Failed analyzing stored view 'lake.reports.moving': " + denial.formatted("moved"));
        assertQuery(olivia, "SELECT email FROM lake.reports.moved", "VALUES 'someone@example.com'");
    }

    /**
     * Queries that end before Trino knows their tables left no audit line: a table that does not
     * exist, a version that does not, a refused identity. Each now has its line, with its outcome
     * and the reason; a query that names no mesh catalog has none.
     */
    @Test
    public void testAuditKeepsQueriesThatFailBeforePlanning()
            throws Exception
    {
        QueryId missingTable = failedQuery(mesh.sessionOf("eve"), "SELECT * FROM mesh.customer_service.no_such_table");
        QueryId missingVersion = failedQuery(mesh.sessionOf("olivia"), "SELECT count(*) FROM customer_service.customer_orders FOR VERSION AS OF 99");
        QueryId deniedVersion = failedQuery(mesh.sessionOf("eve"), "SELECT count(*) FROM customer_service.customer_orders FOR VERSION AS OF 0");
        QueryId elsewhere = getDistributedQueryRunner().executeWithPlan(mesh.sessionOf("eve"), "SELECT 1").queryId();

        Map<String, JsonNode> lines = awaitAuditLines(line -> Set.of(missingTable.toString(), missingVersion.toString(), deniedVersion.toString()).contains(line.get("query_id").asText()), 3);
        assertThat(lines.get(missingTable.toString()).get("outcome").asText()).isEqualTo("failed");
        assertThat(lines.get(missingTable.toString()).get("error").get("code").asText()).isEqualTo("TABLE_NOT_FOUND");
        assertThat(lines.get(missingVersion.toString()).get("user").asText()).isEqualTo("olivia");
        assertThat(lines.get(missingVersion.toString()).get("error").get("message").asText()).contains("latest available version is 1");
        JsonNode denied = lines.get(deniedVersion.toString());
        assertThat(denied.get("outcome").asText()).isEqualTo("denied");
        assertThat(texts(denied.get("denials"))).containsExactly("user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)");

        // statements that name the mesh inside a string or a prepared statement, from a session on another catalog
        Session onMemory = Session.builder(mesh.sessionOf("olivia")).setCatalog("memory").setSchema("default").build();
        QueryId immediate = failedQuery(onMemory, "EXECUTE IMMEDIATE 'SELECT * FROM mesh.customer_service.no_such_table'");
        QueryId prepared = failedQuery(Session.builder(onMemory).addPreparedStatement("lookup", "SELECT * FROM mesh.customer_service.no_such_table").build(), "EXECUTE lookup");
        assertThat(awaitAuditLines(line -> Set.of(immediate.toString(), prepared.toString()).contains(line.get("query_id").asText()), 2).values())
                .allSatisfy(line -> assertThat(line.get("error").get("code").asText()).isEqualTo("TABLE_NOT_FOUND"))
                .hasSize(2);

        // a denial inside a view fails the query as an invalid view: it is still a denial
        getQueryRunner().execute(mesh.sessionOf("olivia"), "CREATE SCHEMA IF NOT EXISTS lake.audit");
        getQueryRunner().execute(mesh.sessionOf("olivia"), "CREATE OR REPLACE VIEW lake.audit.customers SECURITY INVOKER AS SELECT customer_id FROM mesh.customer_service.customer_profile");
        QueryId throughView = failedQuery(mesh.sessionOf("eve"), "SELECT count(*) FROM lake.audit.customers");
        JsonNode viewLine = awaitAuditLines(line -> line.get("query_id").asText().equals(throughView.toString()), 1).get(throughView.toString());
        assertThat(viewLine.get("outcome").asText()).isEqualTo("denied");
        assertThat(texts(viewLine.get("denials"))).containsExactly("user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)");

        // identities the policy refuses: SET SESSION AUTHORIZATION, and a client naming another session user
        URI server = getDistributedQueryRunner().getCoordinator().getBaseUrl();
        String url = "jdbc:trino://%s:%s/mesh/customer_service".formatted(server.getHost(), server.getPort());
        try (Connection connection = DriverManager.getConnection(url, "alice", null);
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SET SESSION AUTHORIZATION 'olivia'"))
                    .hasMessageContaining("Access Denied: user 'alice' may not act as user 'olivia': no impersonation rule allows it");
        }
        // the client protocol as an authenticated alice asking for olivia's session (no authenticator here: the headers say who)
        assertThat(statementError(server, "SELECT count(*) FROM mesh.sales.orders", ImmutableMap.of("X-Trino-Original-User", "alice", "X-Trino-User", "olivia")))
                .contains("Access Denied: user 'alice' may not act as user 'olivia': no impersonation rule allows it");
        Map<String, JsonNode> refusals = awaitAuditLines(line -> line.get("query").asText().equals("SET SESSION AUTHORIZATION 'olivia'")
                || line.get("query").asText().equals("SELECT count(*) FROM mesh.sales.orders") && line.get("outcome").asText().equals("denied"), 2);
        assertThat(refusals.values())
                .allSatisfy(line -> {
                    assertThat(line.get("outcome").asText()).isEqualTo("denied");
                    assertThat(line.get("error").get("message").asText()).contains("Access Denied: user 'alice' may not act as user 'olivia'");
                });

        // the lines of the queries that came after it are written: its own would be too, had it one
        QueryId later = failedQuery(mesh.sessionOf("eve"), "SELECT * FROM mesh.sales.orders");
        assertThat(awaitAuditLines(line -> line.get("query_id").asText().equals(later.toString()), 1)).hasSize(1);
        assertThat(awaitAuditLines(line -> line.get("query_id").asText().equals(elsewhere.toString()), 0)).isEmpty();
    }

    /**
     * Submits a statement with the client protocol's own headers and follows it to its end.
     */
    private static String statementError(URI server, String sql, Map<String, String> headers)
            throws Exception
    {
        ObjectMapper json = new ObjectMapper();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve("/v1/statement")).POST(HttpRequest.BodyPublishers.ofString(sql));
            headers.forEach(request::header);
            JsonNode response = json.readTree(client.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
            while (response.has("nextUri")) {
                response = json.readTree(client.send(HttpRequest.newBuilder(URI.create(response.get("nextUri").asText())).build(), HttpResponse.BodyHandlers.ofString()).body());
            }
            return response.path("error").path("message").asText();
        }
    }

    private QueryId failedQuery(Session session, String sql)
    {
        return assertThatThrownBy(() -> getQueryRunner().execute(session, sql))
                .asInstanceOf(InstanceOfAssertFactories.type(QueryFailedException.class))
                .actual()
                .getQueryId();
    }

    /**
     * The audit lines that match, by query id, once there are as many as expected.
     */
    private Map<String, JsonNode> awaitAuditLines(Predicate<JsonNode> matches, int expected)
            throws Exception
    {
        Map<String, JsonNode> lines = new HashMap<>();
        mesh.awaitAuditLines(read -> read.stream().filter(matches).count() >= expected).stream()
                .filter(matches)
                .forEach(line -> lines.put(line.get("query_id").asText(), line));
        return lines;
    }

    private ScanInput scan(Session session, String sql, long expectedCount)
    {
        MaterializedResultWithPlan result = getDistributedQueryRunner().executeWithPlan(session, sql);
        assertThat(result.result().getOnlyValue()).as(sql).isEqualTo(expectedCount);
        QueryStats stats = getDistributedQueryRunner().getCoordinator().getQueryManager()
                .getFullQueryInfo(result.queryId())
                .getQueryStats();
        return new ScanInput(stats.getPhysicalInputPositions(), stats.getPhysicalInputDataSize().toBytes());
    }

    private record ScanInput(long rows, long bytes) {}
}
