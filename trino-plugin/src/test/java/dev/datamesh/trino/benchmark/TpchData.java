package dev.datamesh.trino.benchmark;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.IcebergTableException;
import dev.datamesh.iceberg.testing.IcebergTestTables;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import io.trino.tpch.TpchTable;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * The TPC-H tables at one scale factor in the three formats, written once into a cache folder
 * ({@code var/benchmark/tpch-sf<N>}) and reused by later runs:
 * <ul>
 * <li>Parquet: Trino's Hive connector (file metastore in {@code hive-metastore/}) writes them
 * with CREATE TABLE AS from Trino's tpch connector, unpartitioned; Hive keeps each table's files
 * in {@code hive-metastore/tpch/<table>}, where the mesh reads them too.</li>
 * <li>Iceberg: Trino's Iceberg connector writes them the same way into a JDBC catalog in SQLite
 * ({@code iceberg/catalog.db}, warehouse {@code iceberg/warehouse}), with the Puffin NDV
 * statistics it writes by default.</li>
 * <li>Delta: {@link TpchDeltaWriter} writes them with Delta Kernel into {@code delta/<table>};
 * the Hive connector reads the same data files as external Parquet tables
 * ({@code hive.tpch_delta}, analyzed), since Trino's Delta Lake connector is not available.</li>
 * </ul>
 * A marker file written last says the cache is complete and for which scale and place; a
 * cache without it (a run stopped half way) is deleted and written again.
 */
final class TpchData
{
    // change when what is written changes, so that older caches are written again
    private static final String LAYOUT = "tpch-benchmark-data 1";
    private static final String MARKER = "COMPLETE";
    public static final String PARQUET_SCHEMA = "tpch";
    public static final String DELTA_FILES_SCHEMA = "tpch_delta";
    public static final String ICEBERG_SCHEMA = "tpch";
    // rows at scale factor 1, to cut the bigger tables into about a million rows per Delta file
    private static final Map<String, Long> ROWS_AT_SF1 = ImmutableMap.<String, Long>builder()
            .put("lineitem", 6_001_215L)
            .put("orders", 1_500_000L)
            .put("partsupp", 800_000L)
            .put("part", 200_000L)
            .put("customer", 150_000L)
            .put("supplier", 10_000L)
            .put("nation", 25L)
            .put("region", 5L)
            .buildOrThrow();
    private static final long ROWS_PER_DELTA_FILE = 1_000_000;

    private final Path directory;
    private final BigDecimal scaleFactor;

    TpchData(Path benchmarkDirectory, BigDecimal scaleFactor)
    {
        this.scaleFactor = requireNonNull(scaleFactor, "scaleFactor is null");
        this.directory = benchmarkDirectory.resolve("tpch-sf" + scaleText()).toAbsolutePath();
    }

    static List<String> tableNames()
    {
        return TpchTable.getTables().stream().map(TpchTable::getTableName).collect(toImmutableList());
    }

    String scaleText()
    {
        return scaleFactor.stripTrailingZeros().toPlainString();
    }

    /**
     * The tpch connector's schema of this scale: it takes any sf{@code N}.
     */
    String tpchSchema()
    {
        return "sf" + scaleText();
    }

    Path directory()
    {
        return directory;
    }

    Path hiveMetastore()
    {
        return directory.resolve("hive-metastore");
    }

    Path parquetTable(String table)
    {
        return hiveMetastore().resolve(PARQUET_SCHEMA).resolve(table);
    }

    Path deltaTable(String table)
    {
        return directory.resolve("delta").resolve(table);
    }

    Path icebergCatalogDatabase()
    {
        return directory.resolve("iceberg/catalog.db");
    }

    Path icebergWarehouse()
    {
        return directory.resolve("iceberg/warehouse");
    }

    /**
     * The Iceberg catalog name the tables are stored under in the JDBC catalog, the one a
     * descriptor's own catalog reads.
     */
    static String icebergCatalogName()
    {
        return IcebergCatalogDescriptor.DEFAULT_NAME;
    }

    private String markerText()
    {
        return "%s, scale factor %s, in %s".formatted(LAYOUT, scaleText(), directory);
    }

    boolean isComplete()
            throws IOException
    {
        Path marker = directory.resolve(MARKER);
        return Files.exists(marker) && Files.readAllLines(marker).stream().findFirst().equals(Optional.of(markerText()));
    }

    /**
     * Removes what an unfinished run left, before any catalog opens the files.
     */
    void clear()
            throws IOException, IcebergTableException
    {
        if (Files.exists(directory)) {
            deleteRecursively(directory, ALLOW_INSECURE);
        }
        Files.createDirectories(hiveMetastore());
        Files.createDirectories(icebergWarehouse());
        // Trino's JDBC catalog expects the catalog's tables to exist: Iceberg's own JdbcCatalog creates them
        IcebergCatalogs catalogs = IcebergTestTables.writingCatalogs();
        catalogs.catalog(IcebergTestTables.jdbcCatalog(icebergCatalogName(), icebergCatalogDatabase(), icebergWarehouse()));
        catalogs.close();
    }

    /**
     * Writes the three copies through the query runner's tpch, hive and iceberg catalogs, checks
     * that each holds the rows of the Parquet one, and marks the cache complete.
     */
    void write(QueryRunner queryRunner, PrintStream out)
            throws IOException
    {
        long start = System.nanoTime();
        out.printf("writing TPC-H SF%s into %s%n", scaleText(), directory);
        String source = "tpch.\"%s\"".formatted(tpchSchema());

        long step = System.nanoTime();
        queryRunner.execute("CREATE SCHEMA hive." + PARQUET_SCHEMA);
        for (String table : tableNames()) {
            queryRunner.execute("CREATE TABLE hive.%s.%s WITH (format = 'PARQUET') AS SELECT * FROM %s.%s".formatted(PARQUET_SCHEMA, table, source, table));
        }
        String parquetSeconds = seconds(step);
        out.printf("  parquet (Trino's Hive connector): %s s%n", parquetSeconds);

        step = System.nanoTime();
        queryRunner.execute("CREATE SCHEMA iceberg." + ICEBERG_SCHEMA);
        for (String table : tableNames()) {
            queryRunner.execute("CREATE TABLE iceberg.%s.%s AS SELECT * FROM %s.%s".formatted(ICEBERG_SCHEMA, table, source, table));
        }
        String icebergSeconds = seconds(step);
        out.printf("  iceberg (Trino's Iceberg connector): %s s%n", icebergSeconds);

        step = System.nanoTime();
        TpchDeltaWriter deltaWriter = new TpchDeltaWriter();
        for (TpchTable<?> table : TpchTable.getTables()) {
            long rows = (long) Math.ceil(scaleFactor.doubleValue() * ROWS_AT_SF1.get(table.getTableName()));
            int parts = (int) Math.max(1, Math.min(64, Math.ceilDiv(rows, ROWS_PER_DELTA_FILE)));
            deltaWriter.write(deltaTable(table.getTableName()), table, scaleFactor.doubleValue(), parts);
        }
        String deltaSeconds = seconds(step);
        out.printf("  delta (Delta Kernel): %s s%n", deltaSeconds);

        // Hive on the Delta table's data files: it skips _delta_log, as every folder starting with '_'
        step = System.nanoTime();
        queryRunner.execute("CREATE SCHEMA hive." + DELTA_FILES_SCHEMA);
        for (String table : tableNames()) {
            queryRunner.execute("CREATE TABLE hive.%s.%s (%s) WITH (external_location = 'local://%s', format = 'PARQUET')".formatted(
                    DELTA_FILES_SCHEMA, table, columnDefinitions(queryRunner, table), deltaTable(table)));
            queryRunner.execute("ANALYZE hive.%s.%s".formatted(DELTA_FILES_SCHEMA, table));
        }
        out.printf("  hive tables on the Delta files, analyzed: %s s%n", seconds(step));

        step = System.nanoTime();
        for (String table : tableNames()) {
            MaterializedRow parquet = fingerprint(queryRunner, "hive." + PARQUET_SCHEMA, table);
            for (String copy : ImmutableList.of("hive." + DELTA_FILES_SCHEMA, "iceberg." + ICEBERG_SCHEMA)) {
                MaterializedRow other = fingerprint(queryRunner, copy, table);
                if (!other.equals(parquet)) {
                    throw new IllegalStateException("%s.%s does not hold the rows of hive.%s.%s: count and checksum %s against %s".formatted(copy, table, PARQUET_SCHEMA, table, other, parquet));
                }
            }
        }
        out.printf("  checked that the three copies hold the same rows: %s s%n", seconds(step));

        String total = seconds(start);
        Files.writeString(directory.resolve(MARKER), """
                %s
                written in %s s: parquet %s s, iceberg %s s, delta %s s
                """.formatted(markerText(), total, parquetSeconds, icebergSeconds, deltaSeconds));
        out.printf("  data generation took %s s in all%n", total);
    }

    /**
     * The generation time the marker of a complete cache recorded.
     */
    String recordedGeneration()
            throws IOException
    {
        return Files.readAllLines(directory.resolve(MARKER)).stream().skip(1).findFirst().orElse("");
    }

    private static String columnDefinitions(QueryRunner queryRunner, String table)
    {
        MaterializedResult columns = queryRunner.execute("""
                SELECT column_name, data_type FROM hive.information_schema.columns
                WHERE table_schema = '%s' AND table_name = '%s' ORDER BY ordinal_position""".formatted(PARQUET_SCHEMA, table));
        return columns.getMaterializedRows().stream()
                .map(row -> "%s %s".formatted(row.getField(0), row.getField(1)))
                .collect(joining(", "));
    }

    /**
     * The row count and an order-insensitive checksum of every column of a copy.
     */
    private static MaterializedRow fingerprint(QueryRunner queryRunner, String schema, String table)
    {
        String columns = queryRunner.execute("""
                SELECT column_name FROM hive.information_schema.columns
                WHERE table_schema = '%s' AND table_name = '%s' ORDER BY ordinal_position""".formatted(PARQUET_SCHEMA, table))
                .getOnlyColumn().map(String.class::cast).collect(joining(", "));
        return queryRunner.execute("SELECT count(*), checksum(ROW(%s)) FROM %s.%s".formatted(columns, schema, table)).getMaterializedRows().getFirst();
    }

    private static String seconds(long start)
    {
        return "%.1f".formatted((System.nanoTime() - start) / 1e9);
    }
}
