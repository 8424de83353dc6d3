package dev.datamesh.trino;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.hash.Hashing;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.sample.SampleMesh.Customer;
import dev.datamesh.sample.SampleMesh.CustomerOrder;
import dev.datamesh.sample.SampleMesh.Shipment;
import io.trino.jdbc.TrinoResultSet;
import io.trino.jdbc.TrinoStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collector;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static dev.datamesh.registry.testing.TestFiles.copyTree;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.collectingAndThen;
import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The packaged plugin on a real cluster: a trino-server-core 476 coordinator that schedules no
 * work on itself (node-scheduler.include-coordinator=false) and two worker processes, each
 * started by its own launcher with its own port and data folder, all with the repository's
 * catalog, access control and group provider files. The sample mesh is written once, beside
 * the coordinator's descriptors; the workers' DATA_MESH_HOME (which those files name) is a
 * folder with the roles, policies and groups the access control and group provider load on
 * every node, an empty descriptor folder, no domains file and no data: whatever a worker reads
 * of a product comes from the coordinator's split and table handle.
 * <p>
 * Which node ran what comes from the coordinator's query info (GET /v1/query/{id}, as the user
 * who ran the query): the tasks of each stage that scans a table, with their node ids and the
 * rows they read. The expected results are computed from the sample's generated rows, the same
 * figures a single node returns (TestMeshJdbc, TestPackagedPluginOnTrinoServer). The last test
 * kills a worker with SIGKILL during a query. Run by failsafe after the zip is built (mvn verify).
 */
@TestInstance(PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestMeshCluster
{
    private static final String COORDINATOR_ID = "data-mesh-coordinator";
    private static final List<String> WORKER_IDS = ImmutableList.of("data-mesh-worker-1", "data-mesh-worker-2");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<TrinoServerProcess> workers = new ArrayList<>();
    private TrinoServerProcess coordinator;
    private Path meshHome;
    private Path workerHome;
    private int coordinatorPort;

    @BeforeAll
    void startCluster()
            throws Exception
    {
        long start = System.nanoTime();
        // the sample writers' Iceberg and Delta Kernel report every commit at INFO
        MeshQueryRunner.quietLogging();
        Path root = TestFiles.temporaryDirectory("mesh-cluster");
        // laid out as the repository, for the ${ENV:DATA_MESH_HOME} paths of its etc/ files
        meshHome = Files.createDirectories(root.resolve("coordinator-home"));
        SampleMeshDirectory.createIn(meshHome.resolve("etc/mesh"));
        // what Trino loads on every node: the access control's roles and policies, the group provider's groups
        workerHome = Files.createDirectories(root.resolve("worker-home"));
        Path workerMesh = Files.createDirectories(workerHome.resolve("etc/mesh/products"));
        for (String file : List.of("roles.yaml", "groups.txt", "policies")) {
            copyTree(meshHome.resolve("etc/mesh").resolve(file), workerMesh.resolveSibling(file));
        }

        Path server = TrinoServerProcess.installServer();
        Path repositoryEtc = SampleMeshDirectory.repositoryRoot().resolve("etc");
        String nodeProperties = Files.readString(repositoryEtc.resolve("node.properties"));
        coordinatorPort = TrinoServerProcess.freePort();
        // every node: discovery, and how long a node keeps asking a dead one (1 minute each by default)
        String discovery = """
                discovery.uri=http://127.0.0.1:%s
                exchange.max-error-duration=10s
                query.remote-task.max-error-duration=10s
                """.formatted(coordinatorPort);
        coordinator = node(server, repositoryEtc, nodeProperties, COORDINATOR_ID, meshHome)
                .noWorkOnCoordinator()
                .withConfigProperties("http-server.http.port=%s\n".formatted(coordinatorPort) + discovery)
                .launch();
        try {
            for (String workerId : WORKER_IDS) {
                workers.add(node(server, repositoryEtc, nodeProperties, workerId, workerHome)
                        .worker()
                        .withConfigProperties("http-server.http.port=%s\n".formatted(TrinoServerProcess.freePort()) + discovery)
                        .launch());
            }
            // the three JVMs start side by side; ready once both workers are active and the mesh answers
            coordinator.awaitStarted(Duration.ofMinutes(3), () -> {
                for (TrinoServerProcess worker : workers) {
                    worker.checkRunning();
                }
                try {
                    return activeWorkers().containsAll(WORKER_IDS) && TrinoServerProcess.answersSampleQuery(() -> connect("olivia"));
                }
                catch (SQLException e) {
                    // the coordinator does not answer yet
                    return false;
                }
            });
        }
        catch (Throwable e) {
            try {
                stopCluster();
            }
            catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        System.out.println("cluster: coordinator and 2 workers started in %.1f s".formatted(seconds(start)));
    }

    private static TrinoServerProcess.Builder node(Path server, Path repositoryEtc, String nodeProperties, String nodeId, Path home)
            throws IOException
    {
        TrinoServerProcess.Builder builder = TrinoServerProcess.builder()
                .withServer(server)
                // the embedded default's loopback addresses, with the node's own id
                .withNodeProperties(nodeProperties.replaceFirst("(?m)^node\\.id=.*$", "node.id=" + nodeId))
                .withEnvironment("DATA_MESH_HOME", home.toString());
        for (String file : List.of("catalog/mesh.properties", "access-control.properties", "group-provider.properties")) {
            builder.withEtcFile(file, Files.readString(repositoryEtc.resolve(file)));
        }
        return builder;
    }

    @AfterAll
    void stopCluster()
            throws Exception
    {
        List<TrinoServerProcess> nodes = new ArrayList<>(workers);
        if (coordinator != null) {
            nodes.add(coordinator);
        }
        Exception failure = null;
        for (TrinoServerProcess node : nodes) {
            try {
                node.close();
            }
            catch (Exception e) {
                if (failure == null) {
                    failure = e;
                }
                else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A query on each format: its result is the single-node one, and every task of its scan
     * stage ran on a worker, the table's splits spread over both, which together read every row.
     */
    @Test
    @Order(1)
    void testScansOfEachFormatRunOnBothWorkers()
            throws Exception
    {
        Map<String, List<String>> profiles = new TreeMap<>();
        group(SampleMesh.customers(), Customer::region, customers -> List.of(
                String.valueOf(customers.size()),
                sum(customers, Customer::lifetimeValue).toPlainString())).forEach(profiles::put);
        assertScannedOnBothWorkers("dora", "SELECT region, count(*), sum(lifetime_value) FROM mesh.customer_service.customer_profile GROUP BY region",
                profiles, SampleMesh.CUSTOMER_COUNT);

        assertScannedOnBothWorkers("dora", "SELECT order_year, count(*), sum(amount), sum(quantity) FROM mesh.sales.orders GROUP BY order_year",
                group(SampleMesh.orders(), order -> String.valueOf(order.orderYear()), orders -> List.of(
                        String.valueOf(orders.size()),
                        sum(orders, SampleMesh.Order::amount).toPlainString(),
                        String.valueOf(orders.stream().mapToLong(SampleMesh.Order::quantity).sum()))),
                SampleMesh.ORDER_COUNT);

        // Delta: the latest version's files, read from the log the coordinator replayed
        assertScannedOnBothWorkers("dora", "SELECT order_year, count(*), sum(total), sum(basket_size) FROM mesh.customer_service.customer_orders GROUP BY order_year",
                group(SampleMesh.customerOrders(), order -> String.valueOf(order.orderYear()), orders -> List.of(
                        String.valueOf(orders.size()),
                        sum(orders, CustomerOrder::total).toPlainString(),
                        String.valueOf(orders.stream().mapToLong(CustomerOrder::basketSize).sum()))),
                SampleMesh.CUSTOMER_ORDER_COUNT);

        // Iceberg: the data files the coordinator planned from the domain's SQLite catalog, which no worker can open
        assertScannedOnBothWorkers("dora", "SELECT status, count(*), sum(weight_kg), count(delivered_at) FROM mesh.logistics.shipments GROUP BY status",
                group(SampleMesh.shipments(), Shipment::status, shipments -> List.of(
                        String.valueOf(shipments.size()),
                        sum(shipments, Shipment::weightKg).toPlainString(),
                        String.valueOf(shipments.stream().filter(shipment -> shipment.deliveredAt().isPresent()).count()))),
                SampleMesh.shipments().size());
    }

    /**
     * The README's query across the three formats, joined on the workers.
     */
    @Test
    @Order(2)
    void testReadmeQueryAcrossTheThreeFormats()
            throws Exception
    {
        Map<Long, Customer> customers = SampleMesh.customers().stream().collect(toMap(Customer::customerId, customer -> customer));
        Map<Long, CustomerOrder> orders = SampleMesh.customerOrders().stream().collect(toMap(CustomerOrder::orderId, order -> order));
        Map<String, List<Shipment>> delivered = group(
                SampleMesh.shipments().stream().filter(shipment -> shipment.status().equals("delivered")).toList(),
                shipment -> customers.get(shipment.customerId()).region(),
                shipments -> shipments);
        Map<String, List<String>> expected = new TreeMap<>();
        delivered.forEach((region, shipments) -> {
            BigDecimal revenue = sum(shipments, shipment -> orders.get(shipment.orderId()).total());
            long hours = shipments.stream().mapToLong(shipment -> Duration.between(shipment.shippedAt(), shipment.deliveredAt().orElseThrow()).toHours()).sum();
            expected.put(region, List.of(
                    String.valueOf(shipments.size()),
                    revenue.toPlainString(),
                    BigDecimal.valueOf(hours).divide(BigDecimal.valueOf(shipments.size()), 1, RoundingMode.HALF_UP).toPlainString()));
        });

        QueryResult result = query("dora", DocPages.sqlBlock(DocPages.README, "-- Parquet (customer_service) x Delta (customer_service) x Iceberg (logistics)"));
        assertThat(byFirstColumn(result.rows())).isEqualTo(expected);
        List<ScanStage> scans = scanStages("dora", result.queryId());
        assertThat(scans).hasSize(3);
        for (ScanStage scan : scans) {
            assertThat(scan.nodes()).as("nodes of the tasks of scan stage %s", scan.stageId()).isSubsetOf(WORKER_IDS).isNotEmpty();
        }
        assertThat(scans.stream().flatMap(scan -> scan.nodes().stream())).containsAll(WORKER_IDS);
    }

    /**
     * The sample's masks and row filters, decided on the coordinator, hold in scans that all run
     * on the workers: every row each user gets, compared with what that user must see.
     */
    @Test
    @Order(3)
    void testMasksAndRowFiltersOnWorkers()
            throws Exception
    {
        List<Customer> customers = SampleMesh.customers();
        String sql = "SELECT customer_id, first_name, email, phone, region FROM mesh.customer_service.customer_profile";

        // analysts: every customer, personal data hashed (pii-hashed)
        assertGoverned("alice", sql, customers, customer -> List.of(sha256(customer.firstName()), sha256(customer.email()), sha256(customer.phone()), customer.region()));
        // data scientists: contact details hidden (contact-hidden-from-data-scientists), names hashed
        assertGoverned("dora", sql, customers, customer -> Arrays.asList(sha256(customer.firstName()), null, null, customer.region()));
        // customer service: their region's customers only (agents-see-their-region), in clear
        List<Customer> amer = customers.stream().filter(customer -> customer.region().equals("AMER")).toList();
        assertThat(amer).isNotEmpty().hasSizeLessThan(customers.size());
        assertGoverned("carlos", sql, amer, customer -> List.of(customer.firstName(), customer.email(), customer.phone(), customer.region()));
        // carmen's own attribute names two regions
        assertGoverned("carmen", sql, customers.stream().filter(customer -> !customer.region().equals("AMER")).toList(),
                customer -> List.of(customer.firstName(), customer.email(), customer.phone(), customer.region()));
        // the owner team: every customer in clear
        assertGoverned("olivia", sql, customers, customer -> List.of(customer.firstName(), customer.email(), customer.phone(), customer.region()));
        // a contractor, analyst too, is denied by the global denial before any task starts
        assertThatThrownBy(() -> query("connor", sql))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access Denied")
                .hasMessageContaining("no-contractors-on-customer-data");
    }

    /**
     * The workers' DATA_MESH_HOME holds no descriptor, no domains file and no data, yet they
     * served every query above: they never loaded a registry, only the coordinator did. The
     * audit is written on the coordinator, where queries are governed.
     */
    @Test
    @Order(4)
    void testWorkersReadNoDescriptors()
            throws Exception
    {
        try (Stream<Path> files = Files.walk(workerHome)) {
            assertThat(files.filter(Files::isRegularFile).map(file -> workerHome.relativize(file).toString()))
                    .allMatch(file -> file.equals("etc/mesh/roles.yaml") || file.equals("etc/mesh/groups.txt") || file.startsWith("etc/mesh/policies/"));
        }
        assertThat(serverLog(coordinator).contains("Loaded 3 data products with 4 assets from " + meshHome.resolve("etc/mesh/products")))
                .as("the coordinator's log says it loaded the sample's descriptors")
                .isTrue();
        for (TrinoServerProcess worker : workers) {
            String log = serverLog(worker);
            assertThat(log.contains("Added catalog mesh using connector data_mesh")).as("%s's log says the mesh catalog was added", worker.dataDirectory()).isTrue();
            assertThat(log.contains("data products with")).as("%s's log says it loaded descriptors", worker.dataDirectory()).isFalse();
            assertThat(worker.dataDirectory().resolve("var/log/mesh-audit.json")).doesNotExist();
        }

        QueryResult result = query("carlos", "SELECT count(*) FROM mesh.customer_service.customer_profile");
        assertThat(auditLine(result.queryId()))
                .contains("\"user\":\"carlos\"", "\"row_filters\":[\"agents-see-their-region\"]", "\"outcome\":\"succeeded\"");
    }

    /**
     * A worker killed with SIGKILL while both run a query's scan: the query fails with Trino's
     * message, the coordinator drops the node, and the next query runs on the other worker.
     */
    @Test
    @Order(100)
    void testWorkerKilledDuringAQuery()
            throws Exception
    {
        // endless: three sample tables cross joined, scanned and joined on both workers
        String endless = """
                SELECT count(*)
                FROM mesh.logistics.shipments s
                CROSS JOIN mesh.customer_service.customer_orders o
                CROSS JOIN mesh.sales.orders so
                WHERE s.weight_kg + o.total = so.amount + 1000000""";
        AtomicReference<String> queryId = new AtomicReference<>();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread client = new Thread(() -> {
            try (Connection connection = connect("dora");
                    Statement statement = connection.createStatement()) {
                statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> queryId.compareAndSet(null, stats.getQueryId()));
                try (ResultSet rs = statement.executeQuery(endless)) {
                    rs.next();
                }
                failure.complete(null);
            }
            catch (Throwable e) {
                failure.complete(e);
            }
        }, "endless-query");
        client.start();
        // kill once both workers run tasks of the query's scans
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (queryId.get() == null || !runningScanNodes("dora", queryId.get()).containsAll(WORKER_IDS)) {
            assertThat(failure).as("the query ended before both workers ran it").isNotDone();
            assertThat(System.nanoTime()).as("both workers running the query's scans within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        String dead = WORKER_IDS.get(1);
        long killedAt = System.nanoTime();
        workers.get(1).kill();

        // how long until the query fails and the coordinator stops listing the dead node as active
        Optional<Double> failedAfter = Optional.empty();
        Optional<Double> droppedAfter = Optional.empty();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (failedAfter.isEmpty() || droppedAfter.isEmpty()) {
            if (failedAfter.isEmpty() && failure.isDone()) {
                failedAfter = Optional.of(seconds(killedAt));
            }
            List<String> active = activeWorkers();
            if (droppedAfter.isEmpty() && !active.contains(dead)) {
                droppedAfter = Optional.of(seconds(killedAt));
            }
            assertThat(System.nanoTime()).as("the query failed and the dead worker was dropped within 120 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        Throwable error = failure.join();
        System.out.println("cluster: the coordinator dropped the dead worker %.1f s after the kill; the query failed %.1f s after it: %s"
                .formatted(droppedAfter.orElseThrow(), failedAfter.orElseThrow(), error == null ? "no error" : error.getMessage()));
        assertThat(error).as("the query failed").isInstanceOf(SQLException.class);
        // Trino's message, once exchange.max-error-duration or query.remote-task.max-error-duration (10 s here) has passed
        assertThat(error.getMessage()).contains("Encountered too many errors talking to a worker node. The node may have crashed or be under too much load. " +
                "This is probably a transient issue, so please retry your query in a few minutes.");
        assertThat(activeWorkers()).containsExactly(WORKER_IDS.get(0));
        // with the error code of the request that gave up first, such as REMOTE_HOST_GONE
        assertThat(auditLine(queryId.get()))
                .contains("\"user\":\"dora\"", "\"outcome\":\"failed\"", "Encountered too many errors talking to a worker node");

        // the next query: all of it on the remaining worker
        Map<String, List<String>> expected = group(SampleMesh.customerOrders(), order -> String.valueOf(order.orderYear()),
                orders -> List.of(String.valueOf(orders.size())));
        QueryResult result = query("dora", "SELECT order_year, count(*) FROM mesh.customer_service.customer_orders GROUP BY order_year");
        assertThat(byFirstColumn(result.rows())).isEqualTo(expected);
        assertThat(scanStages("dora", result.queryId())).singleElement()
                .satisfies(scan -> assertThat(scan.nodes()).containsExactly(WORKER_IDS.get(0)));
    }

    private void assertScannedOnBothWorkers(String user, String sql, Map<String, List<String>> expected, long rows)
            throws Exception
    {
        QueryResult result = query(user, sql);
        assertThat(byFirstColumn(result.rows())).as(sql).isEqualTo(expected);
        ScanStage scan = scanStages(user, result.queryId()).stream().collect(onlyOne(sql));
        assertThat(scan.nodes()).as("nodes of the scan tasks of: %s", sql).containsExactlyInAnyOrderElementsOf(WORKER_IDS);
        assertThat(scan.rows()).as("rows the scan tasks read: %s", sql).isEqualTo(rows);
    }

    private void assertGoverned(String user, String sql, List<Customer> visible, Function<Customer, List<String>> values)
            throws Exception
    {
        QueryResult result = query(user, sql);
        Map<String, List<String>> expected = new TreeMap<>();
        visible.forEach(customer -> expected.put(String.valueOf(customer.customerId()), values.apply(customer)));
        assertThat(byFirstColumn(result.rows())).as("what %s sees", user).isEqualTo(expected);
        ScanStage scan = scanStages(user, result.queryId()).stream().collect(onlyOne(sql));
        assertThat(scan.nodes()).as("nodes of the scan tasks of %s's query", user).isSubsetOf(WORKER_IDS).isNotEmpty();
    }

    private static <T> Collector<T, ?, T> onlyOne(String description)
    {
        return collectingAndThen(toImmutableList(), list -> {
            assertThat(list).as("scan stages of: %s", description).hasSize(1);
            return list.getFirst();
        });
    }

    private record QueryResult(String queryId, List<List<String>> rows) {}

    /**
     * A stage of a query that scans a table: the nodes its tasks ran on and the rows they read.
     */
    private record ScanStage(String stageId, Set<String> nodes, long rows) {}

    private QueryResult query(String user, String sql)
            throws SQLException
    {
        try (Connection connection = connect(user);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            String queryId = rs.unwrap(TrinoResultSet.class).getQueryId();
            ResultSetMetaData metadata = rs.getMetaData();
            ImmutableList.Builder<List<String>> rows = ImmutableList.builder();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= metadata.getColumnCount(); column++) {
                    row.add(rs.getString(column));
                }
                rows.add(row);
            }
            return new QueryResult(queryId, rows.build());
        }
    }

    private static Map<String, List<String>> byFirstColumn(List<List<String>> rows)
    {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (List<String> row : rows) {
            assertThat((Object) byKey.put(row.getFirst(), row.subList(1, row.size()))).as("one row for %s", row.getFirst()).isNull();
        }
        return byKey;
    }

    /**
     * The scan stages of a query from the coordinator's query info: the stages whose fragment
     * reads a table's splits.
     */
    private List<ScanStage> scanStages(String user, String queryId)
            throws IOException, InterruptedException
    {
        JsonNode queryInfo = queryInfo(user, queryId);
        assertThat(queryInfo.path("pruned").asBoolean()).as("the coordinator pruned the info of query %s", queryId).isFalse();
        ImmutableList.Builder<ScanStage> scans = ImmutableList.builder();
        for (JsonNode stage : stages(queryInfo)) {
            if (stage.path("plan").path("partitionedSources").isEmpty()) {
                continue;
            }
            Set<String> nodes = new HashSet<>();
            long rows = 0;
            for (JsonNode task : stage.path("tasks")) {
                nodes.add(task.path("taskStatus").path("nodeId").asText());
                rows += task.path("stats").path("rawInputPositions").asLong();
            }
            scans.add(new ScanStage(stage.path("stageId").asText(), ImmutableSet.copyOf(nodes), rows));
        }
        return scans.build();
    }

    /**
     * The nodes running a task of the query's scan stages now.
     */
    private Set<String> runningScanNodes(String user, String queryId)
            throws IOException, InterruptedException
    {
        Set<String> nodes = new HashSet<>();
        Optional<JsonNode> info = tryQueryInfo(user, queryId);
        if (info.isEmpty()) {
            return nodes;
        }
        for (JsonNode stage : stages(info.orElseThrow())) {
            if (stage.path("plan").path("partitionedSources").isEmpty()) {
                continue;
            }
            for (JsonNode task : stage.path("tasks")) {
                if (task.path("taskStatus").path("state").asText().equals("RUNNING")) {
                    nodes.add(task.path("taskStatus").path("nodeId").asText());
                }
            }
        }
        return nodes;
    }

    /**
     * The query's stages: Trino 476's query info nests them from its output stage ({"outputStage":
     * {"stageId", "plan", "tasks", "subStages": [...]}}); none before the query is planned.
     */
    private static List<JsonNode> stages(JsonNode queryInfo)
    {
        ImmutableList.Builder<JsonNode> stages = ImmutableList.builder();
        addStages(queryInfo.path("outputStage"), stages);
        return stages.build();
    }

    private static void addStages(JsonNode stage, ImmutableList.Builder<JsonNode> stages)
    {
        if (stage.isObject()) {
            stages.add(stage);
            stage.path("subStages").forEach(subStage -> addStages(subStage, stages));
        }
    }

    private JsonNode queryInfo(String user, String queryId)
            throws IOException, InterruptedException
    {
        return tryQueryInfo(user, queryId).orElseThrow(() -> new AssertionError("no query info for " + queryId));
    }

    private Optional<JsonNode> tryQueryInfo(String user, String queryId)
            throws IOException, InterruptedException
    {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%s/v1/query/%s".formatted(coordinatorPort, queryId)))
                .header("X-Trino-User", user)
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        assertThat(response.statusCode()).as("GET /v1/query/%s as %s: %s", queryId, user, response.body()).isEqualTo(200);
        return Optional.of(JSON.readTree(response.body()));
    }

    /**
     * The workers the coordinator lists as active, read by a sample user. The query is one
     * fragment on the coordinator (the table's distribution), so it runs while a dead worker is
     * still listed; sorting in SQL would add a stage on a worker.
     */
    private List<String> activeWorkers()
            throws SQLException
    {
        List<String> nodes = new ArrayList<>();
        try (Connection connection = connect("olivia");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT node_id FROM system.runtime.nodes WHERE state = 'active' AND NOT coordinator")) {
            while (rs.next()) {
                nodes.add(rs.getString(1));
            }
        }
        return nodes.stream().sorted().toList();
    }

    private Connection connect(String user)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        // a query that outlives its test fails rather than holding the cluster
        properties.setProperty("sessionProperties", "query_max_run_time:3m");
        return DriverManager.getConnection("jdbc:trino://127.0.0.1:%s/mesh".formatted(coordinatorPort), properties);
    }

    /**
     * The query's completed line in the coordinator's audit file, which the coordinator writes once the
     * query completed.
     */
    private String auditLine(String queryId)
            throws IOException, InterruptedException
    {
        Path audit = coordinator.dataDirectory().resolve("var/log/mesh-audit.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (Files.exists(audit)) {
                Optional<String> line = Files.readAllLines(audit).stream().filter(candidate -> candidate.contains("\"query_id\":\"" + queryId + "\",\"event\":\"completed\"")).findFirst();
                if (line.isPresent()) {
                    return line.orElseThrow();
                }
            }
            assertThat(System.nanoTime()).as("the audit line of %s within 30 s", queryId).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String serverLog(TrinoServerProcess node)
            throws IOException
    {
        return Files.readString(node.dataDirectory().resolve("var/log/server.log"));
    }

    private static <T, V> Map<String, V> group(List<T> rows, Function<T, String> key, Function<List<T>, V> aggregate)
    {
        Map<String, List<T>> groups = new TreeMap<>();
        rows.forEach(row -> groups.computeIfAbsent(key.apply(row), _ -> new ArrayList<>()).add(row));
        Map<String, V> aggregated = new TreeMap<>();
        groups.forEach((group, members) -> aggregated.put(group, aggregate.apply(members)));
        return aggregated;
    }

    private static <T> BigDecimal sum(List<T> rows, Function<T, BigDecimal> value)
    {
        return rows.stream().map(value).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String sha256(String value)
    {
        return Hashing.sha256().hashString(value, UTF_8).toString();
    }

    private static double seconds(long since)
    {
        return (System.nanoTime() - since) / 1e9;
    }
}
