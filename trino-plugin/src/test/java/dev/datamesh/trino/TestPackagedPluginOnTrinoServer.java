package dev.datamesh.trino;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hashing;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.sample.S3SampleMesh;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.sample.SampleMesh.Customer;
import dev.datamesh.trino.s3.S3ProxyServer;
import io.trino.filesystem.s3.S3FileSystemConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
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
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import static dev.datamesh.registry.testing.DataProductYaml.asset;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The packaged plugin zip, unpacked into a real trino-server-core 476 started by its own
 * launcher, configured as a real deployment: HTTPS with a certificate made for the test, users
 * authenticated by a password file, and the repository's own etc/ files for the mesh catalog,
 * its access control and its group provider. Through JDBC: queries on all three formats, the
 * sample's governance (masks, denials, impersonation), the audit file, and a broken descriptor
 * logged with file and line while the other products keep serving. Run by failsafe after the zip
 * is built (mvn verify).
 */
@TestInstance(PER_CLASS)
final class TestPackagedPluginOnTrinoServer
{
    private static final String KEYSTORE_PASSWORD = "mesh-test-keystore";
    private static final Map<String, String> PASSWORDS = ImmutableMap.of(
            "alice", "alice-secret",
            "dora", "dora-secret",
            "olivia", "olivia-secret",
            "eve", "eve-secret");

    private TrinoServerProcess server;
    private static final String ARCHIVE_SECRET_KEY = "archive-secret-key-from-the-environment";

    private S3ProxyServer s3;
    private Path meshHome;
    private Path keystore;
    private int httpPort;
    private int httpsPort;

    @BeforeAll
    void startServer()
            throws Exception
    {
        // the sample writers' Iceberg and Delta Kernel report every commit at INFO
        MeshQueryRunner.quietLogging();
        Path root = TestFiles.temporaryDirectory("trino-server");
        // laid out as the repository, for the ${ENV:DATA_MESH_HOME} paths of its etc/ files
        meshHome = Files.createDirectories(root.resolve("mesh-home"));
        Path products = SampleMeshDirectory.createIn(meshHome.resolve("etc/mesh")).resolve("products");
        // issue 14's exfiltration: marketing re-publishes customer-service's files, without their contract, to analysts
        SampleMeshDirectory.declareDomain(products, "marketing", "data/marketing");
        Files.createDirectories(meshHome.resolve("etc/mesh/data/marketing"));
        // its location on line 8
        dataProduct("audience-product", "marketing", "marketing-team")
                .asset(parquet("audience", "../../data/customer-service/customer_profile"))
                .grantRead("analyst")
                .writeTo(products.resolve("marketing/audience-product.yaml"));
        // its format on line 7
        dataProduct("broken-product", "finance", "finance-team")
                .asset(asset("invoices", "csv").location("/nowhere"))
                .writeTo(products.resolve("broken-product.yaml"));

        keystore = root.resolve("server.p12");
        TrinoServerProcess.createLocalhostKeystore(keystore, KEYSTORE_PASSWORD);
        Path passwords = root.resolve("password.db");
        Files.write(passwords, PASSWORDS.entrySet().stream()
                .map(user -> user.getKey() + ":" + BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(8, user.getValue().toCharArray()))
                .toList());

        httpPort = TrinoServerProcess.freePort();
        httpsPort = TrinoServerProcess.freePort();
        TrinoServerProcess.Builder builder = TrinoServerProcess.builder()
                .withConfigProperties("""
                        http-server.http.port=%s
                        http-server.https.enabled=true
                        http-server.https.port=%s
                        http-server.https.keystore.path=%s
                        http-server.https.keystore.key=%s
                        http-server.authentication.type=PASSWORD
                        internal-communication.shared-secret=%s
                        discovery.uri=http://127.0.0.1:%s
                        """.formatted(httpPort, httpsPort, keystore, KEYSTORE_PASSWORD, UUID.randomUUID(), httpPort))
                // the embedded default's addresses: loopback only
                .withNodeProperties(Files.readString(SampleMeshDirectory.repositoryRoot().resolve("etc/node.properties")))
                .withEtcFile("password-authenticator.properties", "password-authenticator.name=file\nfile.password-file=" + passwords + "\n")
                .withEnvironment("DATA_MESH_HOME", meshHome.toString());
        // a second mesh catalog with the sample in S3, its keys reaching the catalog file from the environment
        s3 = S3ProxyServer.start("server-access-key", "server-secret-key");
        Path s3Products = S3SampleMesh.write(meshHome.resolve("etc/mesh/products"), root.resolve("s3-mesh"), new S3FileSystemConfig()
                .setEndpoint(s3.endpoint().toString())
                .setRegion("us-east-1")
                .setPathStyleAccess(true)
                .setAwsAccessKey(s3.accessKey())
                .setAwsSecretKey(s3.secretKey()), "data-mesh");
        builder.withEtcFile("catalog/mesh_s3.properties", """
                        connector.name=data_mesh
                        mesh.descriptors.directory=%s
                        s3.endpoint=%s
                        s3.region=us-east-1
                        s3.path-style-access=true
                        s3.aws-access-key=${ENV:MESH_S3_ACCESS_KEY}
                        s3.aws-secret-key=${ENV:MESH_S3_SECRET_KEY}
                        mesh.storage.archive.s3.region=us-east-1
                        mesh.storage.archive.s3.aws-access-key=archive-access-key
                        mesh.storage.archive.s3.aws-secret-key=${ENV:MESH_ARCHIVE_SECRET_KEY}
                        """.formatted(s3Products, s3.endpoint()))
                .withEnvironment("MESH_S3_ACCESS_KEY", s3.accessKey())
                .withEnvironment("MESH_S3_SECRET_KEY", s3.secretKey())
                .withEnvironment("MESH_ARCHIVE_SECRET_KEY", ARCHIVE_SECRET_KEY);
        Path repositoryEtc = SampleMeshDirectory.repositoryRoot().resolve("etc");
        for (String file : List.of("catalog/mesh.properties", "access-control.properties", "group-provider.properties")) {
            builder.withEtcFile(file, Files.readString(repositoryEtc.resolve(file)));
        }
        server = builder.start(Duration.ofMinutes(3), () -> TrinoServerProcess.answersSampleQuery(() -> connect("olivia")));
    }

    @AfterAll
    void stopServer()
            throws Exception
    {
        if (server != null) {
            server.close();
        }
        if (s3 != null) {
            s3.close();
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
        // a data scientist may read every product of the sample
        try (Connection connection = connect("dora");
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM mesh.customer_service.customer_profile")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(SampleMesh.CUSTOMER_COUNT);
            }
            // the Iceberg asset's SQLite catalog needs the driver the plugin ships, from the plugin's class loader
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM mesh.logistics.shipments FOR VERSION AS OF '%s'".formatted(SampleMesh.SHIPMENTS_2024_TAG))) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(SampleMesh.shipments().stream().filter(shipment -> shipment.shippedAt().getYear() < 2025).count());
            }
            // the Delta asset: Kernel's log replay inside the plugin's class loader
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
    void testAnalyzeKeepsStatisticsWhereTheCatalogFileSays()
            throws SQLException
    {
        // the owner team computes them, through the plugin's class loader, into the embedded default's var/statistics
        try (Connection connection = connect("olivia");
                Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("ANALYZE mesh.customer_service.customer_orders")).isEqualTo(SampleMesh.CUSTOMER_ORDER_COUNT);
            Map<String, Double> distinctValues = new TreeMap<>();
            try (ResultSet rs = statement.executeQuery("SHOW STATS FOR mesh.customer_service.customer_orders")) {
                while (rs.next()) {
                    if (rs.getString("column_name") != null) {
                        distinctValues.put(rs.getString("column_name"), rs.getDouble("distinct_values_count"));
                    }
                }
            }
            assertThat(distinctValues.get("channel")).isCloseTo(2.0, withinPercentage(5));
        }
        assertThat(meshHome.resolve("var/statistics/mesh/customer_service/customer_orders.json")).isRegularFile();
    }

    @Test
    void testSampleFromS3UnderTheSameGovernance()
            throws SQLException
    {
        Customer first = SampleMesh.customers().getFirst();
        String email = "SELECT email FROM mesh_s3.customer_service.customer_profile WHERE customer_id = " + first.customerId();
        assertThat(singleString("olivia", email)).isEqualTo(first.email());
        assertThat(singleString("alice", email)).isEqualTo(Hashing.sha256().hashString(first.email(), UTF_8).toString());
        assertThat(singleString("alice", """
                SELECT CAST(count(*) AS varchar)
                FROM mesh_s3.customer_service.customer_orders o
                JOIN mesh_s3.logistics.shipments s ON s.order_id = o.order_id
                JOIN mesh_s3.sales.orders so ON so.customer_id = o.customer_id AND so.order_year = 2024
                """)).isEqualTo(singleString("alice", """
                SELECT CAST(count(*) AS varchar)
                FROM mesh.customer_service.customer_orders o
                JOIN mesh.logistics.shipments s ON s.order_id = o.order_id
                JOIN mesh.sales.orders so ON so.customer_id = o.customer_id AND so.order_year = 2024
                """));
    }

    @Test
    void testCatalogTables()
            throws SQLException
    {
        assertThat(singleString("alice", "SELECT array_join(array_agg(data_product ORDER BY data_product), ',') FROM mesh.system.data_products"))
                .isEqualTo("customer-data-product,order-data-product,shipment-data-product");
        assertThat(singleString("olivia", "SELECT array_join(array_agg(data_product), ',') FROM mesh.system.data_products")).isEqualTo("customer-data-product");
        assertThat(singleString("olivia", "SELECT status FROM mesh.system.sla_status WHERE table_name = 'customer_profile'")).isEqualTo("ok");
        assertThatThrownBy(() -> singleString("eve", "SELECT CAST(count(*) AS varchar) FROM mesh.system.data_products"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access Denied: user 'eve' may read no data product of mesh, so its catalog (schema system) shows nothing");
    }

    @Test
    void testGovernanceAndAudit()
            throws Exception
    {
        Customer first = SampleMesh.customers().getFirst();
        String sql = "SELECT email FROM mesh.customer_service.customer_profile WHERE customer_id = " + first.customerId();
        assertThat(singleString("alice", sql)).isEqualTo(Hashing.sha256().hashString(first.email(), UTF_8).toString());
        assertThat(singleString("olivia", sql)).isEqualTo(first.email());
        assertThatThrownBy(() -> singleString("eve", sql))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access Denied: user 'eve' has no role with a read grant on data product 'customer-data-product' (domain customer-service)");
        try (Connection connection = connect("eve")) {
            try (ResultSet schemas = connection.getMetaData().getSchemas("mesh", null)) {
                assertThat(schemas.next()).isTrue();
                assertThat(schemas.getString("TABLE_SCHEM")).isEqualTo("information_schema");
                assertThat(schemas.next()).isFalse();
            }
        }

        // the audit file is under the server's data directory, a started and a completed line per query on the mesh
        Path audit = server.dataDirectory().resolve("var/log/mesh-audit.json");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(Files.exists(audit) && Files.readString(audit).contains("\"outcome\":\"denied\"") && Files.readString(audit).contains("pii-hashed")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(Files.readAllLines(audit))
                .anySatisfy(line -> assertThat(line).contains("\"user\":\"alice\"", "\"email\":\"pii-hashed\"", "\"outcome\":\"succeeded\""))
                .anySatisfy(line -> assertThat(line).contains("\"user\":\"eve\"", "\"outcome\":\"denied\"", "user 'eve' has no role with a read grant on data product 'customer-data-product'"));
    }

    /**
     * The embedded default's node.properties bind the server to loopback and announce a loopback
     * address to the other nodes (there are none): no other machine reaches its unauthenticated port.
     */
    @Test
    void testReachableFromThisMachineOnly()
            throws Exception
    {
        try (Connection connection = connect("olivia");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT http_uri FROM system.runtime.nodes")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("http://127.0.0.1:" + httpPort);
            assertThat(rs.next()).isFalse();
        }
        List<InetAddress> otherAddresses = NetworkInterface.networkInterfaces()
                .filter(networkInterface -> {
                    try {
                        return networkInterface.isUp() && !networkInterface.isLoopback();
                    }
                    catch (SocketException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLinkLocalAddress())
                .toList();
        assumeThat(otherAddresses).as("this machine has an address other than loopback").isNotEmpty();
        for (InetAddress address : otherAddresses) {
            for (int port : List.of(httpPort, httpsPort)) {
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, port), 2_000);
                    }
                })
                        .as("connection to %s:%s", address, port)
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void testUsersAreAuthenticatedOverHttpsOnly()
    {
        assertThatThrownBy(() -> DriverManager.getConnection(httpsUrl(), "alice", "wrong-password").createStatement().executeQuery("SELECT 1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication failed: Access Denied: Invalid credentials");
        assertThatThrownBy(() -> DriverManager.getConnection(httpsUrl(), "mallory", "any").createStatement().executeQuery("SELECT 1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication failed: Access Denied: Invalid credentials");
        // the driver sends no password in clear
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:trino://localhost:%s/mesh".formatted(httpPort), "alice", PASSWORDS.get("alice")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("TLS/SSL is required for authentication with username and password");
        // and the server takes no user name over plain HTTP: nobody can claim to be olivia
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:trino://localhost:%s/mesh".formatted(httpPort), "olivia", null).createStatement().executeQuery("SELECT 1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication over HTTP is not enabled");
        // an authenticated user acts as another only where a policy allows it
        assertThatThrownBy(() -> {
            Properties properties = credentials("alice");
            properties.setProperty("sessionUser", "olivia");
            DriverManager.getConnection(httpsUrl(), properties).createStatement().executeQuery("SELECT 1");
        })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access Denied: user 'alice' may not act as user 'olivia': no impersonation rule allows it");
    }

    @Test
    void testS3SecretKeysStayOutOfTheServerLog()
            throws IOException
    {
        String log = Files.readString(server.dataDirectory().resolve("var/log/server.log"));
        // Trino logs each catalog's properties at start-up, masking those the S3 file system marks as sensitive, a profile's as well
        assertThat(log)
                .containsPattern("s3\\.aws-secret-key\\s.*\\[REDACTED]")
                .containsPattern("mesh\\.storage\\.archive\\.s3\\.aws-secret-key\\s.*\\[REDACTED]")
                .doesNotContain(s3.secretKey())
                .doesNotContain(ARCHIVE_SECRET_KEY);
        // an access key is no secret to Trino: it is logged as it is
        assertThat(log).contains("archive-access-key");
    }

    @Test
    void testBrokenDescriptorIsLoggedWithFileAndLine()
            throws IOException
    {
        String log = Files.readString(server.dataDirectory().resolve("var/log/server.log"));
        assertThat(log).contains(meshHome.resolve("etc/mesh/products/broken-product.yaml") + ":7:13: 'data_assets[0].format' has unsupported value 'csv'; use one of: parquet, delta, iceberg");
        assertThat(log).contains("Loaded 3 data products with 4 assets");
    }

    @Test
    void testDomainsPublishTheirOwnDataOnly()
            throws Exception
    {
        String log = Files.readString(server.dataDirectory().resolve("var/log/server.log"));
        assertThat(log).contains(meshHome.resolve("etc/mesh/products/marketing/audience-product.yaml") + ":8:15: location file://%s is not one of domain 'marketing''s data locations (file://%s) declared in %s"
                .formatted(meshHome.resolve("etc/mesh/data/customer-service/customer_profile"), meshHome.resolve("etc/mesh/data/marketing"), meshHome.resolve("etc/mesh/domains.yaml")));
        for (String user : List.of("alice", "dora")) {
            try (Connection connection = connect(user);
                    Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeQuery("SELECT first_name, email FROM mesh.marketing.audience"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageMatching(".*(Schema 'marketing'|Table 'mesh.marketing.audience') does not exist");
            }
        }
    }

    private String singleString(String user, String sql)
            throws SQLException
    {
        try (Connection connection = connect(user);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            String value = rs.getString(1);
            // read to the end, so that the query finishes rather than being cancelled by the close
            assertThat(rs.next()).isFalse();
            return value;
        }
    }

    private Connection connect(String user)
            throws SQLException
    {
        return DriverManager.getConnection(httpsUrl(), credentials(user));
    }

    private Properties credentials(String user)
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", PASSWORDS.get(user));
        return properties;
    }

    private String httpsUrl()
    {
        return "jdbc:trino://localhost:%s/mesh?SSL=true&SSLTrustStorePath=%s&SSLTrustStorePassword=%s&SSLTrustStoreType=PKCS12".formatted(httpsPort, keystore, KEYSTORE_PASSWORD);
    }
}
