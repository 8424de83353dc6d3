package dev.datamesh.trino.loadtest;

import com.google.common.collect.ImmutableList;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.sample.S3SampleMesh;
import dev.datamesh.trino.MeshQueryRunner;
import dev.datamesh.trino.SampleMeshDirectory;
import dev.datamesh.trino.TrinoServerProcess;
import dev.datamesh.trino.loadtest.CoordinatorHeap.Heap;
import dev.datamesh.trino.s3.S3ProxyServer;
import io.trino.filesystem.s3.S3FileSystemConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.datamesh.registry.testing.TestFiles.copyTree;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.util.Objects.requireNonNull;

/**
 * The mesh under load: a real Trino 476 server (trino-server-core, started by its launcher in a
 * process of its own) with the packaged plugin and the sample mesh in S3 (s3proxy), configured
 * with the repository's access control and group provider, and N JDBC clients as the sample's
 * users, each running masked reads, row-filtered aggregates, a join across the three formats and
 * two domains, a sales aggregate, a denied table and the catalog table for a fixed time, every
 * answer checked against what that user must get ({@link SampleAnswers}). Meanwhile
 * {@link Faults}: descriptor edits, policy reloads, the S3 store stopped and started again, and
 * with workers ({@link LoadCluster}) one of them killed and started again. At the end, the audit
 * file against the queries issued, and the coordinator's heap after a full collection, as at the
 * start.
 *
 * <p>{@code bin/mesh loadtest [options]} runs it ({@link #main}); {@code TestLoadShort} runs a
 * short one in CI.
 */
public final class LoadTest
{
    private static final String ACCESS_KEY = "load-test-access-key";
    private static final String SECRET_KEY = "load-test-secret-key";
    private static final String BUCKET = "data-mesh";
    private static final Duration DESCRIPTORS_REFRESH = Duration.ofSeconds(2);
    private static final Duration POLICIES_REFRESH = Duration.ofSeconds(2);

    private LoadTest() {}

    /**
     * @param clients concurrent JDBC clients, the sample's users in turn
     * @param duration how long the clients issue queries
     * @param descriptorEdits the period of descriptor edits (zero: none)
     * @param policyReloads the period of policy reloads (zero: none)
     * @param s3OutageAt when the S3 store is stopped, after the start
     * @param s3Outage how long it stays stopped (zero: it is not)
     * @param workers worker processes (zero: the coordinator alone, doing the work)
     * @param workerRestartAt when the last worker is killed, after the start
     * @param workerDown how long it stays down before a worker with its node id starts
     * @param grace how long after a fault ends its errors are still expected
     * @param heap each node's -Xmx
     * @param logs where to copy the coordinator's log and the audit file at the end, if anywhere
     */
    record Options(int clients, Duration duration, Duration descriptorEdits, Duration policyReloads, Duration s3OutageAt, Duration s3Outage,
            int workers, Duration workerRestartAt, Duration workerDown, Duration grace, String heap, Optional<Path> logs)
    {
        static final String USAGE = """
                options: --clients N (16), --duration SECONDS (120), --descriptor-edits SECONDS (5, 0: none),
                  --policy-reloads SECONDS (7, 0: none), --s3-outage SECONDS (20, 0: none), --s3-outage-at SECONDS (a third of the duration),
                  --workers N (0: a single node), --worker-restart-at SECONDS (two thirds of the duration), --worker-down SECONDS (10),
                  --grace SECONDS (10), --heap SIZE (1G, each node's -Xmx), --logs FOLDER (copy the coordinator's log and the audit file there)""";

        Options
        {
            checkArgument(clients > 0, "clients must be positive");
            checkArgument(!duration.isNegative() && !duration.isZero(), "duration must be positive");
            checkArgument(workers >= 0, "workers must not be negative");
            requireNonNull(heap, "heap is null");
            requireNonNull(logs, "logs is null");
        }

        /**
         * The options of a single node without workers.
         */
        Options(int clients, Duration duration, Duration descriptorEdits, Duration policyReloads, Duration s3OutageAt, Duration s3Outage, Duration grace, String heap, Optional<Path> logs)
        {
            this(clients, duration, descriptorEdits, policyReloads, s3OutageAt, s3Outage, 0, Duration.ZERO, Duration.ZERO, grace, heap, logs);
        }

        static Options parse(String[] args)
        {
            int clients = 16;
            Duration duration = Duration.ofSeconds(120);
            Duration descriptorEdits = Duration.ofSeconds(5);
            Duration policyReloads = Duration.ofSeconds(7);
            Optional<Duration> s3OutageAt = Optional.empty();
            Duration s3Outage = Duration.ofSeconds(20);
            int workers = 0;
            Optional<Duration> workerRestartAt = Optional.empty();
            Duration workerDown = Duration.ofSeconds(10);
            Duration grace = Duration.ofSeconds(10);
            String heap = "1G";
            Optional<Path> logs = Optional.empty();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help")) {
                    throw new IllegalArgumentException(USAGE);
                }
                checkArgument(i + 1 < args.length, "%s needs a value", option);
                String value = args[++i];
                switch (option) {
                    case "--clients" -> clients = Integer.parseInt(value);
                    case "--duration" -> duration = seconds(value);
                    case "--descriptor-edits" -> descriptorEdits = seconds(value);
                    case "--policy-reloads" -> policyReloads = seconds(value);
                    case "--s3-outage" -> s3Outage = seconds(value);
                    case "--s3-outage-at" -> s3OutageAt = Optional.of(seconds(value));
                    case "--workers" -> workers = Integer.parseInt(value);
                    case "--worker-restart-at" -> workerRestartAt = Optional.of(seconds(value));
                    case "--worker-down" -> workerDown = seconds(value);
                    case "--grace" -> grace = seconds(value);
                    case "--heap" -> heap = value;
                    case "--logs" -> logs = Optional.of(Path.of(value).toAbsolutePath());
                    default -> throw new IllegalArgumentException("unknown option %s\n%s".formatted(option, USAGE));
                }
            }
            Options options = new Options(clients, duration, descriptorEdits, policyReloads, s3OutageAt.orElse(duration.dividedBy(3)), s3Outage,
                    workers, workerRestartAt.orElse(duration.multipliedBy(2).dividedBy(3)), workerDown, grace, heap, logs);
            options.validate();
            return options;
        }

        void validate()
        {
            checkArgument(s3Outage.isZero() || s3OutageAt.plus(s3Outage).compareTo(duration) < 0, "the S3 outage (%s s from %s s) must end before the load does (%s s)", s3Outage.toSeconds(), s3OutageAt.toSeconds(), duration.toSeconds());
            checkArgument(workers == 0 || workerRestartAt.plus(workerDown).compareTo(duration) < 0, "the worker restart (down %s s from %s s) must end before the load does (%s s)", workerDown.toSeconds(), workerRestartAt.toSeconds(), duration.toSeconds());
        }

        private static Duration seconds(String value)
        {
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        }
    }

    public static void main(String[] args)
            throws Exception
    {
        Options options;
        try {
            options = Options.parse(args);
        }
        catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LoadReport report = run(options, System.out);
        System.exit(report.passed() ? 0 : 1);
    }

    static LoadReport run(Options options, PrintStream out)
            throws Exception
    {
        options.validate();
        // the sample writers' Iceberg and Delta Kernel report every commit at INFO
        MeshQueryRunner.quietLogging();
        Path root = TestFiles.temporaryDirectory("mesh-load-test");
        // laid out as the repository, for the ${ENV:DATA_MESH_HOME} paths of its etc/ files
        Path meshHome = Files.createDirectories(root.resolve("mesh-home"));
        Path repositoryMesh = SampleMeshDirectory.repositoryRoot().resolve("etc/mesh");
        Path meshEtc = Files.createDirectories(meshHome.resolve("etc/mesh"));
        Files.copy(repositoryMesh.resolve("roles.yaml"), meshEtc.resolve("roles.yaml"));
        Files.copy(repositoryMesh.resolve("groups.txt"), meshEtc.resolve("groups.txt"));
        copyTree(repositoryMesh.resolve("policies"), meshEtc.resolve("policies"));
        Path togglePolicy = meshEtc.resolve("policies/loadtest.yaml");
        Faults.writeInitialPolicy(togglePolicy);

        out.printf("load test: %s clients for %s s, the sample mesh in S3 (s3proxy), Trino 476 with the packaged plugin: %s (-Xmx%s)%n",
                options.clients(), options.duration().toSeconds(),
                options.workers() == 0 ? "one node" : "a coordinator and %s workers".formatted(options.workers()), options.heap());
        try (S3ProxyServer s3 = S3ProxyServer.start(ACCESS_KEY, SECRET_KEY)) {
            Path s3Mesh = root.resolve("s3-mesh");
            Path products = S3SampleMesh.write(repositoryMesh.resolve("products"), s3Mesh, new S3FileSystemConfig()
                    .setEndpoint(s3.endpoint().toString())
                    .setRegion("us-east-1")
                    .setPathStyleAccess(true)
                    .setAwsAccessKey(s3.accessKey())
                    .setAwsSecretKey(s3.secretKey()), BUCKET);
            long serverStart = System.nanoTime();
            int port = TrinoServerProcess.freePort();
            String url = "jdbc:trino://127.0.0.1:%s/mesh".formatted(port);
            try (LoadCluster cluster = startCluster(options, port, meshHome, s3Mesh, s3, url)) {
                TrinoServerProcess server = cluster.coordinator();
                out.printf("server started in %.0f s (coordinator's data folder %s)%n", (System.nanoTime() - serverStart) / 1e9, server.dataDirectory());
                LoadReport report;
                try {
                    report = load(options, cluster, url, products, togglePolicy, root, s3, out);
                }
                finally {
                    if (options.logs().isPresent()) {
                        copyLogs(server.dataDirectory(), options.logs().orElseThrow());
                        out.println("server log, audit file and the coordinator's class histogram at the end copied to " + options.logs().orElseThrow());
                    }
                }
                report.print(out);
                return report;
            }
        }
    }

    private static LoadReport load(Options options, LoadCluster cluster, String url, Path products, Path togglePolicy, Path root, S3ProxyServer s3, PrintStream out)
            throws Exception
    {
        TrinoServerProcess server = cluster.coordinator();
        SampleAnswers answers = new SampleAnswers();
        Heap heapAtStart = CoordinatorHeap.afterFullGc(server.pid());
        out.printf("coordinator heap after a full GC: %s%n", heapAtStart);

        // a query may be decided with the files as they were until the server's next check after a change
        Duration reloadLag = max(DESCRIPTORS_REFRESH, POLICIES_REFRESH).multipliedBy(2).plusSeconds(1);
        Path customerDescriptor = products.resolve("customer-service/customer-data-product.yaml");
        LoadResults results = new LoadResults();
        long start;
        long end;
        List<Throwable> clientFailures = new ArrayList<>();
        try (Faults faults = new Faults(customerDescriptor, togglePolicy, root.resolve("scratch"), s3, reloadLag)) {
            ExecutorService executor = Executors.newFixedThreadPool(options.clients());
            try {
                start = System.nanoTime();
                long deadline = start + options.duration().toNanos();
                // the last worker: killed, and a worker with its node id started after a while
                Optional<Faults.FaultAction> restartWorker = options.workers() == 0
                        ? Optional.empty()
                        : Optional.of(() -> cluster.restartWorker(options.workers(), options.workerDown()));
                faults.start(options.descriptorEdits(), options.policyReloads(), options.s3OutageAt(), options.s3Outage(), options.workerRestartAt(), restartWorker);
                List<Future<Void>> clients = new ArrayList<>();
                for (int client = 0; client < options.clients(); client++) {
                    clients.add(executor.submit(new LoadClient(client, url, answers, faults, options.grace(), results, deadline)));
                }
                for (Future<Void> client : clients) {
                    try {
                        client.get();
                    }
                    catch (ExecutionException e) {
                        clientFailures.add(e.getCause());
                    }
                }
                end = System.nanoTime();
            }
            finally {
                executor.shutdownNow();
            }
            faults.close();
            clientFailures.addAll(faults.failures());
            List<LoadResults.QueryResult> queries = results.results();
            AuditCheck.Result audit = AuditCheck.check(server.dataDirectory().resolve("var/log/mesh-audit.json"), queries, Duration.ofSeconds(60));
            Heap heapAtEnd = CoordinatorHeap.afterFullGc(server.pid());
            CoordinatorHeap.Histogram histogram = CoordinatorHeap.classHistogram(server.pid());
            if (options.logs().isPresent()) {
                Files.createDirectories(options.logs().orElseThrow());
                Files.writeString(options.logs().orElseThrow().resolve("coordinator-class-histogram.txt"), histogram.text());
            }
            return new LoadReport(
                    options,
                    (end - start) / 1e9,
                    queries,
                    faults.descriptorEdits(),
                    faults.policyReloads(),
                    faults.windowDescriptions(),
                    faults.versionsWritten().size(),
                    results.versionsSeen().size(),
                    results.grantRevoked(),
                    results.grantGiven(),
                    results.salesDenied(),
                    results.salesAllowed(),
                    audit,
                    heapAtStart,
                    heapAtEnd,
                    histogram.meshBytes(),
                    histogram.queryInfos(),
                    clientFailures.stream().map(String::valueOf).collect(ImmutableList.toImmutableList()));
        }
    }

    /**
     * A coordinator alone, or with workers (one installation): each node with the same etc/
     * files and the same mesh folders, which the workers do not read (only the coordinator's
     * connector loads the registry), and the embedded default's node properties with its own id.
     */
    private static LoadCluster startCluster(Options options, int port, Path meshHome, Path s3Mesh, S3ProxyServer s3, String url)
            throws Exception
    {
        Path installation = TrinoServerProcess.installServer();
        // how long a node keeps asking a dead one: 1 minute each by default, 10 s as the cluster test has it
        String cluster = options.workers() == 0 ? "" : """
                exchange.max-error-duration=10s
                query.remote-task.max-error-duration=10s
                """;
        String discovery = "discovery.uri=http://127.0.0.1:%s\n".formatted(port) + cluster;
        TrinoServerProcess.Builder coordinator = node(installation, "data-mesh-coordinator", meshHome, s3Mesh, s3, options.heap())
                .withConfigProperties("http-server.http.port=%s\n".formatted(port) + discovery);
        return LoadCluster.start(url, options.workers(), coordinator, nodeId -> {
            try {
                return node(installation, nodeId, meshHome, s3Mesh, s3, options.heap())
                        .worker()
                        .withConfigProperties("http-server.http.port=%s\n".formatted(TrinoServerProcess.freePort()) + discovery);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, () -> TrinoServerProcess.answersSampleQuery(() -> connect(url, "olivia")));
    }

    private static TrinoServerProcess.Builder node(Path installation, String nodeId, Path meshHome, Path s3Mesh, S3ProxyServer s3, String heap)
            throws IOException
    {
        Path repositoryEtc = SampleMeshDirectory.repositoryRoot().resolve("etc");
        return TrinoServerProcess.builder()
                .withServer(installation)
                // the embedded default's: loopback only, plain HTTP, the user named by the client
                .withNodeProperties(Files.readString(repositoryEtc.resolve("node.properties")).replaceFirst("(?m)^node\\.id=.*$", "node.id=" + nodeId))
                // no -XX:+ExplicitGCInvokesConcurrent: jcmd GC.run makes a full collection
                .withEtcFile("jvm.config", String.join("\n",
                        "-server", "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading", ""))
                // as bin/mesh start --s3 writes it, the files checked for changes more often
                .withEtcFile("catalog/mesh.properties", """
                        connector.name=data_mesh
                        mesh.descriptors.directory=%s
                        mesh.domains-file=%s
                        mesh.descriptors.refresh-period=%ss
                        mesh.statistics.location=%s
                        s3.endpoint=%s
                        s3.region=us-east-1
                        s3.path-style-access=true
                        s3.aws-access-key=${ENV:MESH_S3_ACCESS_KEY}
                        s3.aws-secret-key=${ENV:MESH_S3_SECRET_KEY}
                        """.formatted(s3Mesh.resolve("products"), s3Mesh.resolve("domains.yaml"), DESCRIPTORS_REFRESH.toSeconds(), meshHome.resolve("var/statistics"), s3.endpoint()))
                .withEtcFile("access-control.properties", Files.readString(repositoryEtc.resolve("access-control.properties"))
                        + "mesh.security.refresh-period=%ss\n".formatted(POLICIES_REFRESH.toSeconds()))
                .withEtcFile("group-provider.properties", Files.readString(repositoryEtc.resolve("group-provider.properties")))
                .withEnvironment("DATA_MESH_HOME", meshHome.toString())
                .withEnvironment("MESH_S3_ACCESS_KEY", s3.accessKey())
                .withEnvironment("MESH_S3_SECRET_KEY", s3.secretKey());
    }

    private static Connection connect(String url, String user)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        return DriverManager.getConnection(url, properties);
    }

    private static void copyLogs(Path dataDirectory, Path target)
            throws IOException
    {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(dataDirectory.resolve("var/log"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, target.resolve(file.getFileName()), REPLACE_EXISTING);
            }
        }
    }

    private static Duration max(Duration left, Duration right)
    {
        return left.compareTo(right) >= 0 ? left : right;
    }
}
