package dev.datamesh.trino;

import dev.datamesh.trino.sample.SampleMesh;
import dev.datamesh.trino.sample.SampleMesh.Customer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.stream.Stream;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The packaged plugin zip, unpacked into a real trino-server-core 476 started by its own
 * launcher, answers JDBC queries; a broken descriptor is logged with file and line and the
 * other products keep serving. Run by failsafe after the zip is built (mvn verify).
 */
@TestInstance(PER_CLASS)
final class TestPackagedPluginOnTrinoServer
{
    private Path serverDirectory;
    private Path etcDirectory;
    private Path dataDirectory;
    private Path products;
    private int port;

    @BeforeAll
    void startServer()
            throws Exception
    {
        serverDirectory = unpackServer(Path.of(requiredProperty("trino.server.tarball")));
        Path pluginZip = Path.of(requiredProperty("data-mesh.plugin.zip"));
        installPlugin(pluginZip, serverDirectory.resolve("plugin/data-mesh"));

        products = SampleMeshDirectory.create();
        Files.writeString(products.resolve("broken-product.yaml"), """
                name: broken-product
                domain: finance
                owner: finance-team
                version: 1.0.0
                data_assets:
                  - name: invoices
                    format: csv
                    location: /nowhere
                """);

        Path root = SampleMeshDirectory.temporaryDirectory("trino-server");
        etcDirectory = Files.createDirectories(root.resolve("etc"));
        dataDirectory = Files.createDirectories(root.resolve("data"));
        port = freePort();
        Files.writeString(etcDirectory.resolve("config.properties"), """
                coordinator=true
                node-scheduler.include-coordinator=true
                http-server.http.port=%s
                discovery.uri=http://localhost:%s
                query.max-memory=512MB
                query.max-memory-per-node=256MB
                """.formatted(port, port));
        Files.writeString(etcDirectory.resolve("node.properties"), "node.environment=test\nnode.id=data-mesh-it\n");
        Files.writeString(etcDirectory.resolve("jvm.config"), String.join("\n",
                "-server", "-Xmx1G", "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading", ""));
        Files.createDirectories(etcDirectory.resolve("catalog"));
        Files.writeString(etcDirectory.resolve("catalog/mesh.properties"), "connector.name=data_mesh\nmesh.descriptors.directory=" + products + "\n");

        launcher("start");
        awaitStarted(Duration.ofMinutes(3));
    }

    @AfterAll
    void stopServer()
            throws Exception
    {
        if (etcDirectory != null) {
            launcher("stop");
        }
    }

    @Test
    void testQueriesThroughJdbc()
            throws SQLException
    {
        Map<Long, Customer> customers = SampleMesh.customers().stream().collect(toMap(Customer::customerId, customer -> customer));
        Map<String, Long> expected = new TreeMap<>();
        SampleMesh.orders().forEach(order -> expected.merge(customers.get(order.customerId()).country(), 1L, Long::sum));

        Map<String, Long> actual = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:trino://localhost:%s/mesh".formatted(port), "analyst", null);
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM mesh.customer_service.customer_profile")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(SampleMesh.CUSTOMER_COUNT);
            }
            // the Delta asset: Kernel's log replay inside the plugin's class loader
            // the Iceberg asset's SQLite catalog needs the driver the plugin ships, from the plugin's class loader
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM mesh.logistics.shipments FOR VERSION AS OF '%s'".formatted(SampleMesh.SHIPMENTS_2024_TAG))) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(SampleMesh.shipments().stream().filter(shipment -> shipment.shippedAt().getYear() < 2025).count());
            }
            try (ResultSet rs = statement.executeQuery("SELECT count(*), max(order_year) FROM mesh.customer_service.customer_orders FOR VERSION AS OF 0")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(SampleMesh.customerOrders().stream().filter(order -> order.orderYear() < 2025).count());
                assertThat(rs.getInt(2)).isEqualTo(2024);
            }
            try (ResultSet rs = statement.executeQuery("""
                    SELECT c.country, count(*)
                    FROM mesh.sales.orders o
                    JOIN mesh.customer_service.customer_profile c ON o.customer_id = c.customer_id
                    GROUP BY c.country""")) {
                while (rs.next()) {
                    actual.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void testBrokenDescriptorIsLoggedWithFileAndLine()
            throws IOException
    {
        String log = Files.readString(dataDirectory.resolve("var/log/server.log"));
        assertThat(log).contains(products.resolve("broken-product.yaml") + ":7:13: 'data_assets[0].format' has unsupported value 'csv'; use one of: parquet, delta, iceberg");
        assertThat(log).contains("Loaded 3 data products with 4 assets");
    }

    private boolean answersQueries()
    {
        // the coordinator reports started a moment before it has announced itself as a worker for the catalog
        try (Connection connection = DriverManager.getConnection("jdbc:trino://localhost:%s/mesh".formatted(port), "probe", null);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT customer_id FROM mesh.customer_service.customer_profile LIMIT 1")) {
            return rs.next();
        }
        catch (SQLException e) {
            return false;
        }
    }

    private static Path unpackServer(Path tarball)
            throws IOException, InterruptedException
    {
        Path target = SampleMeshDirectory.temporaryDirectory("trino-server-core");
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", target.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(tar.waitFor()).as("tar -xzf " + tarball).isZero();
        try (Stream<Path> entries = Files.list(target)) {
            return entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private void launcher(String command)
            throws IOException, InterruptedException
    {
        assertThat(runLauncher(command)).as("launcher " + command).isZero();
    }

    private int runLauncher(String command)
            throws IOException, InterruptedException
    {
        ProcessBuilder process = new ProcessBuilder(
                serverDirectory.resolve("bin/launcher").toString(),
                "--etc-dir=" + etcDirectory,
                "--data-dir=" + dataDirectory,
                command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        process.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process.environment().put("PATH", System.getProperty("java.home") + "/bin:" + System.getenv("PATH"));
        return process.start().waitFor();
    }

    private void awaitStarted(Duration timeout)
            throws Exception
    {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:%s/v1/info".formatted(port))).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.ofString()).body().contains("\"starting\":false") && answersQueries()) {
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            if (runLauncher("status") != 0) {
                break;
            }
            Thread.sleep(1000);
        }
        Path log = dataDirectory.resolve("var/log/server.log");
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        throw new AssertionError("Trino did not start (waited at most " + timeout + "); server.log ends with:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }

    private static void installPlugin(Path zip, Path pluginDirectory)
            throws IOException
    {
        if (Files.exists(pluginDirectory)) {
            try (Stream<Path> files = Files.list(pluginDirectory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(pluginDirectory);
        try (ZipInputStream input = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = input.getNextEntry(); entry != null; entry = input.getNextEntry()) {
                if (!entry.isDirectory() && entry.getName().endsWith(".jar")) {
                    // the stream is positioned on this entry's content
                    Files.copy(input, pluginDirectory.resolve(Path.of(entry.getName()).getFileName().toString()));
                }
            }
        }
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String requiredProperty(String name)
    {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property %s is not set; run this test with mvn verify, which builds the plugin zip and unpacks the Trino server".formatted(name));
        }
        return value;
    }
}
