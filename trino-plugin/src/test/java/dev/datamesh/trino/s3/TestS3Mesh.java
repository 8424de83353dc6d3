package dev.datamesh.trino.s3;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.sample.ParquetFileWriter;
import dev.datamesh.sample.S3SampleMesh;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.trino.MeshQueryRunner;
import io.airlift.units.DataSize;
import io.opentelemetry.api.OpenTelemetry;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.s3.S3FileSystemConfig;
import io.trino.filesystem.s3.S3FileSystemFactory;
import io.trino.filesystem.s3.S3FileSystemStats;
import io.trino.spi.security.ConnectorIdentity;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import io.trino.testing.QueryRunner.MaterializedResultWithPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.datamesh.registry.testing.DataProductYaml.asset;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.TestFiles.firstFile;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static dev.datamesh.trino.SampleMeshDirectory.repositoryRoot;
import static io.airlift.slice.Slices.utf8Slice;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD;

/**
 * The mesh read from real S3 servers on loopback (s3proxy processes): the sample mesh in one
 * bucket through the catalog's default S3 settings, a second domain on another server with other
 * keys through a storage profile, a role assumed through an STS endpoint, and every fault a store
 * can give a query: wrong keys, a missing bucket, a missing object, an endpoint that is down (and
 * comes back), throttling that is retried and throttling that outlasts the retries, an endpoint
 * that never answers, an STS endpoint that is down or refuses the role.
 */
@Execution(SAME_THREAD)
public class TestS3Mesh
        extends AbstractTestQueryFramework
{
    private static final String BUCKET = "data-mesh";
    private static final int LEDGER_ROWS = 300_000;
    private static final String ROLE = "arn:aws:iam::123456789012:role/mesh-reader";
    private static final Duration LISTING_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration HANG_TIME = Duration.ofSeconds(20);

    private S3ProxyServer sampleServer;
    private S3ProxyServer financeServer;
    private S3ProxyServer remoteServer;
    private FaultInjectingProxy flakyProxy;
    private FaultInjectingProxy hangingProxy;
    private LoopbackSts sts;
    private int closedPort;
    private TrinoFileSystem sampleFileSystem;
    private String lostFile;
    private Path products;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        // the sample writers' Iceberg and Delta Kernel report every commit at INFO
        MeshQueryRunner.quietLogging();
        sampleServer = S3ProxyServer.start("sample-access-key", "sample-secret-key");
        financeServer = S3ProxyServer.start("finance-access-key", "finance-secret-key");
        remoteServer = S3ProxyServer.start("remote-access-key", "remote-secret-key");
        flakyProxy = new FaultInjectingProxy(sampleServer.endpoint());
        hangingProxy = new FaultInjectingProxy(sampleServer.endpoint());
        hangingProxy.hang();
        // the remote server's keys, given only to those who assume the role
        sts = new LoopbackSts(ROLE, remoteServer.accessKey(), remoteServer.secretKey());
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        Path mesh = temporaryDirectory("s3-mesh");
        products = S3SampleMesh.write(repositoryRoot().resolve("etc/mesh/products"), mesh, s3Config(sampleServer), BUCKET);
        sampleFileSystem = fileSystem(s3Config(sampleServer));

        // finance: a large file on a server of its own, read through the profile with its keys
        S3SampleMesh.createBucket(s3Config(financeServer), "finance");
        Path ledger = mesh.resolve("local/ledger");
        writeLedger(ledger.resolve("part-00000.parquet"));
        S3SampleMesh.upload(fileSystem(s3Config(financeServer)), ledger, Location.of("s3://finance/ledger"));
        // the platform's bucket for the statistics the mesh computes, on the finance server
        S3SampleMesh.createBucket(s3Config(financeServer), "platform");
        S3SampleMesh.createBucket(s3Config(remoteServer), "remote");
        S3SampleMesh.upload(fileSystem(s3Config(remoteServer)), ledger, Location.of("s3://remote/ledger"));
        // a Delta table that loses a data file after it was written
        Path localData = mesh.resolve("local/data");
        SampleMesh.writeData(localData);
        S3SampleMesh.upload(sampleFileSystem, localData.resolve("customer-service/customer_orders"), Location.of("s3://data-mesh/customer/orders-copy"));
        Path lost = firstFile(localData.resolve("customer-service/customer_orders"), ".parquet");
        lostFile = "s3://data-mesh/customer/orders-copy/" + localData.resolve("customer-service/customer_orders").relativize(lost);
        sampleFileSystem.deleteFile(Location.of(lostFile));

        writeProduct(products, "finance", "ledger-data-product", "finance", "entries", "parquet", "s3://finance/ledger");
        writeProduct(products, "audit", "audit-data-product", "finance-wrong-keys", "entries", "parquet", "s3://finance/ledger");
        writeProduct(products, "archive", "archive-data-product", null, "orders", "parquet", "s3://no-such-bucket/orders");
        writeProduct(products, "remote", "remote-data-product", "remote", "entries", "parquet", "s3://remote/ledger");
        writeProduct(products, "flaky", "flaky-data-product", "flaky", "orders", "parquet", "s3://data-mesh/sales/orders");
        writeProduct(products, "chain", "chain-data-product", "default-chain", "entries", "parquet", "s3a://remote/ledger");
        writeProduct(products, "hanging", "hanging-data-product", "hanging", "orders", "parquet", "s3://data-mesh/sales/orders");
        writeProduct(products, "throttled", "throttled-data-product", "throttled", "orders", "parquet", "s3://data-mesh/sales/orders");
        writeProduct(products, "assumed", "assumed-data-product", "assumed-role", "entries", "parquet", "s3://remote/ledger");
        writeProduct(products, "unassumable", "unassumable-data-product", "sts-down", "entries", "parquet", "s3://remote/ledger");
        writeProduct(products, "untrusted", "untrusted-data-product", "untrusted-role", "entries", "parquet", "s3://remote/ledger");
        // the AWS default credential chain reads these system properties before the environment and instance roles
        System.setProperty("aws.accessKeyId", remoteServer.accessKey());
        System.setProperty("aws.secretAccessKey", remoteServer.secretKey());
        writeProduct(products, "broken", "broken-data-product", null, "orders", "delta", "s3://data-mesh/customer/orders-copy");

        return MeshQueryRunner.create(products, 1, ImmutableMap.<String, String>builder()
                .put("mesh.max-split-size", "1MB")
                .put("mesh.statistics.location", "s3://platform/mesh-statistics")
                .put("mesh.statistics.storage-profile", "finance")
                .put("mesh.metadata.listing-timeout", LISTING_TIMEOUT.toMillis() + "ms")
                .putAll(s3Properties("", sampleServer.endpoint().toString(), sampleServer.accessKey(), sampleServer.secretKey()))
                .putAll(s3Properties("mesh.storage.finance.", financeServer.endpoint().toString(), financeServer.accessKey(), financeServer.secretKey()))
                .putAll(s3Properties("mesh.storage.finance-wrong-keys.", financeServer.endpoint().toString(), financeServer.accessKey(), "not-the-finance-secret"))
                .putAll(s3Properties("mesh.storage.remote.", remoteServer.endpoint().toString(), remoteServer.accessKey(), remoteServer.secretKey()))
                .put("mesh.storage.remote.s3.max-error-retries", "1")
                .put("mesh.storage.remote.s3.socket-connect-timeout", "1s")
                .putAll(s3Properties("mesh.storage.flaky.", flakyProxy.endpoint().toString(), sampleServer.accessKey(), sampleServer.secretKey()))
                .put("mesh.storage.default-chain.s3.endpoint", remoteServer.endpoint().toString())
                .put("mesh.storage.default-chain.s3.region", "us-east-1")
                .put("mesh.storage.default-chain.s3.path-style-access", "true")
                .putAll(s3Properties("mesh.storage.hanging.", hangingProxy.endpoint().toString(), sampleServer.accessKey(), sampleServer.secretKey()))
                .put("mesh.storage.hanging.s3.socket-read-timeout", HANG_TIME.toMillis() + "ms")
                .put("mesh.storage.hanging.s3.max-error-retries", "1")
                .putAll(s3Properties("mesh.storage.throttled.", flakyProxy.endpoint().toString(), sampleServer.accessKey(), sampleServer.secretKey()))
                .put("mesh.storage.throttled.s3.max-error-retries", "2")
                // keys that only STS takes: S3 is read with the role's
                .putAll(roleProperties("mesh.storage.assumed-role.", remoteServer.endpoint(), sts.endpoint().toString(), ROLE))
                .putAll(roleProperties("mesh.storage.sts-down.", remoteServer.endpoint(), "http://127.0.0.1:" + closedPort, ROLE))
                .putAll(roleProperties("mesh.storage.untrusted-role.", remoteServer.endpoint(), sts.endpoint().toString(), "arn:aws:iam::123456789012:role/not-trusting-the-mesh"))
                .buildOrThrow());
    }

    @AfterAll
    public void stopServers()
            throws InterruptedException
    {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        flakyProxy.close();
        hangingProxy.close();
        sts.close();
        sampleServer.close();
        financeServer.close();
        remoteServer.close();
    }

    @Test
    public void testSampleMeshFromS3()
    {
        assertQuery("SELECT count(*), count(DISTINCT region) FROM customer_service.customer_profile", "VALUES (%s, 3)".formatted(SampleMesh.CUSTOMER_COUNT));
        // key=value partition folders in S3, pruned by the partition predicate
        assertQuery("SELECT count(*) FROM sales.orders", "VALUES " + SampleMesh.ORDER_COUNT);
        assertQuery("SELECT count(*) FROM sales.orders WHERE order_year = 2024",
                "VALUES " + SampleMesh.orders().stream().filter(order -> order.orderYear() == 2024).count());
        // Delta: the log and its partitioned data files in S3
        assertQuery("SELECT count(*), sum(basket_size) FROM customer_service.customer_orders",
                "VALUES (%s, %s)".formatted(SampleMesh.CUSTOMER_ORDER_COUNT, SampleMesh.customerOrders().stream().mapToLong(SampleMesh.CustomerOrder::basketSize).sum()));
        assertQuery("SELECT count(*) FROM customer_service.customer_orders FOR VERSION AS OF 0",
                "VALUES " + SampleMesh.customerOrders().stream().filter(order -> order.orderYear() < 2025).count());
        // Iceberg: metadata, manifests and data written into S3 by Iceberg's writers
        assertQuery("SELECT count(*) FROM logistics.shipments", "VALUES " + SampleMesh.shipments().size());
        assertQuery("SELECT count(*) FROM logistics.shipments FOR VERSION AS OF '" + SampleMesh.SHIPMENTS_2024_TAG + "'",
                "VALUES " + SampleMesh.shipments().stream().filter(shipment -> shipment.shippedAt().getYear() < 2025).count());
        // the three formats in one query
        assertQuery("""
                SELECT count(*)
                FROM customer_service.customer_profile p
                JOIN customer_service.customer_orders o ON o.customer_id = p.customer_id
                JOIN logistics.shipments s ON s.order_id = o.order_id
                """,
                "VALUES " + SampleMesh.shipments().size());
    }

    @Test
    public void testStatisticsKeptInTheStatisticsStorageProfile()
            throws IOException
    {
        assertUpdate("ANALYZE sales.orders", SampleMesh.ORDER_COUNT);
        MaterializedRow channels = computeActual("SHOW STATS FOR sales.orders").getMaterializedRows().stream()
                .filter(row -> "channel".equals(row.getField(0)))
                .findFirst()
                .orElseThrow();
        assertThat((Double) channels.getField(2)).isCloseTo(4.0, withinPercentage(5));
        // written with the keys of the profile mesh.statistics.storage-profile names, to its server: not where the data is
        assertThat(fileSystem(s3Config(financeServer)).newInputFile(Location.of("s3://platform/mesh-statistics/mesh/sales/orders.json")).exists()).isTrue();
    }

    @Test
    public void testSecondDomainWithItsOwnServerAndKeysAndRangeReads()
    {
        MaterializedResultWithPlan result = getDistributedQueryRunner().executeWithPlan(getSession(), "SELECT count(*), sum(entry_id), sum(amount) FROM finance.entries");
        assertThat(result.result().getMaterializedRows().getFirst().getFields())
                .containsExactly((long) LEDGER_ROWS, (long) LEDGER_ROWS * (LEDGER_ROWS - 1) / 2, LEDGER_ROWS * 0.5 * (LEDGER_ROWS - 1) / 2);
        // one object read as byte ranges: several splits, every row read once
        int splits = getDistributedQueryRunner().getCoordinator().getQueryManager().getFullQueryInfo(result.queryId()).getQueryStats().getTotalDrivers();
        assertThat(splits).isGreaterThan(3);
        assertQuery("SELECT memo FROM finance.entries WHERE entry_id = 123456", "VALUES 'entry 123456 of the ledger'");
    }

    @Test
    public void testDefaultCredentialChainAndS3aAlias()
    {
        assertQuery("SELECT count(*) FROM chain.entries", "VALUES " + LEDGER_ROWS);
    }

    @Test
    public void testWrongKeys()
    {
        assertThat(failure("SELECT count(*) FROM audit.entries"))
                .isEqualTo("Cannot list the files of asset 'entries' of data product 'audit-data-product' (domain audit) at s3://finance/ledger: Failed to list location: s3://finance/ledger: " +
                        "S3 denied access (SignatureDoesNotMatch): check the keys or role of the storage profile the asset is read with");
        assertQuery("SELECT count(*) FROM finance.entries", "VALUES " + LEDGER_ROWS);
    }

    @Test
    public void testMissingBucket()
    {
        assertThat(failure("SELECT count(*) FROM archive.orders"))
                .isEqualTo("Cannot list the files of asset 'orders' of data product 'archive-data-product' (domain archive) at s3://no-such-bucket/orders: Failed to list location: s3://no-such-bucket/orders: " +
                        "the bucket does not exist (NoSuchBucket)");
        assertQuery("SELECT count(*) FROM sales.orders", "VALUES " + SampleMesh.ORDER_COUNT);
    }

    @Test
    public void testMissingObject()
    {
        assertThat(failure("SELECT count(*) FROM broken.orders"))
                .isEqualTo("Failed to read Parquet file %1$s (table broken.orders of data product 'broken-data-product'): %1$s: the file does not exist (removed or moved after the table's log or metadata named it?)"
                        .formatted(lostFile));
        assertQuery("SELECT count(*) FROM customer_service.customer_orders", "VALUES " + SampleMesh.CUSTOMER_ORDER_COUNT);
    }

    @Test
    public void testEndpointDownAndBack()
            throws Exception
    {
        assertQuery("SELECT count(*) FROM remote.entries", "VALUES " + LEDGER_ROWS);
        remoteServer.stop();
        try {
            assertThat(failure("SELECT count(*) FROM remote.entries"))
                    .startsWith("Cannot list the files of asset 'entries' of data product 'remote-data-product' (domain remote) at s3://remote/ledger: Failed to list location: s3://remote/ledger: " +
                            "cannot connect to the S3 endpoint (");
            // the other domains keep serving
            assertQuery("SELECT count(*) FROM finance.entries", "VALUES " + LEDGER_ROWS);
            assertQuery("SELECT count(*) FROM sales.orders", "VALUES " + SampleMesh.ORDER_COUNT);
        }
        finally {
            remoteServer.restart();
        }
        assertQuery("SELECT count(*) FROM remote.entries", "VALUES " + LEDGER_ROWS);
    }

    @Test
    public void testThrottlingIsRetried()
    {
        int injected = flakyProxy.injectedFailures();
        flakyProxy.failNextRequests(3);
        assertQuery("SELECT count(*) FROM flaky.orders", "VALUES " + SampleMesh.ORDER_COUNT);
        assertThat(flakyProxy.injectedFailures() - injected).isEqualTo(3);
    }

    @Test
    public void testThrottlingThatOutlastsTheRetries()
    {
        int injected = flakyProxy.injectedFailures();
        flakyProxy.failNextRequests(5);
        try {
            assertThat(failure("SELECT count(*) FROM throttled.orders"))
                    .isEqualTo("Cannot list the files of asset 'orders' of data product 'throttled-data-product' (domain throttled) at s3://data-mesh/sales/orders: Failed to list location: s3://data-mesh/sales/orders: " +
                            "S3 kept failing (SlowDown, HTTP 503) in 2 attempts: the store is overloaded or failing; try again later, or raise mesh.storage.throttled.s3.max-error-retries (the number of attempts, the first included)");
            // Trino's s3.max-error-retries is the SDK's number of attempts: 2 is one request and one retry
            assertThat(flakyProxy.injectedFailures() - injected).isEqualTo(2);
        }
        finally {
            flakyProxy.failNextRequests(0);
        }
    }

    @Test
    public void testEndpointThatNeverAnswersDoesNotStallListings()
    {
        // the readers of every format loaded, so that the listing's deadline measures the stores, not class loading
        assertQuery("SELECT count(*) FROM customer_service.customer_orders", "VALUES " + SampleMesh.CUSTOMER_ORDER_COUNT);
        assertQuery("SELECT count(*) FROM logistics.shipments", "VALUES " + SampleMesh.shipments().size());
        String listing = "SELECT DISTINCT table_schema || '.' || table_name FROM information_schema.columns";

        long start = System.nanoTime();
        List<Object> tables = computeActual(listing).getOnlyColumnAsSet().stream().toList();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(tables)
                .contains("sales.orders", "customer_service.customer_profile", "customer_service.customer_orders", "logistics.shipments", "finance.entries", "flaky.orders")
                .doesNotContain("hanging.orders");
        assertThat(elapsed).isLessThan(LISTING_TIMEOUT.plusSeconds(5)).isLessThan(HANG_TIME);

        // the table that did not answer is passed over without waiting for it again
        start = System.nanoTime();
        assertThat(computeActual(listing).getOnlyColumnAsSet())
                .contains("sales.orders", "finance.entries")
                .doesNotContain("hanging.orders");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LISTING_TIMEOUT);

        // a query on it still reads it, and says why it cannot
        start = System.nanoTime();
        assertThat(failure("SELECT count(*) FROM hanging.orders"))
                .isEqualTo("Cannot list the files of asset 'orders' of data product 'hanging-data-product' (domain hanging) at s3://data-mesh/sales/orders: Failed to list location: s3://data-mesh/sales/orders: " +
                        "the S3 endpoint did not answer in time (Read timed out, in 1 attempt): check that it is up, or raise mesh.storage.hanging.s3.socket-connect-timeout or mesh.storage.hanging.s3.socket-read-timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(HANG_TIME);
    }

    @Test
    public void testRoleAssumedThroughSts()
    {
        assertQuery("SELECT count(*) FROM assumed.entries", "VALUES " + LEDGER_ROWS);
        // the caller's own keys went to STS only: s3proxy knows nothing of them
        assertThat(sts.requests()).contains(new LoopbackSts.AssumeRole(ROLE, "mesh", "caller-access-key"));
    }

    @Test
    public void testCredentialsThatStsDoesNotGive()
    {
        assertThat(failure("SELECT count(*) FROM unassumable.entries"))
                .isEqualTo(("Cannot list the files of asset 'entries' of data product 'unassumable-data-product' (domain unassumable) at s3://remote/ledger: Failed to list location: s3://remote/ledger: " +
                        "the credentials of storage profile 'sts-down' could not be obtained: assuming role %1$s at the STS endpoint http://127.0.0.1:%2$s failed: " +
                        "cannot connect (Connect to 127.0.0.1:%2$s [/127.0.0.1] failed: Connection refused); " +
                        "check mesh.storage.sts-down.s3.iam-role, mesh.storage.sts-down.s3.external-id and mesh.storage.sts-down.s3.sts.endpoint, and that STS is reachable from every node and lets the caller assume the role")
                        .formatted(ROLE, closedPort));
        assertThat(failure("SELECT count(*) FROM untrusted.entries"))
                .isEqualTo(("Cannot list the files of asset 'entries' of data product 'untrusted-data-product' (domain untrusted) at s3://remote/ledger: Failed to list location: s3://remote/ledger: " +
                        "the credentials of storage profile 'untrusted-role' could not be obtained: assuming role arn:aws:iam::123456789012:role/not-trusting-the-mesh at the STS endpoint %1$s failed: " +
                        "STS answered AccessDenied (HTTP 403): Not authorized to perform sts:AssumeRole on arn:aws:iam::123456789012:role/not-trusting-the-mesh; " +
                        "check mesh.storage.untrusted-role.s3.iam-role, mesh.storage.untrusted-role.s3.external-id and mesh.storage.untrusted-role.s3.sts.endpoint, and that STS is reachable from every node and lets the caller assume the role")
                        .formatted(sts.endpoint()));
    }

    @Test
    public void testProfilePropertiesAreTrinosS3Properties()
    {
        assertThatThrownBy(() -> getQueryRunner().createCatalog("mesh_typo", "data_mesh", ImmutableMap.of(
                "mesh.descriptors.directory", products.toString(),
                "mesh.storage.finance.s3.endpont", financeServer.endpoint().toString())))
                .hasMessageContaining("Configuration property 'mesh.storage.finance.s3.endpont' was not used");
        assertThatThrownBy(() -> getQueryRunner().createCatalog("mesh_bad_retries", "data_mesh", ImmutableMap.of(
                "mesh.descriptors.directory", products.toString(),
                "mesh.storage.finance.s3.max-error-retries", "-1")))
                .hasMessageContaining("mesh.storage.finance.s3.max-error-retries");
    }

    private String failure(String sql)
    {
        try {
            computeActual(sql);
        }
        catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("query did not fail: " + sql);
    }

    private static void writeLedger(Path file)
            throws IOException
    {
        List<List<Object>> rows = new ArrayList<>(LEDGER_ROWS);
        for (long id = 0; id < LEDGER_ROWS; id++) {
            rows.add(List.of(id, id * 0.5, utf8Slice("entry %s of the ledger".formatted(id))));
        }
        ParquetFileWriter.write(file, ImmutableList.of("entry_id", "amount", "memo"), ImmutableList.of(BIGINT, DOUBLE, VARCHAR), rows, DataSize.of(256, DataSize.Unit.KILOBYTE));
    }

    private static void writeProduct(Path products, String domain, String product, String storage, String asset, String format, String location)
            throws IOException
    {
        DataProductYaml descriptor = dataProduct(product, domain, domain + "-team").asset(asset(asset, format).location(location));
        if (storage != null) {
            descriptor.storage(storage);
        }
        descriptor.writeTo(products.resolve(product + ".yaml"));
    }

    private static Map<String, String> s3Properties(String prefix, String endpoint, String accessKey, String secretKey)
    {
        return ImmutableMap.of(
                prefix + "s3.endpoint", endpoint,
                prefix + "s3.region", "us-east-1",
                prefix + "s3.path-style-access", "true",
                prefix + "s3.aws-access-key", accessKey,
                prefix + "s3.aws-secret-key", secretKey);
    }

    private static Map<String, String> roleProperties(String prefix, URI endpoint, String stsEndpoint, String role)
    {
        return ImmutableMap.<String, String>builder()
                .putAll(s3Properties(prefix, endpoint.toString(), "caller-access-key", "caller-secret-key"))
                .put(prefix + "s3.iam-role", role)
                .put(prefix + "s3.external-id", "mesh")
                .put(prefix + "s3.sts.endpoint", stsEndpoint)
                .buildOrThrow();
    }

    private static S3FileSystemConfig s3Config(S3ProxyServer server)
    {
        return new S3FileSystemConfig()
                .setEndpoint(server.endpoint().toString())
                .setRegion("us-east-1")
                .setPathStyleAccess(true)
                .setAwsAccessKey(server.accessKey())
                .setAwsSecretKey(server.secretKey());
    }

    private static TrinoFileSystem fileSystem(S3FileSystemConfig config)
    {
        return new S3FileSystemFactory(OpenTelemetry.noop(), config, new S3FileSystemStats()).create(ConnectorIdentity.ofUser("test"));
    }
}
