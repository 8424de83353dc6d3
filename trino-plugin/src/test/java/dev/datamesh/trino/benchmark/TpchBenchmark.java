package dev.datamesh.trino.benchmark;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Streams;
import com.google.common.io.Resources;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.trino.MeshConnectorFactory;
import dev.datamesh.trino.MeshPlugin;
import dev.datamesh.trino.security.MeshGroupProviderFactory;
import io.airlift.log.Level;
import io.airlift.log.Logging;
import io.trino.Session;
import io.trino.plugin.hive.HivePlugin;
import io.trino.plugin.iceberg.IcebergPlugin;
import io.trino.plugin.tpch.TpchPlugin;
import io.trino.spi.QueryId;
import io.trino.spi.security.GroupProvider;
import io.trino.spi.security.Identity;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.type.SqlDecimal;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.MoreCollectors.onlyElement;
import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.icebergTable;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.registry.testing.DataProductYaml.quoted;
import static dev.datamesh.trino.SampleMeshDirectory.repositoryRoot;
import static io.trino.testing.TestingSession.testSessionBuilder;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * The 22 TPC-H queries on the same data through the mesh and through Trino's own connectors, for
 * each format: Parquet files (the Hive connector), a Delta table written by Delta Kernel (the Hive
 * connector on its data files, Trino's Delta Lake connector not being available) and an Iceberg
 * table in a JDBC catalog (the Iceberg connector on the same catalog). For every query it checks
 * that the mesh and each native connector return the same rows, compares the join shapes of
 * their distributed plans ({@link JoinShape}), then times them alternately and prints the medians,
 * the mesh's ratio to the fastest native connector, and per format the geometric mean and worst
 * query. With {@code --governance} it also times the mesh under its access control (a user whose
 * role is granted the tables, with no row filter or mask) against the mesh without it. The data
 * is written once per scale factor and kept in {@code var/benchmark} ({@link TpchData}). Run on
 * demand with {@code bin/mesh benchmark tpch [options]}.
 */
public final class TpchBenchmark
{
    private static final String USAGE = """
            bin/mesh benchmark tpch [--scale 1] [--runs 5] [--warmup 2] [--queries q05,q18] [--formats parquet,delta,iceberg] [--governance]
              --scale       TPC-H scale factor (1 = 6 million lineitem rows; 0.01 for a quick run); data is cached in var/benchmark/tpch-sf<N>
              --runs        timed runs of each query on each connector, the median counts (at least 1)
              --warmup      untimed runs of each query on each connector first
              --queries     which of q01..q22
              --formats     which of parquet, delta, iceberg
              --governance  also time the mesh under its access control against the mesh without it""";
    private static final String GOVERNED_USER = "alice";

    private TpchBenchmark() {}

    /**
     * A native connector reading the same files as the mesh, and what the reader should know of it.
     */
    record Reference(String name, String catalog, String schema, String description)
    {
        Reference
        {
            requireNonNull(name, "name is null");
            requireNonNull(catalog, "catalog is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(description, "description is null");
        }
    }

    enum Format
    {
        PARQUET("tpch_parquet", ImmutableList.of(new Reference("hive", "hive", TpchData.PARQUET_SCHEMA,
                "Trino's Hive connector (file metastore) on the same files, with the column statistics its CREATE TABLE AS collected"))),
        DELTA("tpch_delta", ImmutableList.of(new Reference("hive", "hive", TpchData.DELTA_FILES_SCHEMA,
                "Trino's Delta Lake connector is not on Maven Central here: the reference is Trino's Hive connector reading the "
                        + "Delta table's data files as an external Parquet table (it skips _delta_log), analyzed for statistics"))),
        ICEBERG("tpch_iceberg", ImmutableList.of(new Reference("iceberg", "iceberg", TpchData.ICEBERG_SCHEMA,
                "Trino's Iceberg connector on the same JDBC catalog, metadata and files, with the Puffin NDV statistics it wrote")));

        private final String meshSchema;
        private final List<Reference> references;

        Format(String meshSchema, List<Reference> references)
        {
            this.meshSchema = meshSchema;
            this.references = references;
        }

        String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record Options(BigDecimal scaleFactor, int runs, int warmup, List<String> queries, List<Format> formats, boolean governance)
    {
        Options
        {
            requireNonNull(scaleFactor, "scaleFactor is null");
            queries = ImmutableList.copyOf(queries);
            formats = ImmutableList.copyOf(formats);
            checkArgument(scaleFactor.signum() > 0, "--scale must be positive");
            checkArgument(runs >= 1, "--runs must be at least 1");
            checkArgument(warmup >= 0, "--warmup must not be negative");
        }

        static Options parse(String[] args)
        {
            BigDecimal scaleFactor = BigDecimal.ONE;
            int runs = 5;
            int warmup = 2;
            List<String> queries = IntStream.rangeClosed(1, 22).mapToObj("q%02d"::formatted).collect(toImmutableList());
            List<Format> formats = ImmutableList.copyOf(Format.values());
            boolean governance = false;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--governance")) {
                    governance = true;
                    continue;
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("%s needs a value%n%s".formatted(option, USAGE));
                }
                String value = args[++i];
                switch (option) {
                    case "--scale" -> scaleFactor = new BigDecimal(value);
                    case "--runs" -> runs = Integer.parseInt(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--queries" -> queries = Arrays.stream(value.split(",")).map(Options::queryName).collect(toImmutableList());
                    case "--formats" -> formats = Arrays.stream(value.split(","))
                            .map(format -> Format.valueOf(format.strip().toUpperCase(Locale.ROOT)))
                            .collect(toImmutableList());
                    default -> throw new IllegalArgumentException("unknown option %s%n%s".formatted(option, USAGE));
                }
            }
            return new Options(scaleFactor, runs, warmup, queries, formats, governance);
        }

        /**
         * q05, q5 or 5 are q05.
         */
        private static String queryName(String text)
        {
            String digits = text.strip().toLowerCase(Locale.ROOT).replaceFirst("^q", "");
            checkArgument(digits.matches("\\d{1,2}") && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 22, "no TPC-H query %s: use q01 to q22", text);
            return "q%02d".formatted(Integer.parseInt(digits));
        }
    }

    /**
     * One query on one format: the median times and the join shapes of the mesh and of each
     * native connector, in the order of the format's references.
     */
    record Measurement(String query, Timing mesh, List<Timing> references, JoinShape meshShape, List<JoinShape> referenceShapes)
    {
        Measurement
        {
            requireNonNull(query, "query is null");
            requireNonNull(mesh, "mesh is null");
            references = ImmutableList.copyOf(references);
            requireNonNull(meshShape, "meshShape is null");
            referenceShapes = ImmutableList.copyOf(referenceShapes);
        }

        double ratio()
        {
            return mesh.wallMillis() / references.stream().mapToDouble(Timing::wallMillis).min().orElseThrow();
        }

        double cpuRatio()
        {
            return mesh.cpuMillis() / references.stream().mapToDouble(Timing::cpuMillis).min().orElseThrow();
        }

        boolean samePlan()
        {
            return referenceShapes.stream().allMatch(meshShape::equals);
        }
    }

    /**
     * A query's elapsed time and the CPU time its tasks used: with two cores and the engine's many
     * threads, elapsed times of one query move by 15% between runs while CPU times stay within a
     * few percent, so the CPU ratio tells a slower reader from a slower schedule.
     */
    record Timing(double wallMillis, double cpuMillis) {}

    public static void main(String[] args)
            throws Exception
    {
        // Trino's logging takes over System.out once a server starts; the report goes to the real stdout
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
        if (Arrays.asList(args).contains("--help")) {
            out.println(USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        }
        catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            System.exit(2);
            return;
        }
        Logging logging = Logging.initialize();
        // Iceberg and Delta Kernel report every scan and commit at INFO
        logging.setLevel("org.apache.iceberg", Level.WARN);
        logging.setLevel("io.delta.kernel", Level.WARN);
        // trino-parquet's column index filtering reports every split it filters at INFO
        logging.setLevel("org.apache.parquet", Level.WARN);

        TpchData data = new TpchData(repositoryRoot().resolve("var/benchmark"), options.scaleFactor());
        boolean cached = data.isComplete();
        if (!cached) {
            data.clear();
        }
        try (DistributedQueryRunner queryRunner = DistributedQueryRunner.builder(testSessionBuilder().build()).setWorkerCount(0).build()) {
            createNativeCatalogs(queryRunner, data);
            if (cached) {
                out.printf("reusing TPC-H SF%s in %s (%s)%n", data.scaleText(), data.directory(), data.recordedGeneration());
            }
            else {
                data.write(queryRunner, out);
            }
            Path products = writeDescriptors(data);
            queryRunner.installPlugin(new MeshPlugin());
            queryRunner.createCatalog("mesh", MeshConnectorFactory.CONNECTOR_NAME, meshCatalog(products, data));
            analyzeMesh(queryRunner, data, options, out);

            List<String> summary = new ArrayList<>();
            for (Format format : options.formats()) {
                summary.add(compare(queryRunner, out, options, format));
            }
            if (options.governance()) {
                summary.addAll(governanceOverhead(queryRunner, products, data, out, options));
            }
            out.printf("%nSummary (TPC-H SF%s, %d queries, median of %d runs after %d warm-up runs, the connectors alternating, one JVM on %d cores):%n",
                    data.scaleText(), options.queries().size(), options.runs(), options.warmup(), Runtime.getRuntime().availableProcessors());
            summary.forEach(line -> out.println("  " + line));
        }
    }

    private static Map<String, String> meshCatalog(Path products, TpchData data)
    {
        return ImmutableMap.of(
                "mesh.descriptors.directory", products.toString(),
                "mesh.statistics.location", data.directory().resolve("mesh-statistics").toString());
    }

    /**
     * The native connectors' tables carry the distinct values their writers or ANALYZE collected
     * (Hive's CREATE TABLE AS, the Puffin files of Trino's Iceberg writer); Parquet and Delta files
     * record none, so the mesh's own ANALYZE computes them, once per data written: statistics of
     * data unchanged since are reused, as the mesh itself does.
     */
    private static void analyzeMesh(QueryRunner queryRunner, TpchData data, Options options, PrintStream out)
    {
        for (Format format : options.formats()) {
            if (format == Format.ICEBERG) {
                continue;
            }
            for (String table : TpchData.tableNames()) {
                if (Files.exists(data.directory().resolve("mesh-statistics/mesh/%s/%s.json".formatted(format.meshSchema, table)))) {
                    continue;
                }
                long start = System.nanoTime();
                queryRunner.execute("ANALYZE mesh.%s.%s".formatted(format.meshSchema, table));
                out.printf("ANALYZE mesh.%s.%s: %.1f s%n", format.meshSchema, table, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static void createNativeCatalogs(QueryRunner queryRunner, TpchData data)
    {
        queryRunner.installPlugin(new TpchPlugin());
        // the standard column names (l_orderkey) the queries use, and money as decimal(12,2) as TPC-H defines it
        queryRunner.createCatalog("tpch", "tpch", ImmutableMap.of("tpch.column-naming", "STANDARD", "tpch.double-type-mapping", "DECIMAL"));
        queryRunner.installPlugin(new HivePlugin());
        queryRunner.createCatalog("hive", "hive", ImmutableMap.of(
                "hive.metastore", "file",
                "hive.metastore.catalog.dir", "local://" + data.hiveMetastore(),
                "fs.native-local.enabled", "true",
                "local.location", "/"));
        queryRunner.installPlugin(new IcebergPlugin());
        queryRunner.createCatalog("iceberg", "iceberg", ImmutableMap.of(
                "iceberg.catalog.type", "jdbc",
                "iceberg.jdbc-catalog.driver-class", "org.sqlite.JDBC",
                "iceberg.jdbc-catalog.connection-url", "jdbc:sqlite:" + data.icebergCatalogDatabase(),
                "iceberg.jdbc-catalog.catalog-name", TpchData.icebergCatalogName(),
                "iceberg.jdbc-catalog.default-warehouse-dir", "file://" + data.icebergWarehouse(),
                "fs.native-local.enabled", "true",
                "local.location", "/"));
    }

    /**
     * One data product per format, each its own domain (schema): the Parquet tables at the
     * folders Hive wrote, the Delta tables, and the Iceberg tables through the descriptor's own
     * JDBC catalog, the one Trino's Iceberg connector wrote. Analysts may read them all, for the
     * governed runs.
     */
    private static Path writeDescriptors(TpchData data)
            throws IOException
    {
        Path products = data.directory().resolve("products");
        if (Files.exists(products)) {
            deleteRecursively(products, ALLOW_INSECURE);
        }
        Files.createDirectories(products);
        for (Format format : Format.values()) {
            DataProductYaml descriptor = dataProduct("tpch-" + format.label(), "tpch-" + format.label(), "benchmark")
                    .description("TPC-H SF%s as %s".formatted(data.scaleText(), format.label()));
            if (format == Format.ICEBERG) {
                descriptor.sqliteCatalog(data.icebergCatalogDatabase(), data.icebergWarehouse());
            }
            for (String table : TpchData.tableNames()) {
                descriptor.asset(switch (format) {
                    case PARQUET -> parquet(table, quoted(data.parquetTable(table)));
                    case DELTA -> delta(table, quoted(data.deltaTable(table)));
                    case ICEBERG -> icebergTable(table, TpchData.ICEBERG_SCHEMA + "." + table);
                });
            }
            descriptor.grantRead("analyst").writeTo(products.resolve("tpch-%s.yaml".formatted(format.label())));
        }
        return products;
    }

    /**
     * Checks, compares plans and times every query of the options on one format.
     *
     * @return the format's summary line
     */
    private static String compare(DistributedQueryRunner queryRunner, PrintStream out, Options options, Format format)
            throws IOException
    {
        Session mesh = session(queryRunner, "mesh", format.meshSchema);
        List<Session> references = format.references.stream().map(reference -> session(queryRunner, reference.catalog(), reference.schema())).collect(toImmutableList());
        out.printf("%n== %s: mesh.%s against%n", format.label(), format.meshSchema);
        format.references.forEach(reference -> out.printf("   %s.%s: %s%n", reference.catalog(), reference.schema(), reference.description()));
        StringBuilder header = new StringBuilder("%-6s %10s".formatted("query", "mesh ms"));
        format.references.forEach(reference -> header.append(" %10s".formatted(reference.name() + " ms")));
        out.println(header.append(" %9s %9s".formatted("mesh/best", "cpu ratio")));

        Set<String> tables = ImmutableSet.copyOf(TpchData.tableNames());
        List<Measurement> measurements = new ArrayList<>();
        for (String query : options.queries()) {
            String sql = querySql(query);
            MaterializedResult meshRows = queryRunner.execute(mesh, sql);
            for (int i = 0; i < references.size(); i++) {
                checkSameRows("%s on %s: mesh.%s and %s.%s".formatted(query, format.label(), format.meshSchema, format.references.get(i).catalog(), format.references.get(i).schema()),
                        meshRows, queryRunner.execute(references.get(i), sql));
            }
            JoinShape meshShape = joinShape(queryRunner, mesh, sql, tables);
            List<JoinShape> referenceShapes = references.stream().map(session -> joinShape(queryRunner, session, sql, tables)).collect(toImmutableList());
            List<Timing> medians = alternatingMedians(queryRunner, ImmutableList.<Session>builder().add(mesh).addAll(references).build(), sql, options);
            Measurement measurement = new Measurement(query, medians.getFirst(), medians.subList(1, medians.size()), meshShape, referenceShapes);
            measurements.add(measurement);

            StringBuilder line = new StringBuilder("%-6s %10.1f".formatted(query, measurement.mesh().wallMillis()));
            measurement.references().forEach(timing -> line.append(" %10.1f".formatted(timing.wallMillis())));
            line.append(" %9.2f %9.2f".formatted(measurement.ratio(), measurement.cpuRatio()));
            out.println(line.append("  plan: ").append(measurement.samePlan() ? "same" : "differs"));
            if (!measurement.samePlan()) {
                out.printf("         %-8s %s%n", "mesh", meshShape);
                for (int i = 0; i < references.size(); i++) {
                    out.printf("         %-8s %s%n", format.references.get(i).name(), referenceShapes.get(i));
                }
            }
        }
        Measurement worst = measurements.stream().max(Comparator.comparingDouble(Measurement::ratio)).orElseThrow();
        double geometricMean = geometricMean(measurements.stream().map(Measurement::ratio).toList());
        double cpuGeometricMean = geometricMean(measurements.stream().map(Measurement::cpuRatio).toList());
        Measurement worstCpu = measurements.stream().max(Comparator.comparingDouble(Measurement::cpuRatio)).orElseThrow();
        long samePlans = measurements.stream().filter(Measurement::samePlan).count();
        out.printf("geometric mean of mesh/fastest native: %.2f; worst %s %.2f; CPU time %.2f (worst %s %.2f); same join plan in %d of %d queries%n",
                geometricMean, worst.query(), worst.ratio(), cpuGeometricMean, worstCpu.query(), worstCpu.cpuRatio(), samePlans, measurements.size());
        return "%-8s mesh/%s geometric mean %.2f over %d queries (worst %s %.2f), CPU time %.2f (worst %s %.2f), same join plan in %d of %d".formatted(
                format.label() + ":", String.join("/", format.references.stream().map(Reference::name).toList()),
                geometricMean, measurements.size(), worst.query(), worst.ratio(), cpuGeometricMean, worstCpu.query(), worstCpu.cpuRatio(), samePlans, measurements.size());
    }

    /**
     * The mesh under its access control, as a user whose role (analyst) the descriptors grant the
     * tables and whom no row filter or mask applies to, against the mesh without access control:
     * a second query runner on the same descriptors, the two alternating.
     *
     * @return a summary line per format
     */
    private static List<String> governanceOverhead(DistributedQueryRunner ungoverned, Path products, TpchData data, PrintStream out, Options options)
            throws Exception
    {
        Path audit = Files.createTempDirectory("tpch-benchmark-audit");
        Path etc = repositoryRoot().resolve("etc/mesh");
        // the access control governs the catalogs of the plugin instance it comes from
        MeshPlugin plugin = new MeshPlugin();
        SystemAccessControl accessControl = Streams.stream(plugin.getSystemAccessControlFactories()).collect(onlyElement()).create(ImmutableMap.of(
                "mesh.security.roles-file", etc.resolve("roles.yaml").toString(),
                "mesh.security.policies-directory", etc.resolve("policies").toString(),
                "mesh.audit.file", audit.resolve("mesh-audit.json").toString()), null);
        GroupProvider groupProvider = new MeshGroupProviderFactory().create(ImmutableMap.of("mesh.groups.file", etc.resolve("groups.txt").toString()));
        TimedAccessControl timedAccessControl = TimedAccessControl.timing(accessControl);
        List<String> summary = new ArrayList<>();
        try (DistributedQueryRunner governed = DistributedQueryRunner.builder(testSessionBuilder().build())
                .setWorkerCount(0)
                .setSystemAccessControls(ImmutableList.of(timedAccessControl.accessControl()))
                .setEventListeners(ImmutableList.copyOf(accessControl.getEventListeners()))
                .build();
                Closeable _ = () -> deleteRecursively(audit, ALLOW_INSECURE)) {
            governed.getGroupProvider().setConfiguredGroupProvider(groupProvider);
            governed.installPlugin(plugin);
            governed.createCatalog("mesh", MeshConnectorFactory.CONNECTOR_NAME, meshCatalog(products, data));
            Identity user = Identity.forUser(GOVERNED_USER).withGroups(groupProvider.getGroups(GOVERNED_USER)).build();
            // governance is in force: a user without a role the descriptors grant sees nothing
            Session stranger = Session.builder(session(governed, "mesh", options.formats().getFirst().meshSchema)).setIdentity(Identity.ofUser("benchmark-stranger")).build();
            try {
                governed.execute(stranger, "SELECT count(*) FROM nation");
                throw new IllegalStateException("the governed runner let a user without any role read mesh.%s.nation".formatted(options.formats().getFirst().meshSchema));
            }
            catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).contains("Access Denied")) {
                    throw e;
                }
            }
            for (Format format : options.formats()) {
                Session plain = session(ungoverned, "mesh", format.meshSchema);
                Session governedSession = Session.builder(session(governed, "mesh", format.meshSchema)).setIdentity(user).build();
                out.printf("%n== governance overhead, %s: mesh.%s as %s (groups %s) under the data_mesh access control, against the mesh without it%n",
                        format.label(), format.meshSchema, GOVERNED_USER, user.getGroups());
                out.printf("%-6s %12s %12s %7s %9s %14s %6s %7s%n", "query", "governed ms", "plain ms", "ratio", "cpu ratio", "governance ms", "calls", "share");
                List<Double> ratios = new ArrayList<>();
                List<Double> cpuRatios = new ArrayList<>();
                String worstQuery = "";
                double worstRatio = 0;
                double governanceMillis = 0;
                double governedMillis = 0;
                double largestShare = 0;
                for (String query : options.queries()) {
                    String sql = querySql(query);
                    checkSameRows("%s on %s: the mesh with and without governance".formatted(query, format.label()),
                            ungoverned.execute(plain, sql), governed.execute(governedSession, sql));
                    // the two runners in turn, warm-up rounds first, as alternatingMedians does within one runner
                    for (int round = 0; round < options.warmup(); round++) {
                        governed.execute(governedSession, sql);
                        ungoverned.execute(plain, sql);
                    }
                    double[][] wall = new double[2][options.runs()];
                    double[][] cpu = new double[2][options.runs()];
                    double[] accessControlMillis = new double[options.runs()];
                    long[] accessControlCalls = new long[options.runs()];
                    for (int run = 0; run < options.runs(); run++) {
                        timedAccessControl.reset();
                        Timing governedTiming = time(governed, governedSession, sql);
                        TimedAccessControl.Spent spent = timedAccessControl.reset();
                        Timing plainTiming = time(ungoverned, plain, sql);
                        wall[0][run] = governedTiming.wallMillis();
                        cpu[0][run] = governedTiming.cpuMillis();
                        wall[1][run] = plainTiming.wallMillis();
                        cpu[1][run] = plainTiming.cpuMillis();
                        accessControlMillis[run] = spent.millis();
                        accessControlCalls[run] = spent.calls();
                    }
                    double ratio = median(wall[0]) / median(wall[1]);
                    double cpuRatio = median(cpu[0]) / median(cpu[1]);
                    double spentMillis = median(accessControlMillis);
                    double share = spentMillis / median(wall[0]);
                    ratios.add(ratio);
                    cpuRatios.add(cpuRatio);
                    governanceMillis += spentMillis;
                    governedMillis += median(wall[0]);
                    largestShare = Math.max(largestShare, share);
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        worstQuery = query;
                    }
                    out.printf("%-6s %12.1f %12.1f %7.2f %9.2f %14.2f %6d %6.2f%%%n",
                            query, median(wall[0]), median(wall[1]), ratio, cpuRatio, spentMillis, Arrays.stream(accessControlCalls).sorted().toArray()[options.runs() / 2], 100 * share);
                }
                out.printf("geometric mean of governed/plain: %.2f (worst %s %.2f), CPU time %.2f; time in the access control: %.2f%% of the governed queries' time (largest %.2f%%)%n",
                        geometricMean(ratios), worstQuery, worstRatio, geometricMean(cpuRatios), 100 * governanceMillis / governedMillis, 100 * largestShare);
                summary.add("%-8s governed/plain mesh geometric mean %.2f over %d queries (worst %s %.2f), CPU time %.2f, access control %.2f%% of query time (largest %.2f%%)".formatted(
                        format.label() + ":", geometricMean(ratios), ratios.size(), worstQuery, worstRatio, geometricMean(cpuRatios), 100 * governanceMillis / governedMillis, 100 * largestShare));
            }
        }
        return summary;
    }

    private static Session session(QueryRunner queryRunner, String catalog, String schema)
    {
        return Session.builder(queryRunner.getDefaultSession()).setCatalog(catalog).setSchema(schema).build();
    }

    private static String querySql(String query)
            throws IOException
    {
        return Resources.toString(Resources.getResource(TpchBenchmark.class, "/tpch/%s.sql".formatted(query)), UTF_8).strip();
    }

    private static JoinShape joinShape(QueryRunner queryRunner, Session session, String sql, Set<String> tables)
    {
        String plan = (String) queryRunner.execute(session, "EXPLAIN (TYPE DISTRIBUTED, FORMAT JSON) " + sql).getOnlyValue();
        return JoinShape.fromDistributedPlan(plan, tables);
    }

    /**
     * Runs the query on each session in turn, warm-up rounds first, so that none profits from
     * another having warmed up the engine's shared code, and returns each session's median time.
     */
    private static List<Timing> alternatingMedians(DistributedQueryRunner queryRunner, List<Session> sessions, String sql, Options options)
    {
        for (int round = 0; round < options.warmup(); round++) {
            sessions.forEach(session -> queryRunner.execute(session, sql));
        }
        double[][] wall = new double[sessions.size()][options.runs()];
        double[][] cpu = new double[sessions.size()][options.runs()];
        for (int run = 0; run < options.runs(); run++) {
            for (int i = 0; i < sessions.size(); i++) {
                Timing timing = time(queryRunner, sessions.get(i), sql);
                wall[i][run] = timing.wallMillis();
                cpu[i][run] = timing.cpuMillis();
            }
        }
        return IntStream.range(0, sessions.size())
                .mapToObj(i -> new Timing(median(wall[i]), median(cpu[i])))
                .collect(toImmutableList());
    }

    private static Timing time(DistributedQueryRunner queryRunner, Session session, String sql)
    {
        long start = System.nanoTime();
        QueryId queryId = queryRunner.executeWithPlan(session, sql).queryId();
        double wallMillis = (System.nanoTime() - start) / 1_000_000.0;
        double cpuMillis = queryRunner.getCoordinator().getQueryManager().getFullQueryInfo(queryId).getQueryStats().getTotalCpuTime().getValue(MILLISECONDS);
        return new Timing(wallMillis, cpuMillis);
    }

    private static double median(double[] values)
    {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double geometricMean(List<Double> ratios)
    {
        return Math.exp(ratios.stream().mapToDouble(Math::log).average().orElse(0));
    }

    /**
     * The same rows in any order: decimals compared by value (precision and scale may differ
     * between connectors' result types), doubles within a relative 1e-9, as sums over doubles
     * depend on the order rows arrive in.
     */
    private static void checkSameRows(String what, MaterializedResult expected, MaterializedResult actual)
    {
        List<List<Object>> expectedRows = normalized(expected);
        List<List<Object>> actualRows = normalized(actual);
        if (expectedRows.size() != actualRows.size()) {
            throw new AssertionError("results differ for %s: %d rows against %d%nfirst: %s%nsecond: %s".formatted(
                    what, expectedRows.size(), actualRows.size(), head(expectedRows), head(actualRows)));
        }
        for (int row = 0; row < expectedRows.size(); row++) {
            List<Object> left = expectedRows.get(row);
            List<Object> right = actualRows.get(row);
            boolean same = left.size() == right.size() && IntStream.range(0, left.size()).allMatch(field -> sameValue(left.get(field), right.get(field)));
            if (!same) {
                throw new AssertionError("results differ for %s: row %s against %s (rows sorted)".formatted(what, left, right));
            }
        }
    }

    private static List<List<Object>> normalized(MaterializedResult result)
    {
        return result.getMaterializedRows().stream()
                .map(MaterializedRow::getFields)
                .map(fields -> fields.stream().map(TpchBenchmark::normalizedValue).toList())
                .sorted(Comparator.comparing(TpchBenchmark::sortKey))
                .collect(toImmutableList());
    }

    private static Object normalizedValue(Object value)
    {
        if (value instanceof SqlDecimal decimal) {
            return decimal.toBigDecimal().stripTrailingZeros();
        }
        return value;
    }

    private static String sortKey(List<Object> row)
    {
        return row.stream()
                .map(value -> value instanceof Double number ? "%.6e".formatted(number) : String.valueOf(Optional.ofNullable(value).map(Object::toString).orElse("null")))
                .toList()
                .toString();
    }

    private static boolean sameValue(Object left, Object right)
    {
        if (left instanceof Double first && right instanceof Double second) {
            return Math.abs(first - second) <= 1e-9 * Math.max(1, Math.max(Math.abs(first), Math.abs(second)));
        }
        if (left instanceof BigDecimal first && right instanceof BigDecimal second) {
            return first.compareTo(second) == 0;
        }
        return Objects.equals(left, right);
    }

    private static String head(List<List<Object>> rows)
    {
        return rows.stream().limit(3).toList() + (rows.size() > 3 ? " ..." : "");
    }
}
