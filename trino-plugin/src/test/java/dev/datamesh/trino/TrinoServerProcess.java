package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.testing.TestFiles;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trino-server-core 476 from the tarball the build unpacks, with the packaged plugin zip
 * installed as plugin/data-mesh, started by its own launcher in a process of its own. The server
 * and its etc/ and data/ folders are temporary; closing stops the process. A coordinator by
 * default; the nodes of a cluster share one installation ({@link #installServer()}), each with
 * its own etc/ and data/ folders. Used by the failsafe tests, which run after the zip is built
 * (mvn verify).
 */
public final class TrinoServerProcess
        implements AutoCloseable
{
    private final Path serverDirectory;
    private final Path etcDirectory;
    private final Path dataDirectory;
    private final Map<String, String> environment;

    private TrinoServerProcess(Path serverDirectory, Path etcDirectory, Path dataDirectory, Map<String, String> environment)
    {
        this.serverDirectory = requireNonNull(serverDirectory, "serverDirectory is null");
        this.etcDirectory = requireNonNull(etcDirectory, "etcDirectory is null");
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.environment = ImmutableMap.copyOf(requireNonNull(environment, "environment is null"));
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The server's --data-dir, under which it writes var/log/server.log.
     */
    public Path dataDirectory()
    {
        return dataDirectory;
    }

    /**
     * The process id of the server's JVM, from the pid file its launcher keeps under the data directory.
     */
    public long pid()
            throws IOException
    {
        return Long.parseLong(Files.readString(dataDirectory.resolve("var/run/launcher.pid")).strip());
    }

    /**
     * Ends the server's JVM at once with SIGKILL, as a crash of its machine would: no shutdown
     * hook runs, the coordinator is not told. Returns once the signal is sent (the JVM is no
     * child of this one, so its end is not waited for).
     */
    public void kill()
            throws IOException
    {
        ProcessHandle process = ProcessHandle.of(pid()).orElseThrow(() -> new IllegalStateException("no process for the pid file of " + dataDirectory));
        assertThat(process.destroyForcibly()).as("SIGKILL sent").isTrue();
    }

    @Override
    public void close()
            throws IOException, InterruptedException
    {
        // the launcher says "Not running" and succeeds for a server that was killed
        launcher("stop");
    }

    /**
     * Unpacks the Trino server from the tarball the build fetched into a temporary folder and
     * installs the packaged plugin zip into it.
     *
     * @return the server's installation folder, with bin/launcher
     */
    public static Path installServer()
            throws IOException, InterruptedException
    {
        Path serverDirectory = unpackServer(Path.of(requiredProperty("trino.server.tarball")));
        installPlugin(Path.of(requiredProperty("data-mesh.plugin.zip")), serverDirectory.resolve("plugin/data-mesh"));
        return serverDirectory;
    }

    /**
     * A connection to a server under test, as one of its users.
     */
    public interface Connector
    {
        Connection connect()
                throws SQLException;
    }

    /**
     * Whether the server answers a query on the sample's customer profiles: a coordinator reports
     * started a moment before it has announced itself, or its workers, for the catalog.
     */
    public static boolean answersSampleQuery(Connector connector)
    {
        try (Connection connection = connector.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT customer_id FROM mesh.customer_service.customer_profile LIMIT 1")) {
            return rs.next();
        }
        catch (SQLException e) {
            return false;
        }
    }

    public static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A PKCS12 keystore with a self-signed certificate for localhost and 127.0.0.1, made by the
     * JDK's keytool; the JDBC driver takes it as its trust store too.
     */
    static void createLocalhostKeystore(Path keystore, String password)
            throws IOException, InterruptedException
    {
        Process keytool = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "trino", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", password, "-keypass", password)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(keytool.waitFor()).as("keytool -genkeypair").isZero();
    }

    /**
     * Fails with the end of the server log unless the server's process runs.
     */
    public void checkRunning()
            throws IOException, InterruptedException
    {
        if (runLauncher("status") != 0) {
            throw new AssertionError("Trino stopped (%s); server.log ends with:\n%s".formatted(dataDirectory, serverLogTail()));
        }
    }

    /**
     * Returns once the condition holds; fails with the end of the server log if it does not
     * within the timeout or the server stopped.
     *
     * @param answersQueries whether the server is ready, false while it starts
     */
    public void awaitStarted(Duration timeout, Callable<Boolean> answersQueries)
            throws Exception
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            // not /v1/info: it reports started before the coordinator serves queries on its catalogs
            if (answersQueries.call()) {
                return;
            }
            if (runLauncher("status") != 0) {
                break;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("Trino did not start (waited at most " + timeout + "); server.log ends with:\n" + serverLogTail());
    }

    private String serverLogTail()
            throws IOException
    {
        Path log = dataDirectory.resolve("var/log/server.log");
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        // Guice lists the errors that stopped a catalog far above the end of its stack trace
        List<String> errors = lines.stream().filter(line -> line.matches("^\\d+\\) .*") || line.startsWith("Caused by: ")).limit(10).toList();
        return String.join("\n", errors) + (errors.isEmpty() ? "" : "\n...\n") + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
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
        process.environment().putAll(environment);
        return process.start().waitFor();
    }

    private static Path unpackServer(Path tarball)
            throws IOException, InterruptedException
    {
        Path target = TestFiles.temporaryDirectory("trino-server-core");
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", target.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(tar.waitFor()).as("tar -xzf " + tarball).isZero();
        try (Stream<Path> entries = Files.list(target)) {
            return entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private static void installPlugin(Path zip, Path pluginDirectory)
            throws IOException
    {
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

    private static String requiredProperty(String name)
    {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property %s is not set; run this test with mvn verify, which builds the plugin zip and unpacks the Trino server".formatted(name));
        }
        return value;
    }

    public static final class Builder
    {
        private final StringBuilder configProperties = new StringBuilder();
        private boolean coordinator = true;
        private boolean workOnCoordinator = true;
        private Path serverDirectory;
        private String nodeProperties = "node.environment=test\nnode.id=data-mesh-it\n";
        private final ImmutableMap.Builder<String, String> etcFiles = ImmutableMap.builder();
        private final ImmutableMap.Builder<String, String> environment = ImmutableMap.builder();

        private Builder() {}

        /**
         * A worker (coordinator=false) instead of a coordinator; it needs discovery.uri and its
         * own http-server.http.port in {@link #withConfigProperties}.
         */
        public Builder worker()
        {
            coordinator = false;
            return this;
        }

        /**
         * A coordinator that schedules no work on itself (node-scheduler.include-coordinator=false):
         * the workers run every task that reads data.
         */
        public Builder noWorkOnCoordinator()
        {
            workOnCoordinator = false;
            return this;
        }

        /**
         * The installation to run, shared by the nodes of a cluster, instead of one unpacked for this server.
         */
        public Builder withServer(Path serverDirectory)
        {
            this.serverDirectory = requireNonNull(serverDirectory, "serverDirectory is null");
            return this;
        }

        /**
         * Lines for etc/config.properties beside the role and memory settings every test
         * server has: the HTTP, HTTPS, authentication and discovery settings.
         */
        public Builder withConfigProperties(String lines)
        {
            configProperties.append(requireNonNull(lines, "lines is null"));
            return this;
        }

        /**
         * The content of etc/node.properties, instead of a test environment's.
         */
        public Builder withNodeProperties(String content)
        {
            nodeProperties = requireNonNull(content, "content is null");
            return this;
        }

        /**
         * A file of etc/, such as catalog/mesh.properties or password-authenticator.properties.
         */
        public Builder withEtcFile(String relativePath, String content)
        {
            etcFiles.put(relativePath, content);
            return this;
        }

        /**
         * A variable for the launcher and the server, such as one the etc/ files name with ${ENV:...}.
         */
        public Builder withEnvironment(String name, String value)
        {
            environment.put(name, value);
            return this;
        }

        /**
         * Starts the server and waits until it answers queries; if it does not within the
         * timeout, stops it and fails with the end of its log.
         *
         * @param answersQueries whether a query through the server succeeds, false while it starts
         */
        public TrinoServerProcess start(Duration timeout, Callable<Boolean> answersQueries)
                throws Exception
        {
            TrinoServerProcess server = launch();
            try {
                server.awaitStarted(timeout, answersQueries);
            }
            catch (Throwable e) {
                // nobody else holds the process to stop it
                try {
                    server.close();
                }
                catch (Exception stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                throw e;
            }
            return server;
        }

        /**
         * Writes the server's etc/ and has its launcher start it, without waiting until it has
         * started ({@link TrinoServerProcess#awaitStarted}), so that the nodes of a cluster start
         * side by side. The caller stops it.
         */
        public TrinoServerProcess launch()
                throws IOException, InterruptedException
        {
            Path installation = serverDirectory == null ? installServer() : serverDirectory;
            Path root = TestFiles.temporaryDirectory("trino-server-process");
            Path etcDirectory = Files.createDirectories(root.resolve("etc"));
            Path dataDirectory = Files.createDirectories(root.resolve("data"));
            String role = coordinator
                    ? "coordinator=true\nnode-scheduler.include-coordinator=%s\nquery.max-memory=512MB\n".formatted(workOnCoordinator)
                    : "coordinator=false\n";
            Files.writeString(etcDirectory.resolve("config.properties"), role + "query.max-memory-per-node=256MB\n" + configProperties);
            Files.writeString(etcDirectory.resolve("node.properties"), nodeProperties);
            Files.writeString(etcDirectory.resolve("jvm.config"), String.join("\n",
                    "-server", "-Xmx1G", "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading", ""));
            for (Map.Entry<String, String> file : etcFiles.buildOrThrow().entrySet()) {
                Path target = etcDirectory.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }

            TrinoServerProcess server = new TrinoServerProcess(installation, etcDirectory, dataDirectory, environment.buildOrThrow());
            server.launcher("start");
            return server;
        }
    }
}
