package dev.datamesh.trino.statistics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.iceberg.IcebergTableException;
import dev.datamesh.trino.MeshQueryRunner;
import dev.datamesh.trino.SampleMeshDirectory;
import dev.datamesh.trino.delta.TrinoExtendedStatisticsFile;
import dev.datamesh.trino.security.GovernedMeshRunner;
import io.trino.Session;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.datamesh.iceberg.testing.IcebergTestTables.jdbcCatalog;
import static dev.datamesh.iceberg.testing.IcebergTestTables.writingCatalogs;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD;

/**
 * ANALYZE on the sample mesh, one format at a time: the distinct values it computes are shown
 * while the data is the data it read, and no longer once a file, commit or snapshot changes it,
 * over those Trino's Delta Lake connector left beside a table;
 * who may compute statistics (owners, the platform's statistics role, each reading the whole
 * table in clear); and what statistics users see of masked columns and filtered tables.
 */
@Execution(SAME_THREAD)
public class TestMeshAnalyze
        extends AbstractTestQueryFramework
{
    private static final String STATISTICS_ROLE = """
              statistics-admins:
                description: The platform's statistics service
                users: [dora]
            """;
    // test-only rules on top of the sample's etc/mesh/policies
    private static final String TEST_POLICY = """
            column_masks:
              - name: lifetime-value-in-thousands
                scope: {products: [customer-data-product]}
                columns: {names: [lifetime_value]}
                applies_to: {roles: [analyst]}
                mask: expression
                expression: "${column} / 1000"
            row_filters:
              - name: dora-sees-delivered-shipments
                scope: {products: [shipment-data-product]}
                applies_to: {users: [dora]}
                filter: "status = 'delivered'"
            """;
    // a masked column and a filtered table of the Delta orders, whose statistics Trino's Delta Lake connector may have left
    private static final String DELTA_POLICY = """
            column_masks:
              - name: channel-hashed-for-analysts
                scope: {products: [customer-data-product]}
                columns: {names: [channel]}
                applies_to: {roles: [analyst]}
                mask: hash
            row_filters:
              - name: dora-sees-web-orders
                scope: {products: [customer-data-product], assets: [customer_orders]}
                applies_to: {users: [dora]}
                filter: "channel = 'web'"
            """;
    private static final int DISTINCT_VALUES = 2;
    private static final int ROW_COUNT = 4;
    private static final int LOW = 5;
    private static final int HIGH = 6;

    private GovernedMeshRunner mesh;
    private Path data;
    private Path statistics;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        data = products.resolveSibling("data");
        statistics = temporaryDirectory("mesh-statistics");
        mesh = GovernedMeshRunner.create(
                products,
                ImmutableMap.of("statistics.yaml", TEST_POLICY, "delta-statistics.yaml", DELTA_POLICY),
                STATISTICS_ROLE,
                ImmutableMap.of("mesh.security.statistics-roles", "statistics-admins"),
                // a new Iceberg snapshot is seen by the next query
                ImmutableMap.of("mesh.statistics.location", statistics.toString(), "mesh.iceberg.metadata-cache-ttl", "0s"));
        // the same mesh in a catalog that keeps no statistics
        MeshQueryRunner.createCatalog(mesh.queryRunner(), "mesh_unstored", products, ImmutableMap.of("mesh.domains-file", products.resolveSibling("domains.yaml").toString()));
        return mesh.queryRunner();
    }

    @Test
    public void testParquetStatisticsLastUntilItsFilesChange()
            throws IOException
    {
        String table = "customer_service.customer_profile";
        assertThat(analyze("olivia", table)).isEqualTo(5_000);
        for (String column : List.of("customer_id", "email", "country", "region", "segment", "signup_date", "lifetime_value")) {
            assertDistinctValues("olivia", table, column);
        }
        MaterializedRow countries = statsRow(as("olivia"), table, "country");
        assertThat((Double) countries.getField(1)).as("data size").isCloseTo(10_000.0, withinPercentage(1));
        assertThat(countries.getField(3)).as("nulls fraction").isEqualTo(0.0);
        MaterializedRow signups = statsRow(as("olivia"), table, "signup_date");
        assertThat(signups.getField(LOW)).isEqualTo(single(as("olivia"), "SELECT CAST(min(signup_date) AS varchar) FROM " + table));
        assertThat(signups.getField(HIGH)).isEqualTo(single(as("olivia"), "SELECT CAST(max(signup_date) AS varchar) FROM " + table));
        JsonNode stored = new ObjectMapper().readTree(statistics.resolve("mesh/customer_service/customer_profile.json").toFile());
        assertThat(stored.get("identity").asText()).startsWith("parquet: 2 files, sha256 ");
        assertThat(stored.get("analyzedBy").asText()).isEqualTo("olivia");
        assertThat(stored.get("rowCount").asLong()).isEqualTo(5_000);
        assertThat(stored.at("/columns/country/distinctValuesCount").asLong()).isEqualTo(9);

        // a file added: the stored statistics describe data the table no longer is
        Path profiles = data.resolve("customer-service/customer_profile");
        Path added = Files.copy(profiles.resolve("part-00000.parquet"), profiles.resolve("part-00002.parquet"));
        try {
            assertThat(statsRow(as("olivia"), table, "country").getField(DISTINCT_VALUES)).isNull();
            assertThat(statsRow(as("olivia"), table, null).getField(ROW_COUNT)).isEqualTo(7_500.0);
            assertThat(analyze("olivia", table)).isEqualTo(7_500);
            assertDistinctValues("olivia", table, "country");
        }
        finally {
            Files.delete(added);
        }
        assertThat(statsRow(as("olivia"), table, "country").getField(DISTINCT_VALUES)).isNull();
    }

    @Test
    public void testDeltaStatisticsLastUntilANewCommit()
            throws IOException
    {
        String table = "customer_service.customer_orders";
        assertThat(analyze("olivia", table)).isEqualTo(6_000);
        for (String column : List.of("order_id", "customer_id", "channel", "basket_size", "order_year")) {
            assertDistinctValues("olivia", table, column);
        }

        List<Path> commit = commitCopyOfADataFile(data.resolve("customer-service/customer_orders"));
        try {
            assertThat(statsRow(as("olivia"), table, "channel").getField(DISTINCT_VALUES)).isNull();
            // the version ANALYZE read still has them
            assertThat((Double) statsRow(as("olivia"), "(SELECT * FROM %s FOR VERSION AS OF 1)".formatted(table), "channel").getField(DISTINCT_VALUES)).isCloseTo(2.0, withinPercentage(5));
        }
        finally {
            for (Path file : commit) {
                Files.delete(file);
            }
        }
        assertDistinctValues("olivia", table, "channel");
    }

    @Test
    public void testDeltaStatisticsWinOverTrinosExtendedStatistics()
            throws IOException
    {
        String table = "customer_service.customer_orders";
        Path orders = data.resolve("customer-service/customer_orders");
        // Trino's ANALYZE of the table, as its Delta Lake connector leaves it: not what the data holds
        String channels = TrinoExtendedStatisticsFile.sketch(LongStream.rangeClosed(1, 50).boxed().toList());
        // fewer than the sizes' range (1 to 6), which caps the optimizer's count
        String basketSizes = TrinoExtendedStatisticsFile.sketch(LongStream.rangeClosed(1, 4).boxed().toList());
        Path trinoStatistics = TrinoExtendedStatisticsFile.write(orders, TrinoExtendedStatisticsFile.json(
                Instant.now(),
                ImmutableMap.of("channel", TrinoExtendedStatisticsFile.Column.of(777, channels), "basket_size", TrinoExtendedStatisticsFile.Column.of(basketSizes)),
                Optional.empty()));
        List<Path> commit = List.of();
        try {
            // the mesh's own statistics of the version read win
            analyze("olivia", table);
            assertDistinctValues("olivia", table, "channel");
            assertDistinctValues("olivia", table, "basket_size");
            assertThat(statsRow(as("olivia"), table, "channel").getField(1)).isNotEqualTo(777.0);

            // a new commit: the mesh's no longer describe the data; Trino's, as Trino uses them, still do
            commit = commitCopyOfADataFile(orders);
            MaterializedRow channel = statsRow(as("olivia"), table, "channel");
            assertThat(channel.getField(DISTINCT_VALUES)).isEqualTo((double) TrinoExtendedStatisticsFile.cardinality(channels)).isEqualTo(50.0);
            assertThat(channel.getField(1)).isEqualTo(777.0);
            assertThat(statsRow(as("olivia"), table, "basket_size").getField(DISTINCT_VALUES)).isEqualTo(4.0);

            // hidden like any statistics from whom reads the column masked or the table filtered
            MaterializedRow masked = statsRow(as("alice"), table, "channel");
            for (int field = 1; field <= HIGH; field++) {
                assertThat(masked.getField(field)).as("field %s of the masked column", field).isNull();
            }
            assertThat(statsRow(as("alice"), table, "basket_size").getField(DISTINCT_VALUES)).isEqualTo(4.0);
            for (MaterializedRow row : computeActual(as("dora"), "SHOW STATS FOR " + table).getMaterializedRows()) {
                assertThat(row.getField(DISTINCT_VALUES)).as("%s", row.getField(0)).isNull();
                assertThat(row.getField(ROW_COUNT)).as("%s", row.getField(0)).isNull();
            }
        }
        finally {
            for (Path file : commit) {
                Files.delete(file);
            }
            Files.delete(trinoStatistics);
        }
        assertDistinctValues("olivia", table, "channel");
    }

    @Test
    public void testIcebergStatisticsLastUntilANewSnapshot()
            throws IcebergTableException
    {
        String table = "logistics.shipments";
        assertThat(analyze("luis", table)).isEqualTo(6_000);
        for (String column : List.of("shipment_id", "carrier", "status", "destination_country", "weight_kg")) {
            assertDistinctValues("luis", table, column);
        }

        Table shipments = writingCatalogs()
                .catalog(jdbcCatalog(IcebergCatalogDescriptor.DEFAULT_NAME, data.resolve("logistics/iceberg_catalog.db"), data.resolve("logistics/warehouse")))
                .loadTable(TableIdentifier.of("logistics", "shipments"));
        long analyzed = shipments.currentSnapshot().snapshotId();
        DataFile file = shipments.currentSnapshot().addedDataFiles(shipments.io()).iterator().next();
        shipments.newAppend().appendFile(file).commit();
        try {
            assertThat(statsRow(as("luis"), table, "carrier").getField(DISTINCT_VALUES)).isNull();
            assertThat((Double) statsRow(as("luis"), "(SELECT * FROM %s FOR VERSION AS OF %s)".formatted(table, analyzed), "carrier").getField(DISTINCT_VALUES)).isCloseTo(5.0, withinPercentage(5));
        }
        finally {
            shipments.manageSnapshots().rollbackTo(analyzed).commit();
        }
        assertDistinctValues("luis", table, "carrier");
    }

    @Test
    public void testStatisticsRoleAnalyzesWhatItReadsInFull()
    {
        // dora holds the statistics role and reads the orders as they are
        assertThat(analyze("dora", "sales.orders")).isEqualTo(8_000);
        assertDistinctValues("dora", "sales.orders", "status");
        assertDistinctValues("dora", "sales.orders", "order_year");

        // ANALYZE reads every row and column as stored: not by a user who reads them masked or filtered
        String privacy = mesh.policiesDirectory().resolve("privacy.yaml").toString();
        assertDenied("dora", "ANALYZE customer_service.customer_profile",
                "Access Denied: user 'dora' may not analyze mesh.customer_service.customer_profile: its statistics describe column 'email' in clear, " +
                        "which the user reads masked by global policy 'contact-hidden-from-data-scientists' (%s:11)".formatted(privacy));
        assertDenied("dora", "ANALYZE logistics.shipments",
                "Access Denied: user 'dora' may not analyze mesh.logistics.shipments: its statistics describe every row, and the user reads it under the row filter of " +
                        "global policy 'dora-sees-delivered-shipments' (%s:9)".formatted(mesh.policiesDirectory().resolve("statistics.yaml")));
    }

    @Test
    public void testOnlyOwnersAndTheStatisticsRoleAnalyze()
    {
        assertDenied("alice", "ANALYZE logistics.shipments",
                "Access Denied: user 'alice' may not analyze mesh.logistics.shipments: only the owners of data product 'shipment-data-product' (domain logistics), " +
                        "team 'logistics-team', and roles [statistics-admins] may compute its statistics");
        // a read-write grant is the domain's to give: it computes no statistics
        assertDenied("carlos", "ANALYZE customer_service.customer_orders",
                "Access Denied: user 'carlos' may not analyze mesh.customer_service.customer_orders: only the owners of data product 'customer-data-product' (domain customer-service), " +
                        "team 'customer-data-team', and roles [statistics-admins] may compute its statistics");
        assertDenied("eve", "ANALYZE logistics.shipments",
                "Access Denied: user 'eve' has no role with a read grant on data product 'shipment-data-product' (domain logistics)");
        // the insert privilege Trino asks ANALYZE for is no insert privilege
        assertDenied("olivia", "INSERT INTO customer_service.customer_orders (order_id) VALUES (1)",
                "Access Denied: cannot insert into table mesh.customer_service.customer_orders: the mesh catalog is read-only; domains publish data products by writing their data");
    }

    @Test
    public void testAnalyzeNeedsAStatisticsLocation()
    {
        assertQueryFails(as("olivia"), "ANALYZE mesh_unstored.customer_service.customer_profile", Pattern.quote(
                "Cannot analyze mesh_unstored.customer_service.customer_profile: catalog mesh_unstored keeps no statistics, since the mesh never writes into the domains' data; " +
                        "its administrator sets mesh.statistics.location (a local folder or an s3:// URI the platform owns) in the catalog's properties"));
    }

    @Test
    public void testStatisticsHideWhatTheUserReadsMaskedOrFiltered()
    {
        String table = "customer_service.customer_profile";
        analyze("olivia", table);
        for (String column : List.of("email", "first_name", "lifetime_value")) {
            MaterializedRow owner = statsRow(as("olivia"), table, column);
            assertThat(owner.getField(DISTINCT_VALUES)).as(column).isNotNull();
            // alice reads the names and e-mail addresses hashed, the lifetime value in thousands
            MaterializedRow analyst = statsRow(as("alice"), table, column);
            assertThat(analyst.getField(1)).as(column + " data size").isNull();
            assertThat(analyst.getField(DISTINCT_VALUES)).as(column + " distinct values").isNull();
            assertThat(analyst.getField(3)).as(column + " nulls fraction").isNull();
            assertThat(analyst.getField(LOW)).as(column + " low").isNull();
            assertThat(analyst.getField(HIGH)).as(column + " high").isNull();
        }
        assertDistinctValues("alice", table, "country");
        // carlos reads the customers of his region: no statistics describe the whole table to him
        for (MaterializedRow row : computeActual(as("carlos"), "SHOW STATS FOR " + table).getMaterializedRows()) {
            assertThat(row.getField(DISTINCT_VALUES)).as("%s", row.getField(0)).isNull();
            assertThat(row.getField(ROW_COUNT)).as("%s", row.getField(0)).isNull();
        }
    }

    private long analyze(String user, String table)
    {
        return (long) computeActual(as(user), "ANALYZE " + table).getOnlyValue();
    }

    private void assertDistinctValues(String user, String table, String column)
    {
        long exact = (long) single(as(user), "SELECT count(DISTINCT %s) FROM %s".formatted(column, table));
        Object shown = statsRow(as(user), table, column).getField(DISTINCT_VALUES);
        assertThat(shown).as("distinct values of %s.%s", table, column).isNotNull();
        assertThat((Double) shown).as("distinct values of %s.%s", table, column).isCloseTo((double) exact, withinPercentage(5));
    }

    private MaterializedRow statsRow(Session session, String table, String column)
    {
        return computeActual(session, "SHOW STATS FOR " + table).getMaterializedRows().stream()
                .filter(row -> Objects.equals(column, row.getField(0)))
                .findFirst()
                .orElseThrow();
    }

    private Object single(Session session, String sql)
    {
        return computeActual(session, sql).getOnlyValue();
    }

    private void assertDenied(String user, String sql, String message)
    {
        assertQueryFails(as(user), sql, Pattern.quote(message));
    }

    private Session as(String user)
    {
        return mesh.sessionOf(user);
    }

    /**
     * A new Delta commit adding a copy of one of the table's data files, as a writer appending
     * data would.
     *
     * @return the files it wrote, commit and data file
     */
    private static List<Path> commitCopyOfADataFile(Path table)
            throws IOException
    {
        Path log = table.resolve("_delta_log");
        List<Path> commits;
        try (Stream<Path> files = Files.list(log)) {
            commits = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode action = json.readTree(Files.readAllLines(commits.getLast()).stream().filter(line -> line.startsWith("{\"add\"")).findFirst().orElseThrow());
        ObjectNode add = (ObjectNode) action.get("add");
        String path = add.get("path").asText();
        String copyPath = path.substring(0, path.lastIndexOf('/') + 1) + "copy-" + path.substring(path.lastIndexOf('/') + 1);
        Path copy = Files.copy(table.resolve(path), table.resolve(copyPath));
        add.put("path", copyPath);
        Path commit = log.resolve("%020d.json".formatted(commits.size()));
        Files.writeString(commit, """
                {"commitInfo":{"timestamp":%s,"operation":"WRITE","operationParameters":{},"isBlindAppend":true}}
                %s
                """.formatted(System.currentTimeMillis(), json.writeValueAsString(action)));
        return List.of(commit, copy);
    }
}
