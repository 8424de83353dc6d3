package dev.datamesh.trino.benchmark;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.testing.IcebergTestTables;
import dev.datamesh.sample.ParquetFileWriter;
import dev.datamesh.trino.MeshConnectorFactory;
import dev.datamesh.trino.MeshPlugin;
import dev.datamesh.trino.MeshQueryRunner;
import io.airlift.units.DataSize;
import io.trino.plugin.hive.HivePlugin;
import io.trino.plugin.iceberg.IcebergPlugin;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Type;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.MaterializedResult;
import io.trino.testing.QueryRunner;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.icebergTable;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static io.airlift.slice.Slices.utf8Slice;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static io.trino.testing.TestingSession.testSessionBuilder;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

/**
 * Reads the same Parquet files through the mesh and through Trino's Hive connector, and the same
 * Iceberg table through the mesh and through Trino's Iceberg connector (the references), in one
 * query runner, and prints the time of each query on both and their ratio. Run on demand
 * with {@code bin/mesh benchmark}; results are checked to be equal before any timing counts.
 */
public final class MeshBenchmark
{
    private static final int FILES = 4;
    private static final int ROWS_PER_FILE = 750_000;
    private static final int WARMUP = 3;
    private static final int RUNS = 7;
    private static final DecimalType MONEY = DecimalType.createDecimalType(12, 2);

    private static final List<String> QUERIES = ImmutableList.of(
            "SELECT count(*) FROM %s",
            "SELECT sum(amount), avg(discount), count(DISTINCT customer_id) FROM %s",
            "SELECT status, channel, count(*), sum(amount) FROM %s GROUP BY status, channel",
            "SELECT order_id, note FROM %s WHERE order_id BETWEEN 1200000 AND 1201000",
            "SELECT max(note) FROM %s WHERE status = 'returned' AND order_date >= DATE '2024-06-01'");

    private MeshBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        // Trino's logging takes over System.out once a server starts; the report goes to the real stdout
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
        // Iceberg reports every scan and commit at INFO
        MeshQueryRunner.quietLogging();
        Path root = Files.createTempDirectory("mesh-benchmark");
        Path data = root.resolve("data/orders");
        writeData(data);
        Path catalogDatabase = root.resolve("data/iceberg_catalog.db");
        Path warehouse = root.resolve("data/warehouse");
        writeIcebergData(catalogDatabase, warehouse);
        Path products = Files.createDirectories(root.resolve("products"));
        dataProduct("benchmark-product", "bench", "benchmark")
                .sqliteCatalog(catalogDatabase, warehouse)
                .asset(parquet("orders", data.toString()), icebergTable("iceberg_orders", "bench.orders"))
                .writeTo(products.resolve("bench.yaml"));

        try (QueryRunner queryRunner = DistributedQueryRunner.builder(testSessionBuilder().build()).setWorkerCount(0).build();
                Closeable _ = () -> deleteRecursively(root, ALLOW_INSECURE)) {
            queryRunner.installPlugin(new MeshPlugin());
            queryRunner.createCatalog("mesh", MeshConnectorFactory.CONNECTOR_NAME, ImmutableMap.of("mesh.descriptors.directory", products.toString()));
            queryRunner.installPlugin(new HivePlugin());
            queryRunner.createCatalog("hive", "hive", ImmutableMap.of(
                    "hive.metastore", "file",
                    "hive.metastore.catalog.dir", "local://" + Files.createDirectories(root.resolve("metastore")),
                    "fs.native-local.enabled", "true",
                    "local.location", "/"));
            queryRunner.execute("CREATE SCHEMA hive.bench");
            queryRunner.execute("""
                    CREATE TABLE hive.bench.orders (
                        order_id bigint, customer_id bigint, order_date date, status varchar, channel varchar,
                        amount decimal(12,2), discount double, note varchar)
                    WITH (external_location = 'local://%s', format = 'PARQUET')""".formatted(data));
            // Trino's Iceberg connector on the same JDBC catalog, hence the same metadata and files
            queryRunner.installPlugin(new IcebergPlugin());
            queryRunner.createCatalog("iceberg", "iceberg", ImmutableMap.of(
                    "iceberg.catalog.type", "jdbc",
                    "iceberg.jdbc-catalog.driver-class", "org.sqlite.JDBC",
                    "iceberg.jdbc-catalog.connection-url", "jdbc:sqlite:" + catalogDatabase,
                    "iceberg.jdbc-catalog.catalog-name", IcebergCatalogDescriptor.DEFAULT_NAME,
                    "iceberg.jdbc-catalog.default-warehouse-dir", "file://" + warehouse,
                    "fs.native-local.enabled", "true",
                    "local.location", "/"));

            out.printf("%nParquet: %d files, %,d rows; median of %d runs after %d warm-up runs, the two connectors alternating%n", FILES, FILES * ROWS_PER_FILE, RUNS, WARMUP);
            compare(queryRunner, out, QUERIES, "mesh.bench.orders", "hive", "hive.bench.orders");
            out.printf("%nIceberg: %,d rows in %d files partitioned by month(order_date), in a JDBC (SQLite) catalog%n", FILES * ROWS_PER_FILE, icebergFileCount(queryRunner));
            compare(queryRunner, out, ImmutableList.<String>builder()
                    .addAll(QUERIES)
                    .add("SELECT status, sum(amount) FROM %s WHERE order_date >= DATE '2025-10-01' GROUP BY status")
                    .build(), "mesh.bench.iceberg_orders", "iceberg", "iceberg.bench.orders");
        }
    }

    private static long icebergFileCount(QueryRunner queryRunner)
    {
        return (long) queryRunner.execute("SELECT count(*) FROM iceberg.bench.\"orders$files\"").getOnlyValue();
    }

    /**
     * Checks that both connectors return the same rows for every query, then times them and prints
     * each median, their ratio and the geometric mean of the ratios.
     */
    private static void compare(QueryRunner queryRunner, PrintStream out, List<String> queries, String meshTable, String referenceName, String referenceTable)
    {
        out.printf("%-90s %10s %10s %7s%n", "query", "mesh ms", referenceName + " ms", "ratio");
        double ratioProduct = 1;
        for (String query : queries) {
            MaterializedResult meshResult = queryRunner.execute(query.formatted(meshTable));
            MaterializedResult referenceResult = queryRunner.execute(query.formatted(referenceTable));
            if (!meshResult.getMaterializedRows().stream().sorted(Comparator.comparing(Object::toString)).toList()
                    .equals(referenceResult.getMaterializedRows().stream().sorted(Comparator.comparing(Object::toString)).toList())) {
                throw new AssertionError("results differ for " + query + ":\nmesh " + meshResult + "\n" + referenceName + " " + referenceResult);
            }
            double[] medians = interleavedMedianMillis(queryRunner, query.formatted(meshTable), query.formatted(referenceTable));
            ratioProduct *= medians[0] / medians[1];
            out.printf("%-90s %10.1f %10.1f %7.2f%n", query.formatted("t"), medians[0], medians[1], medians[0] / medians[1]);
        }
        out.printf("geometric mean of mesh/%s time: %.2f%n", referenceName, Math.pow(ratioProduct, 1.0 / queries.size()));
    }

    /**
     * Runs the two queries alternately, so that neither profits from the other having warmed up
     * the engine's shared code first.
     */
    private static double[] interleavedMedianMillis(QueryRunner queryRunner, String first, String second)
    {
        for (int i = 0; i < WARMUP; i++) {
            queryRunner.execute(first);
            queryRunner.execute(second);
        }
        double[] firstTimes = new double[RUNS];
        double[] secondTimes = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            firstTimes[i] = millis(queryRunner, first);
            secondTimes[i] = millis(queryRunner, second);
        }
        Arrays.sort(firstTimes);
        Arrays.sort(secondTimes);
        return new double[] {firstTimes[RUNS / 2], secondTimes[RUNS / 2]};
    }

    private static double millis(QueryRunner queryRunner, String sql)
    {
        long start = System.nanoTime();
        queryRunner.execute(sql);
        return (System.nanoTime() - start) / 1_000_000.0;
    }

    private static void writeData(Path directory)
            throws Exception
    {
        List<String> names = ImmutableList.of("order_id", "customer_id", "order_date", "status", "channel", "amount", "discount", "note");
        List<Type> types = ImmutableList.of(BIGINT, BIGINT, DATE, VARCHAR, VARCHAR, MONEY, DOUBLE, VARCHAR);
        String[] statuses = {"delivered", "shipped", "cancelled", "returned"};
        String[] channels = {"web", "mobile", "store", "partner"};
        Random random = new Random(7);
        long orderId = 0;
        long firstDay = LocalDate.of(2023, 1, 1).toEpochDay();
        for (int file = 0; file < FILES; file++) {
            List<List<Object>> rows = new ArrayList<>(ROWS_PER_FILE);
            for (int row = 0; row < ROWS_PER_FILE; row++) {
                orderId++;
                rows.add(Arrays.asList(
                        orderId,
                        (long) random.nextInt(200_000),
                        firstDay + random.nextInt(3 * 365),
                        utf8Slice(statuses[random.nextInt(statuses.length)]),
                        utf8Slice(channels[random.nextInt(channels.length)]),
                        (long) random.nextInt(10_000_000),
                        random.nextDouble() / 4,
                        utf8Slice("note " + Long.toHexString(random.nextLong()))));
            }
            ParquetFileWriter.write(directory.resolve("part-%05d.parquet".formatted(file)), names, types, rows, DataSize.of(32, DataSize.Unit.MEGABYTE));
        }
    }

    /**
     * The same kind of orders as an Iceberg table written by Iceberg's own Parquet writers.
     */
    private static void writeIcebergData(Path catalogDatabase, Path warehouse)
            throws Exception
    {
        Schema schema = new Schema(
                required(1, "order_id", Types.LongType.get()),
                optional(2, "customer_id", Types.LongType.get()),
                optional(3, "order_date", Types.DateType.get()),
                optional(4, "status", Types.StringType.get()),
                optional(5, "channel", Types.StringType.get()),
                optional(6, "amount", Types.DecimalType.of(12, 2)),
                optional(7, "discount", Types.DoubleType.get()),
                optional(8, "note", Types.StringType.get()));
        IcebergCatalogs catalogs = IcebergTestTables.writingCatalogs();
        Catalog catalog = catalogs.catalog(IcebergTestTables.jdbcCatalog(IcebergCatalogDescriptor.DEFAULT_NAME, catalogDatabase, warehouse));
        Table table = IcebergTestTables.createTable(catalog, "bench", "orders", schema, PartitionSpec.builderFor(schema).month("order_date").build(), ImmutableMap.of());
        String[] statuses = {"delivered", "shipped", "cancelled", "returned"};
        String[] channels = {"web", "mobile", "store", "partner"};
        Random random = new Random(11);
        LocalDate firstDay = LocalDate.of(2023, 1, 1);
        long orderId = 0;
        for (int load = 0; load < FILES; load++) {
            List<Record> records = new ArrayList<>(ROWS_PER_FILE);
            for (int row = 0; row < ROWS_PER_FILE; row++) {
                orderId++;
                records.add(IcebergTestTables.record(schema,
                        orderId,
                        (long) random.nextInt(200_000),
                        firstDay.plusDays(random.nextInt(3 * 365)),
                        statuses[random.nextInt(statuses.length)],
                        channels[random.nextInt(channels.length)],
                        BigDecimal.valueOf(random.nextInt(10_000_000), 2),
                        random.nextDouble() / 4,
                        "note " + Long.toHexString(random.nextLong())));
            }
            IcebergTestTables.append(table, records);
        }
        catalogs.close();
    }
}
