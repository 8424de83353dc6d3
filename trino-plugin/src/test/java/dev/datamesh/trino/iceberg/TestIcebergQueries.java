package dev.datamesh.trino.iceberg;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.registry.StorageFileSystems;
import dev.datamesh.trino.MeshQueryRunner;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedResult;
import io.trino.testing.QueryRunner;
import io.trino.testing.QueryRunner.MaterializedResultWithPlan;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.datamesh.iceberg.testing.IcebergTestTables.append;
import static dev.datamesh.iceberg.testing.IcebergTestTables.deleteEqual;
import static dev.datamesh.iceberg.testing.IcebergTestTables.deletePositions;
import static dev.datamesh.iceberg.testing.IcebergTestTables.record;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.iceberg;
import static dev.datamesh.registry.testing.DataProductYaml.icebergTable;
import static dev.datamesh.registry.testing.DataProductYaml.icebergTables;
import static dev.datamesh.registry.testing.TestFiles.localFileSystem;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Iceberg assets through the query engine: tables written by Iceberg's own writers into a JDBC
 * (SQLite) catalog or read by location, and the rows the mesh returns compared with those written.
 */
public class TestIcebergQueries
        extends AbstractTestQueryFramework
{
    private static final int EVENT_COUNT = 240;

    private Path root;
    private Catalog catalog;
    private long evolvedFirstSnapshot;
    private long eventsFirstSnapshot;
    private long eventsFirstSnapshotMillis;
    private List<Record> events;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        root = temporaryDirectory("iceberg-mesh");
        IcebergCatalogDescriptor catalogDescriptor = new IcebergCatalogDescriptor(
                IcebergCatalogDescriptor.Type.JDBC,
                "mesh",
                Optional.of("jdbc:sqlite:" + root.resolve("catalog.db")),
                Optional.of("file://" + root.resolve("warehouse")),
                Optional.empty(),
                Optional.empty(),
                ImmutableMap.of(),
                root.resolve("test").toString());
        catalog = new IcebergCatalogs(StorageFileSystems.of(localFileSystem()), ImmutableMap.of(), true)
                .catalog(catalogDescriptor);
        ((SupportsNamespaces) catalog).createNamespace(Namespace.of("lake"));

        Table allTypes = writeAllTypes();
        writeEvolved();
        writeEvents();
        writeDeleted();
        writeTransforms();
        writeUnsupported();

        Path products = Files.createDirectories(root.resolve("products"));
        dataProduct("iceberg-test", "lake", "lake-team")
                .version("\"1\"")
                .sqliteCatalog(root.resolve("catalog.db"), root.resolve("warehouse"))
                .asset(icebergTables("lake", "all_types", "evolved", "events", "deleted", "transforms", "growing", "orc_files", "version_three", "missing"))
                .asset(
                        iceberg("by_folder", Path.of(URI.create(allTypes.location())).toString()),
                        iceberg("by_metadata_file", metadataFile(allTypes)),
                        iceberg("corrupt", writeCorruptTable().toString()),
                        icebergTable("unreachable", "lake.unreachable").catalog("unreachable"))
                .writeTo(products.resolve("lake.yaml"));
        return MeshQueryRunner.create(products, 1, ImmutableMap.of(
                "mesh.iceberg.metadata-cache-ttl", "0s",
                "mesh.iceberg-catalog.unreachable.type", "rest",
                "mesh.iceberg-catalog.unreachable.uri", "http://127.0.0.1:%s/catalog".formatted(unusedPort())));
    }

    private Path writeCorruptTable()
            throws IOException
    {
        Path table = root.resolve("corrupt");
        Files.createDirectories(table.resolve("metadata"));
        Files.writeString(table.resolve("metadata/v1.metadata.json"), "{\"format-version\": 2, \"table-uuid\": ");
        return table;
    }

    private static int unusedPort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String metadataFile(Table table)
    {
        return ((org.apache.iceberg.HasTableOperations) table).operations().current().metadataFileLocation();
    }

    private Table create(String name, Schema schema, PartitionSpec spec)
    {
        return catalog.createTable(TableIdentifier.of("lake", name), schema, spec, ImmutableMap.of(TableProperties.FORMAT_VERSION, "2"));
    }

    private Table writeAllTypes()
    {
        Schema schema = new Schema(
                required(1, "b", Types.BooleanType.get()),
                optional(2, "i", Types.IntegerType.get()),
                optional(3, "l", Types.LongType.get()),
                optional(4, "f", Types.FloatType.get()),
                optional(5, "d", Types.DoubleType.get()),
                optional(6, "dec", Types.DecimalType.of(10, 2)),
                optional(7, "long_dec", Types.DecimalType.of(30, 5)),
                optional(8, "dt", Types.DateType.get()),
                optional(9, "ts", Types.TimestampType.withoutZone()),
                optional(10, "tstz", Types.TimestampType.withZone()),
                optional(11, "s", Types.StringType.get()),
                optional(12, "u", Types.UUIDType.get()),
                optional(13, "bin", Types.BinaryType.get()),
                optional(14, "st", Types.StructType.of(optional(15, "x", Types.IntegerType.get()), optional(16, "y", Types.StringType.get()))),
                optional(17, "arr", Types.ListType.ofOptional(18, Types.IntegerType.get())),
                optional(19, "m", Types.MapType.ofOptional(20, 21, Types.StringType.get(), Types.LongType.get())),
                optional(22, "CamelCase", Types.StringType.get()));
        Table table = create("all_types", schema, PartitionSpec.unpartitioned());
        append(table, ImmutableList.of(
                record(schema, true, 1, 10L, 1.5f, 2.25, new BigDecimal("12.34"), new BigDecimal("123456789012345678901.12345"), LocalDate.of(2024, 2, 29),
                        LocalDateTime.of(2024, 2, 29, 12, 30, 45, 123456000), OffsetDateTime.of(2024, 2, 29, 12, 30, 45, 123456000, ZoneOffset.UTC), "héllo",
                        UUID.fromString("f79c3e09-677c-4e24-9e6b-5e0c0b9e8a2d"), ByteBuffer.wrap(new byte[] {1, 2, 3}),
                        record(schema.findType("st").asStructType().asSchema(), 7, "seven"), ImmutableList.of(1, 2, 3), ImmutableMap.of("k", 5L), "Upper"),
                record(schema, false, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)));
        return table;
    }

    @Test
    public void testAllTypes()
    {
        assertThat(query("SELECT b, i, l, f, d, dec, long_dec, dt, ts, tstz, s, u, bin, st, arr, m, camelcase FROM lake.all_types WHERE b"))
                .matches("""
                        VALUES (true, 1, BIGINT '10', REAL '1.5', DOUBLE '2.25', CAST(12.34 AS decimal(10, 2)), CAST(123456789012345678901.12345 AS decimal(30, 5)), DATE '2024-02-29',
                        TIMESTAMP '2024-02-29 12:30:45.123456', TIMESTAMP '2024-02-29 12:30:45.123456 UTC', VARCHAR 'héllo', UUID 'f79c3e09-677c-4e24-9e6b-5e0c0b9e8a2d',
                        X'010203', CAST(ROW(7, 'seven') AS ROW(x integer, y varchar)), ARRAY[1, 2, 3], MAP(ARRAY[VARCHAR 'k'], ARRAY[BIGINT '5']), VARCHAR 'Upper')
                        """);
        assertQuery("SELECT count(*) FROM lake.all_types WHERE i IS NULL AND s IS NULL AND st IS NULL AND m IS NULL", "VALUES 1");
        assertQuery("SELECT st.y, arr[2], m['k'] FROM lake.all_types WHERE b", "VALUES ('seven', 2, 5)");
    }

    @Test
    public void testLocatedByFolderOrMetadataFile()
    {
        assertQuery("SELECT count(*), count(i), sum(l) FROM lake.by_folder", "VALUES (2, 1, 10)");
        assertQuery("SELECT count(*), count(i), sum(l) FROM lake.by_metadata_file", "VALUES (2, 1, 10)");
    }

    private void writeEvolved()
    {
        Schema schema = new Schema(
                optional(1, "id", Types.IntegerType.get()),
                optional(2, "name", Types.StringType.get()),
                optional(3, "price", Types.FloatType.get()),
                optional(4, "amount", Types.DecimalType.of(9, 2)),
                optional(5, "info", Types.StructType.of(optional(6, "a", Types.IntegerType.get()), optional(7, "b", Types.StringType.get()))),
                optional(8, "note", Types.StringType.get()));
        Table table = create("evolved", schema, PartitionSpec.unpartitioned());
        Schema info = schema.findType("info").asStructType().asSchema();
        append(table, ImmutableList.of(
                record(schema, 1, "apple", 1.5f, new BigDecimal("10.25"), record(info, 1, "x"), "n1"),
                record(schema, 2, "pear", 2.5f, new BigDecimal("20.50"), record(info, 2, "y"), "n2")));
        evolvedFirstSnapshot = table.currentSnapshot().snapshotId();

        table.updateSchema()
                .renameColumn("name", "full_name")
                .updateColumn("id", Types.LongType.get())
                .updateColumn("price", Types.DoubleType.get())
                .updateColumn("amount", Types.DecimalType.of(12, 2))
                .renameColumn("info.b", "label")
                .addColumn("info", "c", Types.IntegerType.get())
                .deleteColumn("note")
                .commit();
        // a new column with a dropped column's name is another column: old files do not have it
        table.updateSchema()
                .addColumn("note", Types.StringType.get())
                .addColumn("category", Types.StringType.get())
                .moveFirst("category")
                .commit();
        Schema evolved = table.schema();
        Schema evolvedInfo = evolved.findType("info").asStructType().asSchema();
        append(table, ImmutableList.of(record(evolved, "fruit", 3L, "plum", 3.25, new BigDecimal("30.75"), record(evolvedInfo, 3, "z", 33), "new3")));
    }

    @Test
    public void testSchemaEvolutionByFieldId()
    {
        assertThat(query("SELECT * FROM lake.evolved"))
                .matches("""
                        VALUES
                        (CAST(NULL AS varchar), BIGINT '1', VARCHAR 'apple', DOUBLE '1.5', CAST(10.25 AS decimal(12, 2)), CAST(ROW(1, 'x', NULL) AS ROW(a integer, label varchar, c integer)), CAST(NULL AS varchar)),
                        (NULL, 2, 'pear', 2.5, 20.50, CAST(ROW(2, 'y', NULL) AS ROW(a integer, label varchar, c integer)), NULL),
                        ('fruit', 3, 'plum', 3.25, 30.75, CAST(ROW(3, 'z', 33) AS ROW(a integer, label varchar, c integer)), 'new3')
                        """);
        assertQuery("SELECT full_name FROM lake.evolved WHERE id = 2", "VALUES 'pear'");
        assertQuery("SELECT full_name FROM lake.evolved WHERE note IS NULL ORDER BY id", "VALUES 'apple', 'pear'");

        // the first snapshot reads with the schema it was written with
        assertThat(query("SELECT * FROM lake.evolved FOR VERSION AS OF " + evolvedFirstSnapshot))
                .matches("""
                        VALUES
                        (1, VARCHAR 'apple', REAL '1.5', CAST(10.25 AS decimal(9, 2)), CAST(ROW(1, 'x') AS ROW(a integer, b varchar)), VARCHAR 'n1'),
                        (2, 'pear', 2.5, 20.50, CAST(ROW(2, 'y') AS ROW(a integer, b varchar)), 'n2')
                        """);
    }

    private void writeEvents()
    {
        Schema schema = new Schema(
                required(1, "id", Types.LongType.get()),
                required(2, "ts", Types.TimestampType.withZone()),
                optional(3, "category", Types.StringType.get()),
                optional(4, "amount", Types.LongType.get()));
        PartitionSpec spec = PartitionSpec.builderFor(schema).day("ts").bucket("id", 4).truncate("category", 2).build();
        Table table = create("events", schema, spec);
        String[] categories = {"books", "games", "garden", "music"};
        events = new ArrayList<>();
        List<Record> first = new ArrayList<>();
        List<Record> second = new ArrayList<>();
        for (int i = 0; i < EVENT_COUNT; i++) {
            boolean early = i < EVENT_COUNT / 2;
            OffsetDateTime ts = early
                    ? OffsetDateTime.of(2024, 1, 1 + i % 10, i % 24, 0, 0, 0, ZoneOffset.UTC)
                    : OffsetDateTime.of(2024, 2 + i % 4, 1 + i % 28, 6, 0, 0, 0, ZoneOffset.UTC);
            Record event = record(schema, (long) i, ts, categories[i % categories.length], (long) i * 10);
            events.add(event);
            (early ? first : second).add(event);
        }
        append(table, first);
        eventsFirstSnapshot = table.currentSnapshot().snapshotId();
        eventsFirstSnapshotMillis = table.currentSnapshot().timestampMillis();
        table.manageSnapshots().createTag("first-load", eventsFirstSnapshot).commit();
        // the layout changes: later files are partitioned by month and category only
        table.updateSpec()
                .removeField(Expressions.day("ts"))
                .removeField(Expressions.bucket("id", 4))
                .addField(Expressions.month("ts"))
                .commit();
        append(table, second);
    }

    @Test
    public void testHiddenPartitionPruningAcrossSpecs()
    {
        assertQuery("SELECT count(*), sum(amount) FROM lake.events", "VALUES (%s, %s)".formatted(EVENT_COUNT, events.stream().mapToLong(event -> (long) event.getField("amount")).sum()));

        // day partitions of the first spec
        String januarySecondToThird = "ts >= TIMESTAMP '2024-01-02 00:00:00 UTC' AND ts < TIMESTAMP '2024-01-04 00:00:00 UTC'";
        long expected = events.stream().filter(event -> {
            Instant ts = ((OffsetDateTime) event.getField("ts")).toInstant();
            return !ts.isBefore(Instant.parse("2024-01-02T00:00:00Z")) && ts.isBefore(Instant.parse("2024-01-04T00:00:00Z"));
        }).count();
        assertQuery("SELECT count(*) FROM lake.events WHERE " + januarySecondToThird, "VALUES " + expected);
        assertThat(physicalInputPositions("SELECT count(*) FROM lake.events WHERE " + januarySecondToThird)).isEqualTo(expected);

        // month partitions of the second spec
        long march = events.stream().filter(event -> ((OffsetDateTime) event.getField("ts")).getMonthValue() == 3).count();
        String inMarch = "ts >= TIMESTAMP '2024-03-01 00:00:00 UTC' AND ts < TIMESTAMP '2024-04-01 00:00:00 UTC'";
        assertQuery("SELECT count(*) FROM lake.events WHERE " + inMarch, "VALUES " + march);
        assertThat(physicalInputPositions("SELECT count(*) FROM lake.events WHERE " + inMarch)).isEqualTo(march);

        // truncate(category, 2) keeps "ga" for games and garden: partitions cannot tell them apart, column bounds can
        long games = events.stream().filter(event -> event.getField("category").equals("games")).count();
        assertQuery("SELECT count(*) FROM lake.events WHERE category = 'games'", "VALUES " + games);
        assertThat(physicalInputPositions("SELECT count(*) FROM lake.events WHERE category = 'games'")).isBetween(games, 2 * games);

        // bucket(id, 4) of the first spec and column bounds of the second
        assertQuery("SELECT category, amount FROM lake.events WHERE id = 7", "VALUES ('music', 70)");
        assertThat(physicalInputPositions("SELECT category FROM lake.events WHERE id = 7")).isLessThan(EVENT_COUNT / 4);
    }

    @Test
    public void testTimeTravel()
    {
        assertQuery("SELECT count(*) FROM lake.events FOR VERSION AS OF " + eventsFirstSnapshot, "VALUES " + EVENT_COUNT / 2);
        assertQuery("SELECT count(*) FROM lake.events FOR VERSION AS OF 'first-load'", "VALUES " + EVENT_COUNT / 2);
        assertQuery("SELECT count(*) FROM lake.events FOR VERSION AS OF 'main'", "VALUES " + EVENT_COUNT);
        String firstCommit = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").format(LocalDateTime.ofInstant(Instant.ofEpochMilli(eventsFirstSnapshotMillis), ZoneOffset.UTC));
        assertQuery("SELECT count(*) FROM lake.events FOR TIMESTAMP AS OF TIMESTAMP '%s UTC'".formatted(firstCommit), "VALUES " + EVENT_COUNT / 2);
        assertQuery("SELECT count(*) FROM lake.events FOR TIMESTAMP AS OF current_timestamp - INTERVAL '1' SECOND", "VALUES " + EVENT_COUNT);

        assertQueryFails("SELECT count(*) FROM lake.events FOR TIMESTAMP AS OF TIMESTAMP '2001-01-01 00:00:00 UTC'",
                "Cannot read asset 'events' of data product 'iceberg-test' \\(domain lake\\): the Iceberg table .*events has no snapshot at or before 2001-01-01T00:00:00Z");
        assertQueryFails("SELECT count(*) FROM lake.events FOR VERSION AS OF 12345",
                "Cannot read asset 'events' of data product 'iceberg-test' \\(domain lake\\): the Iceberg table .*events has no snapshot 12345");
        assertQueryFails("SELECT count(*) FROM lake.events FOR VERSION AS OF 'nope'",
                ".*the Iceberg table .*events has no branch or tag 'nope'");
    }

    @Test
    public void testStatistics()
    {
        MaterializedResult statistics = computeActual("SHOW STATS FOR lake.events");
        Object rowCount = statistics.getMaterializedRows().stream()
                .filter(row -> row.getField(0) == null)
                .findFirst().orElseThrow()
                .getField(4);
        assertThat(rowCount).isEqualTo((double) EVENT_COUNT);
        assertThat(statistics.getMaterializedRows().stream()
                .filter(row -> "amount".equals(row.getField(0)))
                .findFirst().orElseThrow().getFields())
                .containsExactly("amount", null, null, 0.0, null, "0", String.valueOf((EVENT_COUNT - 1) * 10));
        // the constraint prunes the files counted: the first two days of January
        long firstTwoDays = events.stream().filter(event -> ((OffsetDateTime) event.getField("ts")).toInstant().isBefore(Instant.parse("2024-01-03T00:00:00Z"))).count();
        MaterializedResult filtered = computeActual("SHOW STATS FOR (SELECT * FROM lake.events WHERE ts < TIMESTAMP '2024-01-03 00:00:00 UTC')");
        // the engine then scales the rows of the files left by its own estimate of the filter
        assertThat((double) filtered.getMaterializedRows().stream().filter(row -> row.getField(0) == null).findFirst().orElseThrow().getField(4))
                .isPositive()
                .isLessThanOrEqualTo(firstTwoDays);
    }

    private void writeDeleted()
    {
        Schema schema = new Schema(required(1, "id", Types.IntegerType.get()), optional(2, "v", Types.StringType.get()));
        Table table = create("deleted", schema, PartitionSpec.unpartitioned());
        List<Record> rows = new ArrayList<>();
        for (int id = 1; id <= 10; id++) {
            rows.add(record(schema, id, "r" + id));
        }
        DataFile file = append(table, rows).getFirst();
        deletePositions(table, file, 0, 3);
        Schema key = schema.select("id");
        deleteEqual(table, key, ImmutableList.of(record(key, 7), record(key, 8)));
        // written after the equality delete, so not deleted by it
        append(table, ImmutableList.of(record(schema, 7, "again")));

        Table growing = create("growing", schema, PartitionSpec.unpartitioned());
        append(growing, ImmutableList.of(record(schema, 1, "one")));
    }

    @Test
    public void testDeletes()
    {
        assertQuery("SELECT id, v FROM lake.deleted", "VALUES (2, 'r2'), (3, 'r3'), (5, 'r5'), (6, 'r6'), (9, 'r9'), (10, 'r10'), (7, 'again')");
        // the equality column is read for the delete even when the query does not ask for it
        assertQuery("SELECT v FROM lake.deleted", "VALUES 'r2', 'r3', 'r5', 'r6', 'r9', 'r10', 'again'");
        assertQuery("SELECT count(*) FROM lake.deleted", "VALUES 7");
        assertQuery("SELECT count(*) FROM lake.deleted WHERE id > 5", "VALUES 4");
    }

    @Test
    public void testNewSnapshotSeenByNextQuery()
    {
        Table growing = catalog.loadTable(TableIdentifier.of("lake", "growing"));
        assertQuery("SELECT count(*) FROM lake.growing", "VALUES " + countRows(growing));
        append(growing, ImmutableList.of(record(growing.schema(), 2, "two")));
        assertQuery("SELECT count(*) FROM lake.growing", "VALUES " + countRows(growing));
    }

    private static long countRows(Table table)
    {
        table.refresh();
        return Long.parseLong(table.currentSnapshot().summary().get("total-records"));
    }

    private void writeTransforms()
    {
        Schema schema = new Schema(
                required(1, "id", Types.IntegerType.get()),
                optional(2, "kind", Types.StringType.get()),
                optional(3, "day", Types.DateType.get()),
                optional(4, "at", Types.TimestampType.withoutZone()));
        Table table = create("transforms", schema, PartitionSpec.builderFor(schema).identity("kind").year("day").hour("at").build());
        List<Record> rows = new ArrayList<>();
        for (int id = 0; id < 48; id++) {
            rows.add(record(schema, id, id % 3 == 0 ? "a" : "b", LocalDate.of(2020 + id % 4, 6, 1), LocalDateTime.of(2024, 5, 1, id % 6, 30)));
        }
        append(table, rows);
    }

    @Test
    public void testIdentityYearAndHourTransforms()
    {
        // each predicate is answered from the files of its partitions only
        assertPruned("kind = 'a'", 16);
        assertPruned("day >= DATE '2022-01-01' AND day < DATE '2023-01-01'", 12);
        assertPruned("at >= TIMESTAMP '2024-05-01 02:00:00' AND at < TIMESTAMP '2024-05-01 03:00:00'", 8);
        assertPruned("kind = 'b' AND year(day) = 2021", 8);
    }

    private void assertPruned(String predicate, long rows)
    {
        assertQuery("SELECT count(*) FROM lake.transforms WHERE " + predicate, "VALUES " + rows);
        assertThat(physicalInputPositions("SELECT id FROM lake.transforms WHERE " + predicate)).isEqualTo(rows);
    }

    private void writeUnsupported()
    {
        Schema schema = new Schema(required(1, "id", Types.IntegerType.get()));
        Table orc = create("orc_files", schema, PartitionSpec.unpartitioned());
        DataFile orcFile = DataFiles.builder(PartitionSpec.unpartitioned())
                .withPath(orc.location() + "/data/part-0.orc")
                .withFormat(FileFormat.ORC)
                .withFileSizeInBytes(100)
                .withRecordCount(1)
                .build();
        orc.newAppend().appendFile(orcFile).commit();
        catalog.createTable(TableIdentifier.of("lake", "version_three"), schema, PartitionSpec.unpartitioned(), ImmutableMap.of(TableProperties.FORMAT_VERSION, "3"));
    }

    @Test
    public void testUnreadableTablesFailClearly()
    {
        assertQueryFails("SELECT * FROM lake.orc_files",
                "Cannot read asset 'orc_files' of data product 'iceberg-test' \\(domain lake\\): file .*/part-0.orc is in ORC format; the mesh reads Iceberg tables whose data and delete files are Parquet");
        assertQueryFails("SELECT * FROM lake.version_three",
                "Cannot read asset 'version_three' of data product 'iceberg-test' \\(domain lake\\): the Iceberg table .*version_three has format version 3; the mesh reads format versions 1 and 2");
        assertQueryFails("SELECT * FROM lake.missing",
                "Cannot read asset 'missing' of data product 'iceberg-test' \\(domain lake\\): the table lake.missing in the jdbc catalog 'mesh' at jdbc:sqlite:.*catalog.db \\(.*lake.yaml:6:3\\) does not exist");
        assertQueryFails("SELECT * FROM lake.corrupt",
                "(?s)Cannot read asset 'corrupt' of data product 'iceberg-test' \\(domain lake\\): cannot read the Iceberg metadata file file://.*/corrupt/metadata/v1.metadata.json: .*");
        assertQueryFails("SELECT * FROM lake.unreachable",
                "Cannot read asset 'unreachable' of data product 'iceberg-test' \\(domain lake\\): cannot open the rest catalog 'unreachable' at http://127.0.0.1:\\d+/catalog \\(mesh.iceberg-catalog.unreachable\\): .*Connection refused.*");
        // the other tables keep serving, and listings skip the broken ones
        assertQuery("SELECT count(*) FROM lake.deleted", "VALUES 7");
        assertQuery("SELECT count(DISTINCT table_name) FROM information_schema.columns WHERE table_schema = 'lake'", "VALUES 9");
    }

    private long physicalInputPositions(String sql)
    {
        MaterializedResultWithPlan result = getDistributedQueryRunner().executeWithPlan(getSession(), sql);
        return getDistributedQueryRunner().getCoordinator().getQueryManager()
                .getFullQueryInfo(result.queryId())
                .getQueryStats()
                .getPhysicalInputPositions();
    }
}
