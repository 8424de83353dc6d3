package dev.datamesh.trino;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datamesh.registry.testing.TestFiles;
import io.trino.jdbc.TrinoResultSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit's promise when the coordinator dies: a real server with the packaged plugin and the
 * sample mesh, clients reading through it as users under masks and row filters, and the server
 * killed with SIGKILL while they do. Every query whose whole result reached its client before
 * the kill has its started line in the audit file, whether or not its completed line made it.
 * Run by failsafe after the zip is built (mvn verify).
 */
final class TestAuditAfterCoordinatorKill
{
    private static final int CLIENTS = 6;
    private static final List<String> USERS = List.of("alice", "carlos", "olivia");

    private record Answered(String queryId, String user) {}

    @Test
    void testEveryAnsweredQueryHasItsStartedLineAfterSigkill()
            throws Exception
    {
        MeshQueryRunner.quietLogging();
        Path meshHome = TestFiles.temporaryDirectory("audit-kill");
        SampleMeshDirectory.createIn(meshHome.resolve("etc/mesh"));
        int port = TrinoServerProcess.freePort();
        TrinoServerProcess.Builder builder = TrinoServerProcess.builder()
                .withConfigProperties("""
                        http-server.http.port=%s
                        discovery.uri=http://127.0.0.1:%s
                        """.formatted(port, port))
                .withNodeProperties(Files.readString(SampleMeshDirectory.repositoryRoot().resolve("etc/node.properties")))
                .withEnvironment("DATA_MESH_HOME", meshHome.toString());
        Path repositoryEtc = SampleMeshDirectory.repositoryRoot().resolve("etc");
        for (String file : List.of("catalog/mesh.properties", "access-control.properties", "group-provider.properties")) {
            builder.withEtcFile(file, Files.readString(repositoryEtc.resolve(file)));
        }
        String url = "jdbc:trino://localhost:%s/mesh".formatted(port);
        try (TrinoServerProcess server = builder.start(Duration.ofMinutes(3), () -> TrinoServerProcess.answersSampleQuery(() -> connect(url, "olivia")))) {
            AtomicBoolean killed = new AtomicBoolean();
            ConcurrentLinkedQueue<Answered> answered = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> clients = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    String user = USERS.get(client % USERS.size());
                    clients.add(executor.submit(() -> query(url, user, killed, answered, failures)));
                }
                Thread.sleep(15_000);
                // answers counted from here on may have come after the kill: none is expected, as the server is gone
                killed.set(true);
                server.kill();
                for (Future<?> client : clients) {
                    client.get();
                }
            }
            finally {
                executor.shutdownNow();
            }
            assertThat(failures).as("queries that failed before the kill").isEmpty();
            assertThat(answered).as("queries answered before the kill").hasSizeGreaterThan(20);

            Map<String, Set<String>> audit = auditLines(server.dataDirectory().resolve("var/log/mesh-audit.json"));
            assertThat(answered).allSatisfy(query -> assertThat(audit.getOrDefault(query.queryId(), Set.of()))
                    .as("the audit lines of %s, answered to %s before the kill", query.queryId(), query.user())
                    .contains("started " + query.user()));
            long withoutCompletedLine = answered.stream()
                    .filter(query -> !audit.getOrDefault(query.queryId(), Set.of()).contains("completed " + query.user()))
                    .count();
            System.out.println("audit after SIGKILL: %s queries answered, every one with its started line, %s without a completed line".formatted(answered.size(), withoutCompletedLine));
        }
    }

    private static void query(String url, String user, AtomicBoolean killed, ConcurrentLinkedQueue<Answered> answered, ConcurrentLinkedQueue<String> failures)
    {
        while (!killed.get()) {
            long customerId = 1 + ThreadLocalRandom.current().nextInt(5000);
            try (Connection connection = connect(url, user);
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT customer_id, email, region FROM mesh.customer_service.customer_profile WHERE customer_id BETWEEN %s AND %s".formatted(customerId, customerId + 20))) {
                String queryId = rs.unwrap(TrinoResultSet.class).getQueryId();
                while (rs.next()) {
                    assertThat(rs.getLong("customer_id")).isBetween(customerId, customerId + 20);
                }
                if (!killed.get()) {
                    answered.add(new Answered(queryId, user));
                }
            }
            catch (SQLException e) {
                if (!killed.get()) {
                    failures.add(user + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Each query's lines as "event user".
     */
    private static Map<String, Set<String>> auditLines(Path auditFile)
            throws Exception
    {
        ObjectMapper json = new ObjectMapper();
        Map<String, Set<String>> lines = new HashMap<>();
        for (String line : Files.readAllLines(auditFile)) {
            // a line cut by the kill cannot be read, and is no line of a query
            if (!line.endsWith("}")) {
                continue;
            }
            JsonNode node = json.readTree(line);
            lines.computeIfAbsent(node.get("query_id").asText(), _ -> new HashSet<>()).add(node.get("event").asText() + " " + node.get("user").asText());
        }
        return lines;
    }

    private static Connection connect(String url, String user)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        return DriverManager.getConnection(url, properties);
    }
}
