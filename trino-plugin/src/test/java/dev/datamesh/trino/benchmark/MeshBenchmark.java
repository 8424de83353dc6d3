package dev.datamesh.trino.benchmark;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.trino.MeshConnectorFactory;
import dev.datamesh.trino.MeshPlugin;
import dev.datamesh.trino.sample.ParquetFileWriter;
import io.airlift.units.DataSize;
import io.trino.plugin.hive.HivePlugin;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Type;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.MaterializedResult;
import io.trino.testing.QueryRunner;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
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
import static io.airlift.slice.Slices.utf8Slice;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static io.trino.testing.TestingSession.testSessionBuilder;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Reads the same Parquet files through the mesh and through Trino's Hive connector (the reference)
 * in one query runner, and prints the time of each query on both and their ratio. Run on demand
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
        Path root = Files.createTempDirectory("mesh-benchmark");
        Path data = root.resolve("data/orders");
        writeData(data);
        Path products = Files.createDirectories(root.resolve("products"));
        Files.writeString(products.resolve("bench.yaml"), """
                name: benchmark-product
                domain: bench
                owner: benchmark
                version: 1.0.0
                data_assets:
                  - name: orders
                    format: parquet
                    location: %s
                """.formatted(data));

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

            out.printf("%n%d files, %,d rows; median of %d runs after %d warm-up runs, the two connectors alternating%n", FILES, FILES * ROWS_PER_FILE, RUNS, WARMUP);
            out.printf("%-90s %10s %10s %7s%n", "query", "mesh ms", "hive ms", "ratio");
            double ratioProduct = 1;
            for (String query : QUERIES) {
                MaterializedResult meshResult = queryRunner.execute(query.formatted("mesh.bench.orders"));
                MaterializedResult hiveResult = queryRunner.execute(query.formatted("hive.bench.orders"));
                if (!meshResult.getMaterializedRows().stream().sorted(Comparator.comparing(Object::toString)).toList()
                        .equals(hiveResult.getMaterializedRows().stream().sorted(Comparator.comparing(Object::toString)).toList())) {
                    throw new AssertionError("results differ for " + query + ":\nmesh " + meshResult + "\nhive " + hiveResult);
                }
                double[] medians = interleavedMedianMillis(queryRunner, query.formatted("mesh.bench.orders"), query.formatted("hive.bench.orders"));
                double mesh = medians[0];
                double hive = medians[1];
                ratioProduct *= mesh / hive;
                out.printf("%-90s %10.1f %10.1f %7.2f%n", query.formatted("t"), mesh, hive, mesh / hive);
            }
            out.printf("geometric mean of mesh/hive time: %.2f%n", Math.pow(ratioProduct, 1.0 / QUERIES.size()));
        }
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
}
