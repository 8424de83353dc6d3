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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * {@link Faults}: descriptor edits, policy reloads, the S3 store stopped and started again. At
 * the end, the audit file against the queries issued, and the coordinator's heap after a full
 * collection, as at the start.
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
     * @param grace how long after a fault ends its errors are still expected
     * @param heap the coordinator's -Xmx
     * @param logs where to copy the server's log and the audit file at the end, if anywhere
     */
    record Options(int clients, Duration duration, Duration descriptorEdits, Duration policyReloads, Duration s3OutageAt, Duration s3Outage, Duration grace, String heap, Optional<Path> logs)
    {
        static final String USAGE = """
                options: --clients N (16), --duration SECONDS (120), --descriptor-edits SECONDS (5, 0: none),
                  --policy-reloads SECONDS (7, 0: none), --s3-outage SECONDS (20, 0: none), --s3-outage-at SECONDS (a third of the duration),
                  --grace SECONDS (10), --heap SIZE (1G, the coordinator's -Xmx), --logs FOLDER (copy the server log and audit file there)""";

        Options
        {
            checkArgument(clients > 0, "clients must be positive");
            checkArgument(!duration.isNegative() && !duration.isZero(), "duration must be positive");
            requireNonNull(heap, "heap is null");
            requireNonNull(logs, "logs is null");
        }

        static Options defaults()
        {
            return new Options(16, Duration.ofSeconds(120), Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofSeconds(40), Duration.ofSeconds(20), Duration.ofSeconds(10), "1G", Optional.empty());
        }

        static Options parse(String[] args)
        {
            Options options = defaults();
            boolean outageAtGiven = false;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help")) {
                    throw new IllegalArgumentException(USAGE);
                }
                checkArgument(i + 1 < args.length, "%s needs a value", option);
                String value = args[++i];
                options = switch (option) {
                    case "--clients" -> options.withClients(Integer.parseInt(value));
                    case "--duration" -> options.withDuration(seconds(value));
                    case "--descriptor-edits" -> new Options(options.clients, options.duration, seconds(value), options.policyReloads, options.s3OutageAt, options.s3Outage, options.grace, options.heap, options.logs);
                    case "--policy-reloads" -> new Options(options.clients, options.duration, options.descriptorEdits, seconds(value), options.s3OutageAt, options.s3Outage, options.grace, options.heap, options.logs);
                    case "--s3-outage" -> new Options(options.clients, options.duration, options.descriptorEdits, options.policyReloads, options.s3OutageAt, seconds(value), options.grace, options.heap, options.logs);
                    case "--s3-outage-at" -> {
                        outageAtGiven = true;
                        yield new Options(options.clients, options.duration, options.descriptorEdits, options.policyReloads, seconds(value), options.s3Outage, options.grace, options.heap, options.logs);
                    }
                    case "--grace" -> new Options(options.clients, options.duration, options.descriptorEdits, options.policyReloads, options.s3OutageAt, options.s3Outage, seconds(value), options.heap, options.logs);
                    case "--heap" -> new Options(options.clients, options.duration, options.descriptorEdits, options.policyReloads, options.s3OutageAt, options.s3Outage, options.grace, value, options.logs);
                    case "--logs" -> new Options(options.clients, options.duration, options.descriptorEdits, options.policyReloads, options.s3OutageAt, options.s3Outage, options.grace, options.heap, Optional.of(Path.of(value).toAbsolutePath()));
                    default -> throw new IllegalArgumentException("unknown option %s\n%s".formatted(option, USAGE));
                };
            }
            if (!outageAtGiven) {
                options = new Options(options.clients, options.duration, options.descriptorEdits, options.policyReloads, options.duration.dividedBy(3), options.s3Outage, options.grace, options.heap, options.logs);
            }
            options.validate();
            return options;
        }

        void validate()
        {
            checkArgument(s3Outage.isZero() || s3OutageAt.plus(s3Outage).compareTo(duration) < 0, "the S3 outage (%s s from %s s) must end before the load does (%s s)", s3Outage.toSeconds(), s3OutageAt.toSeconds(), duration.toSeconds());
        }

        Options withClients(int clients)
        {
            return new Options(clients, duration, descriptorEdits, policyReloads, s3OutageAt, s3Outage, grace, heap, logs);
        }

        Options withDuration(Duration duration)
        {
            return new Options(clients, duration, descriptorEdits, policyReloads, s3OutageAt, s3Outage, grace, heap, logs);
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

        out.printf("load test: %s clients for %s s, the sample mesh in S3 (s3proxy), Trino 476 with the packaged plugin (-Xmx%s)%n", options.clients(), options.duration().toSeconds(), options.heap());
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
            try (TrinoServerProcess server = startServer(port, meshHome, s3Mesh, s3, options.heap(), url)) {
                out.printf("server started in %.0f s (data folder %s)%n", (System.nanoTime() - serverStart) / 1e9, server.dataDirectory());
                LoadReport report;
                try {
                    report = load(options, server, url, products, togglePolicy, root, s3, out);
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

    private static LoadReport load(Options options, TrinoServerProcess server, String url, Path products, Path togglePolicy, Path root, S3ProxyServer s3, PrintStream out)
            throws Exception
    {
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
                faults.start(options.descriptorEdits(), options.policyReloads(), options.s3OutageAt(), options.s3Outage());
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

    private static TrinoServerProcess startServer(int port, Path meshHome, Path s3Mesh, S3ProxyServer s3, String heap, String url)
            throws Exception
    {
        Path repositoryEtc = SampleMeshDirectory.repositoryRoot().resolve("etc");
        TrinoServerProcess.Builder builder = TrinoServerProcess.builder()
                .withConfigProperties("""
                        http-server.http.port=%s
                        discovery.uri=http://127.0.0.1:%s
                        """.formatted(port, port))
                // the embedded default's: loopback only, plain HTTP, the user named by the client
                .withNodeProperties(Files.readString(repositoryEtc.resolve("node.properties")))
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
        return builder.start(Duration.ofMinutes(3), () -> answersQueries(url));
    }

    private static boolean answersQueries(String url)
    {
        Properties properties = new Properties();
        properties.setProperty("user", "olivia");
        try (Connection connection = DriverManager.getConnection(url, properties);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT customer_id FROM mesh.customer_service.customer_profile LIMIT 1")) {
            return rs.next();
        }
        catch (SQLException e) {
            return false;
        }
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
