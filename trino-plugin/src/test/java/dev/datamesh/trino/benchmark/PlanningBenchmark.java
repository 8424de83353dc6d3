package dev.datamesh.trino.benchmark;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.trino.MeshConnectorFactory;
import dev.datamesh.trino.MeshPlugin;
import dev.datamesh.trino.MeshSplit;
import io.airlift.log.Level;
import io.airlift.log.Logging;
import io.opentelemetry.api.trace.Span;
import io.trino.Session;
import io.trino.execution.QueryManagerConfig;
import io.trino.metadata.TableHandle;
import io.trino.plugin.iceberg.IcebergPlugin;
import io.trino.spi.connector.DynamicFilter;
import io.trino.split.SplitSource;
import io.trino.split.SplitSource.SplitBatch;
import io.trino.sql.planner.Plan;
import io.trino.sql.planner.plan.PlanNode;
import io.trino.sql.planner.plan.TableScanNode;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.QueryRunner;

import javax.management.JMException;
import javax.management.ObjectName;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.icebergTable;
import static dev.datamesh.trino.SampleMeshDirectory.repositoryRoot;
import static io.airlift.concurrent.MoreFutures.getFutureValue;
import static io.trino.spi.connector.Constraint.alwaysTrue;
import static io.trino.sql.planner.optimizations.PlanNodeSearcher.searchFrom;
import static io.trino.testing.TestingSession.testSessionBuilder;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Planning at scale: how long the mesh takes to plan a query on a Delta table of 100,000 data files
 * (checkpointed) and on an Iceberg table of 10,000 manifests, until its first split and until its
 * last, for a selective predicate and a full scan, against Trino's Iceberg connector on the same
 * Iceberg table (Trino's Delta Lake connector is not part of this build, so the Delta table has the
 * mesh's figures only), and how much heap its split source holds. Splits are drawn as the engine
 * draws them, through the coordinator's SplitManager in batches of the engine's size, from the
 * table handle the planner produced. Run on demand with {@code bin/mesh benchmark planning}; the
 * tables are written once under var/benchmark/planning. Split counts and row counts are checked
 * between the two connectors and against the data written before any figure is printed.
 */
public final class PlanningBenchmark
{
    // what the engine asks a split source for at a time (query.schedule-split-batch-size)
    private static final int BATCH_SIZE = new QueryManagerConfig().getScheduleSplitBatchSize();
    private static final int WARMUP = 2;
    // a case whose cold run takes longer is timed fewer times: its noise is small against its time
    private static final double SLOW_MILLIS = 10_000;
    private static final int SLOW_WARMUP = 1;
    private static final int SLOW_RUNS = 3;
    private static final double MEGABYTE = 1024.0 * 1024.0;
    // the splits of the two connectors, counted in the heap: how many a split source holds at once
    private static final Set<String> SPLIT_CLASSES = ImmutableSet.of(MeshSplit.class.getName(), "io.trino.plugin.iceberg.IcebergSplit");
    // a line of the class histogram: "  12:   100000   4800000  dev.datamesh.trino.MeshSplit"
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+).*");

    private final QueryRunner runner;
    private final Options options;
    private final PrintStream out;
    private int coldCatalogs;

    private PlanningBenchmark(QueryRunner runner, Options options, PrintStream out)
    {
        this.runner = runner;
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args)
            throws Exception
    {
        // Trino's logging takes over System.out once a server starts; the report goes to the real stdout
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
        Options options = Options.parse(args);
        // Iceberg reports every scan and commit at INFO
        Logging logging = Logging.initialize();
        logging.setLevel("org.apache.iceberg", Level.WARN);
        // Delta Kernel reports every snapshot, scan and commit at INFO
        logging.setLevel("io.delta.kernel", Level.WARN);

        out.printf("Planning at scale: writing the tables under %s unless an earlier run did%n", options.data());
        PlanningTables.Generated delta = PlanningTables.delta(options.data().resolve("delta-" + options.deltaFiles()), options.deltaFiles());
        out.printf("  Delta: %,d data files of %d rows, partitioned by region, in %d commits, a checkpoint every 10 and two commits after the last: %s in %.1f s%n",
                options.deltaFiles(), PlanningTables.ROWS_PER_FILE, PlanningTables.deltaCommits(options.deltaFiles()), delta.cached() ? "written by an earlier run" : "written", delta.seconds());
        PlanningTables.Generated iceberg = PlanningTables.iceberg(options.data().resolve("iceberg-%sx%s".formatted(options.icebergManifests(), options.filesPerManifest())), options.icebergManifests(), options.filesPerManifest());
        out.printf("  Iceberg: %,d manifests of %d data files (%,d files of %d rows), partitioned by day(event_date), one snapshot: %s in %.1f s%n",
                options.icebergManifests(), options.filesPerManifest(), options.icebergManifests() * options.filesPerManifest(), PlanningTables.ROWS_PER_FILE, iceberg.cached() ? "written by an earlier run" : "written", iceberg.seconds());

        Path products = Files.createTempDirectory("planning-benchmark");
        dataProduct("planning-benchmark", "bench", "benchmark")
                .sqliteCatalog(PlanningTables.icebergCatalogDatabase(iceberg), PlanningTables.icebergWarehouse(iceberg))
                .asset(
                        delta("events_delta", PlanningTables.deltaTable(delta).toString()),
                        delta("warmup_delta", PlanningTables.deltaWarmup(delta).toString()),
                        icebergTable("events_iceberg", PlanningTables.ICEBERG_NAMESPACE + "." + PlanningTables.ICEBERG_TABLE),
                        icebergTable("warmup_iceberg", PlanningTables.ICEBERG_NAMESPACE + "." + PlanningTables.ICEBERG_WARMUP))
                .writeTo(products.resolve("bench.yaml"));

        Connector mesh = new Connector("mesh", MeshConnectorFactory.CONNECTOR_NAME, ImmutableMap.of("mesh.descriptors.directory", products.toString()));
        // Trino's Iceberg connector on the same JDBC catalog, hence the same metadata and files
        Connector trinoIceberg = new Connector("iceberg", "iceberg", ImmutableMap.of(
                "iceberg.catalog.type", "jdbc",
                "iceberg.jdbc-catalog.driver-class", "org.sqlite.JDBC",
                "iceberg.jdbc-catalog.connection-url", "jdbc:sqlite:" + PlanningTables.icebergCatalogDatabase(iceberg),
                "iceberg.jdbc-catalog.catalog-name", IcebergCatalogDescriptor.DEFAULT_NAME,
                "iceberg.jdbc-catalog.default-warehouse-dir", "file://" + PlanningTables.icebergWarehouse(iceberg),
                "fs.native-local.enabled", "true",
                "local.location", "/"));

        try (QueryRunner runner = DistributedQueryRunner.builder(testSessionBuilder().build()).setWorkerCount(0).build();
                Closeable _ = () -> deleteRecursively(products, ALLOW_INSECURE)) {
            runner.installPlugin(new MeshPlugin());
            runner.installPlugin(new IcebergPlugin());
            for (Connector connector : ImmutableList.of(mesh, trinoIceberg)) {
                runner.createCatalog(connector.catalog(), connector.connectorName(), connector.properties());
            }
            PlanningBenchmark benchmark = new PlanningBenchmark(runner, options, out);

            String deltaLabel = "Delta %,d files".formatted(options.deltaFiles());
            String icebergLabel = "Iceberg %,d manifests".formatted(options.icebergManifests());
            int deltaDay = PlanningTables.selectiveDay(options.deltaFiles());
            int icebergDay = PlanningTables.selectiveDay(options.icebergManifests());
            long deltaSelectiveFiles = count(options.deltaFiles(), file -> PlanningTables.deltaDay(file, options.deltaFiles()) == deltaDay);
            long icebergSelectiveFiles = count(options.icebergManifests(), manifest -> PlanningTables.icebergDay(manifest, options.icebergManifests()) == icebergDay) * options.filesPerManifest();
            List<Case> cases = ImmutableList.of(
                    new Case(deltaLabel, "selective", "bench.events_delta", Optional.empty(), Optional.of(PlanningTables.date(deltaDay).toString()), deltaSelectiveFiles),
                    new Case(deltaLabel, "full scan", "bench.events_delta", Optional.empty(), Optional.empty(), options.deltaFiles()),
                    new Case(icebergLabel, "selective", "bench.events_iceberg", Optional.of("bench.events"), Optional.of(PlanningTables.date(icebergDay).toString()), icebergSelectiveFiles),
                    new Case(icebergLabel, "full scan", "bench.events_iceberg", Optional.of("bench.events"), Optional.empty(), (long) options.icebergManifests() * options.filesPerManifest()));

            // the JIT and class loading are not what a cold run should measure: the small tables take them
            benchmark.warmUp(mesh, trinoIceberg);
            List<Measured> results = new ArrayList<>();
            for (Case benchmarkCase : cases) {
                results.add(benchmark.measure(benchmarkCase, mesh, benchmarkCase.nativeTable().map(_ -> trinoIceberg)));
            }
            benchmark.report(results);
        }
    }

    private void warmUp(Connector mesh, Connector trinoIceberg)
    {
        for (int run = 0; run < 3; run++) {
            for (String query : ImmutableList.of("SELECT count(*) FROM %s", "SELECT count(*) FROM %s WHERE event_date = DATE '2000-01-01'")) {
                planAndDrain(mesh.catalog() + ".bench.warmup_delta", query);
                planAndDrain(mesh.catalog() + ".bench.warmup_iceberg", query);
                planAndDrain(trinoIceberg.catalog() + ".bench.warmup", query);
                runner.execute(query.formatted(mesh.catalog() + ".bench.warmup_iceberg"));
                runner.execute(query.formatted(trinoIceberg.catalog() + ".bench.warmup"));
                runner.execute(query.formatted(mesh.catalog() + ".bench.warmup_delta"));
            }
        }
    }

    private void planAndDrain(String table, String query)
    {
        splits(query.formatted(table), Optional.empty());
    }

    /**
     * One case on the mesh, and on the reference connector when there is one: a cold run on a new
     * catalog of each, then warm runs alternating between them, then the heap a split source holds.
     */
    private Measured measure(Case benchmarkCase, Connector mesh, Optional<Connector> reference)
    {
        out.printf("measuring %s, %s...%n", benchmarkCase.table(), benchmarkCase.query());
        List<Connector> connectors = reference.map(connector -> ImmutableList.of(mesh, connector)).orElseGet(() -> ImmutableList.of(mesh));
        List<Cold> cold = connectors.stream().map(connector -> cold(benchmarkCase, connector)).toList();

        boolean slow = cold.stream().anyMatch(run -> run.run().planMillis() + run.run().allSplitsMillis() > SLOW_MILLIS);
        int warmup = slow ? SLOW_WARMUP : WARMUP;
        int runs = slow ? Math.min(SLOW_RUNS, options.runs()) : options.runs();

        // warm: alternating, so that neither profits from the other having warmed the engine's code first
        List<List<SplitRun>> warm = new ArrayList<>();
        connectors.forEach(_ -> warm.add(new ArrayList<>()));
        List<double[]> explain = connectors.stream().map(_ -> new double[runs]).toList();
        List<double[]> count = connectors.stream().map(_ -> new double[runs]).toList();
        for (int run = -warmup; run < runs; run++) {
            for (int index = 0; index < connectors.size(); index++) {
                SplitRun splitRun = splits(benchmarkCase.sql(connectors.get(index)), Optional.empty());
                if (run >= 0) {
                    warm.get(index).add(splitRun);
                }
            }
        }
        for (int run = -warmup; run < runs; run++) {
            for (int index = 0; index < connectors.size(); index++) {
                double millis = millis("EXPLAIN " + benchmarkCase.sql(connectors.get(index)));
                if (run >= 0) {
                    explain.get(index)[run] = millis;
                }
            }
        }
        // a full scan opens every file: read once, to check the row count, not timed repeatedly
        int countRuns = benchmarkCase.selective() ? runs : 1;
        List<Long> rows = connectors.stream().map(connector -> (Long) runner.execute(benchmarkCase.sql(connector)).getOnlyValue()).toList();
        for (int run = benchmarkCase.selective() ? -warmup : 0; run < countRuns; run++) {
            for (int index = 0; index < connectors.size(); index++) {
                double millis = millis(benchmarkCase.sql(connectors.get(index)));
                if (run >= 0) {
                    count.get(index)[run] = millis;
                }
            }
        }

        List<MemoryRun> memory = new ArrayList<>();
        for (int index = 0; index < connectors.size(); index++) {
            memory.add(memory(benchmarkCase.sql(connectors.get(index)), warm.get(index).getFirst().splits()));
        }

        ImmutableList.Builder<ConnectorResult> results = ImmutableList.builder();
        for (int index = 0; index < connectors.size(); index++) {
            SplitRun anyWarm = warm.get(index).getFirst();
            for (SplitRun splitRun : warm.get(index)) {
                checkState(splitRun.splits() == anyWarm.splits(), "%s on %s: %s splits in one run, %s in another", benchmarkCase, connectors.get(index).catalog(), splitRun.splits(), anyWarm.splits());
            }
            results.add(new ConnectorResult(
                    connectors.get(index).catalog(),
                    cold.get(index),
                    new SplitRun(
                            median(warm.get(index).stream().mapToDouble(SplitRun::planMillis).toArray()),
                            median(warm.get(index).stream().mapToDouble(SplitRun::firstSplitMillis).toArray()),
                            median(warm.get(index).stream().mapToDouble(SplitRun::allSplitsMillis).toArray()),
                            anyWarm.splits(),
                            anyWarm.batches(),
                            anyWarm.largestBatch()),
                    median(explain.get(index)),
                    Arrays.copyOf(count.get(index), countRuns),
                    rows.get(index),
                    memory.get(index)));
        }
        Measured measured = new Measured(benchmarkCase, runs, results.build());
        check(measured);
        for (ConnectorResult result : measured.results()) {
            out.printf("  %-8s %,d splits; warm: plan %.0f ms, first split %.0f ms later, last %.0f ms later; cold: %.0f ms in all%n",
                    result.catalog(), result.warm().splits(), result.warm().planMillis(), result.warm().firstSplitMillis(), result.warm().allSplitsMillis(),
                    result.cold().run().planMillis() + result.cold().run().allSplitsMillis());
        }
        return measured;
    }

    /**
     * The splits and rows each connector found are the files and rows the data holds: the
     * figures compare the same work.
     */
    private static void check(Measured measured)
    {
        Case benchmarkCase = measured.benchmarkCase();
        for (ConnectorResult result : measured.results()) {
            checkState(result.warm().splits() == benchmarkCase.expectedFiles(), "%s: %s found %s splits, the table has %s matching files", benchmarkCase, result.catalog(), result.warm().splits(), benchmarkCase.expectedFiles());
            checkState(result.cold().run().splits() == benchmarkCase.expectedFiles(), "%s: %s found %s splits when cold, the table has %s matching files", benchmarkCase, result.catalog(), result.cold().run().splits(), benchmarkCase.expectedFiles());
            long expectedRows = benchmarkCase.expectedFiles() * PlanningTables.ROWS_PER_FILE;
            checkState(result.rows() == expectedRows, "%s: %s counted %s rows, the table has %s", benchmarkCase, result.catalog(), result.rows(), expectedRows);
        }
    }

    /**
     * The first query of a new catalog: nothing of the table in the connector's caches (the JVM's
     * code and the operating system's page cache are warm). The heap the catalog keeps afterwards
     * is what its caches hold for the table.
     */
    private Cold cold(Case benchmarkCase, Connector connector)
    {
        Connector fresh = connector.renamed(connector.catalog() + "_cold_" + coldCatalogs++);
        runner.createCatalog(fresh.catalog(), fresh.connectorName(), fresh.properties());
        // the catalog's own start (a first descriptor load) is not the table's planning
        runner.execute("SHOW SCHEMAS FROM " + fresh.catalog());
        long before = retainedHeap();
        SplitRun run = splits(benchmarkCase.sql(fresh), Optional.empty());
        long after = retainedHeap();
        runner.execute("DROP CATALOG " + fresh.catalog());
        return new Cold(run, after - before);
    }

    /**
     * Plans the query, takes the table handle the planner settled on (pushdown done) and draws
     * every split from the coordinator's SplitManager, as the engine's scheduler does, batch by
     * batch. With a probe, the heap retained is measured along the way (and the times mean little).
     */
    private SplitRun splits(String sql, Optional<HeapProbe> probe)
    {
        // a query id of its own (the mesh keeps a query's registry by it), and the catalogs' session properties
        Session session = testSessionBuilder(runner.getSessionPropertyManager()).build();
        return runner.inTransaction(session, transaction -> {
            long start = System.nanoTime();
            Plan plan = runner.createPlan(transaction, sql);
            long planned = System.nanoTime();
            List<PlanNode> scans = searchFrom(plan.getRoot()).whereIsInstanceOfAny(TableScanNode.class).findAll();
            checkState(scans.size() == 1, "expected one table scan in %s, found %s", sql, scans.size());
            TableHandle table = ((TableScanNode) scans.getFirst()).getTable();
            probe.ifPresent(HeapProbe::beforeSplits);
            int splits = 0;
            int batches = 0;
            int largestBatch = 0;
            long firstSplit = 0;
            try (SplitSource source = runner.getCoordinator().getSplitManager().getSplits(transaction, Span.getInvalid(), table, DynamicFilter.EMPTY, alwaysTrue())) {
                boolean last = false;
                while (!last) {
                    SplitBatch batch = getFutureValue(source.getNextBatch(BATCH_SIZE));
                    last = batch.isLastBatch();
                    int size = batch.getSplits().size();
                    // the scheduler hands a batch on: what stays in the heap is the source's
                    batch = null;
                    splits += size;
                    batches++;
                    largestBatch = Math.max(largestBatch, size);
                    if (splits > 0 && firstSplit == 0) {
                        firstSplit = System.nanoTime();
                    }
                    int drawn = splits;
                    probe.ifPresent(heap -> heap.drawn(drawn));
                }
            }
            long end = System.nanoTime();
            probe.ifPresent(HeapProbe::closed);
            return new SplitRun(
                    (planned - start) / 1e6,
                    firstSplit == 0 ? Double.NaN : (firstSplit - planned) / 1e6,
                    (end - planned) / 1e6,
                    splits,
                    batches,
                    largestBatch);
        });
    }

    private MemoryRun memory(String sql, int splits)
    {
        HeapProbe probe = new HeapProbe(splits);
        SplitRun run = splits(sql, Optional.of(probe));
        return new MemoryRun(probe.baseline, probe.atFirstBatch, probe.halfDrained, probe.afterClose, run.batches(), run.largestBatch());
    }

    /**
     * The heap retained while a split source is drawn, and the splits in it: before the source
     * opens (the plan and the connector's caches are already there), once its first batch
     * arrived, once half its splits did, and after it closed.
     */
    private static final class HeapProbe
    {
        private final int splits;
        private HeapSample baseline;
        private HeapSample atFirstBatch;
        private HeapSample halfDrained;
        private HeapSample afterClose;

        private HeapProbe(int splits)
        {
            this.splits = splits;
        }

        void beforeSplits()
        {
            baseline = HeapSample.take();
        }

        void drawn(int drawn)
        {
            if (drawn > 0 && atFirstBatch == null) {
                atFirstBatch = HeapSample.take();
            }
            if (drawn >= splits / 2 && halfDrained == null) {
                halfDrained = splits / 2 == 0 ? atFirstBatch : HeapSample.take();
            }
        }

        void closed()
        {
            afterClose = HeapSample.take();
        }
    }

    /**
     * @param bytes heap that live objects occupy, after full collections so that garbage does not count
     * @param splits the connectors' splits among them: how many a split source holds at once
     */
    private record HeapSample(long bytes, long splits)
    {
        static HeapSample take()
        {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return new HeapSample(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), liveSplits());
        }

        /**
         * Instances of the two connectors' split classes in the heap's class histogram (which
         * counts live objects only).
         */
        private static long liveSplits()
        {
            String histogram;
            try {
                histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
            }
            catch (JMException e) {
                throw new IllegalStateException("cannot read the heap's class histogram", e);
            }
            return histogram.lines()
                    .map(HISTOGRAM_LINE::matcher)
                    .filter(Matcher::matches)
                    .filter(line -> SPLIT_CLASSES.contains(line.group(2)))
                    .mapToLong(line -> Long.parseLong(line.group(1)))
                    .sum();
        }
    }

    /**
     * The heap that live objects occupy: after full collections, so garbage does not count.
     */
    private static long retainedHeap()
    {
        return HeapSample.take().bytes();
    }

    private double millis(String sql)
    {
        long start = System.nanoTime();
        runner.execute(sql);
        return (System.nanoTime() - start) / 1e6;
    }

    private void report(List<Measured> results)
    {
        out.printf("%nPlanning at scale, Trino 476, %d core(s); batches of %d splits as the engine asks; times in ms, warm ones medians of the runs shown%n",
                Runtime.getRuntime().availableProcessors(), BATCH_SIZE);
        out.println("""
                  plan: parse, analysis, metadata, statistics and pushdown (QueryRunner.createPlan), until the table handle of the scan
                  1st / all: from SplitManager.getSplits until the first split / the last one arrives; total: plan + all
                  cold: first query of a new catalog (connector caches empty; JVM code and OS page cache warm)
                  EXPLAIN and count(*): end to end, through the engine; count(*) of a full scan is one run""");
        if (options.runs() > SLOW_RUNS) {
            out.printf("runs: %d, or %d for a case whose cold run took over %.0f s%n", options.runs(), SLOW_RUNS, SLOW_MILLIS / 1000);
        }
        out.printf("%-24s %-10s %-9s %8s | %9s %9s %9s %9s | %4s %9s %9s %9s %9s | %9s %9s%n",
                "table", "query", "connector", "splits", "cold plan", "1st", "all", "total", "runs", "warm plan", "1st", "all", "total", "EXPLAIN", "count(*)");
        for (Measured measured : results) {
            for (ConnectorResult result : measured.results()) {
                SplitRun cold = result.cold().run();
                SplitRun warm = result.warm();
                out.printf("%-24s %-10s %-9s %,8d | %9.1f %9.1f %9.1f %9.1f | %4d %9.1f %9.1f %9.1f %9.1f | %9.1f %9.1f%n",
                        measured.benchmarkCase().table(), measured.benchmarkCase().query(), result.catalog(), warm.splits(),
                        cold.planMillis(), cold.firstSplitMillis(), cold.allSplitsMillis(), cold.planMillis() + cold.allSplitsMillis(),
                        measured.runs(), warm.planMillis(), warm.firstSplitMillis(), warm.allSplitsMillis(), warm.planMillis() + warm.allSplitsMillis(),
                        result.explainMillis(), median(result.countMillis()));
            }
            if (measured.benchmarkCase().nativeTable().isEmpty()) {
                out.printf("%-24s %-10s %-9s %8s   (no reference: Trino's Delta Lake connector is not in this build)%n", "", "", "delta", "-");
            }
        }

        out.printf("%nWhat the split source holds while the engine draws it: splits alive in the heap, and MB retained after full GC against before getSplits%n");
        out.printf("%-24s %-10s %-9s %8s %8s %8s | %12s %12s | %9s %9s %9s | %12s%n",
                "table", "query", "connector", "splits", "batches", "largest", "held at 1st", "at half", "MB at 1st", "at half", "closed", "cache (cold)");
        for (Measured measured : results) {
            for (ConnectorResult result : measured.results()) {
                MemoryRun memory = result.memory();
                out.printf("%-24s %-10s %-9s %,8d %,8d %,8d | %,12d %,12d | %9.1f %9.1f %9.1f | %12.1f%n",
                        measured.benchmarkCase().table(), measured.benchmarkCase().query(), result.catalog(), result.warm().splits(), memory.batches(), memory.largestBatch(),
                        memory.atFirstBatch().splits(), memory.halfDrained().splits(),
                        memory.megabytes(memory.atFirstBatch()), memory.megabytes(memory.halfDrained()), memory.megabytes(memory.afterClose()), result.cold().retainedBytes() / MEGABYTE);
            }
        }
        out.println("""
                  held at 1st / at half: splits alive once the first batch / half the splits were handed on (a source that lists every split up front holds them all)
                  MB: heap retained (noise about +-3 MB); cache (cold): heap the connector keeps after its first query of the table (its caches: snapshots, metadata)
                  checked: each connector's split count is the number of files the predicate selects, and count(*) is their rows""");
    }

    private static long count(int units, IntPredicate predicate)
    {
        return IntStream.range(0, units).filter(predicate).count();
    }

    private static double median(double[] values)
    {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * @param deltaFiles data files of the Delta table
     * @param icebergManifests manifests of the Iceberg table's snapshot
     * @param filesPerManifest data files each manifest lists
     * @param runs warm runs each median is taken from
     * @param data where the tables are kept between runs
     */
    private record Options(int deltaFiles, int icebergManifests, int filesPerManifest, int runs, Path data)
    {
        static Options parse(String[] args)
        {
            int deltaFiles = 100_000;
            int icebergManifests = 10_000;
            int filesPerManifest = 2;
            int runs = 5;
            Path data = repositoryRoot().resolve("var/benchmark/planning");
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                checkArgument(i + 1 < args.length, "%s needs a value", option);
                String value = args[++i];
                switch (option) {
                    case "--delta-files" -> deltaFiles = positive(option, value);
                    case "--iceberg-manifests" -> icebergManifests = positive(option, value);
                    case "--files-per-manifest" -> filesPerManifest = positive(option, value);
                    case "--runs" -> runs = positive(option, value);
                    case "--data" -> data = Path.of(value).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option %s; options: --delta-files N (100000), --iceberg-manifests N (10000), --files-per-manifest N (2), --runs N (5), --data FOLDER (var/benchmark/planning)".formatted(option));
                }
            }
            return new Options(deltaFiles, icebergManifests, filesPerManifest, runs, data);
        }

        private static int positive(String option, String value)
        {
            int number = Integer.parseInt(value.replace("_", "").replace(",", ""));
            checkArgument(number > 0, "%s must be positive, not %s", option, value);
            return number;
        }
    }

    private record Connector(String catalog, String connectorName, Map<String, String> properties)
    {
        Connector renamed(String newCatalog)
        {
            return new Connector(newCatalog, connectorName, properties);
        }
    }

    /**
     * @param meshTable the table in the mesh catalog
     * @param nativeTable the same table in the reference catalog, when a connector of this build reads it
     * @param day the day the selective query reads; empty for a full scan
     * @param expectedFiles the data files the query must read
     */
    private record Case(String table, String query, String meshTable, Optional<String> nativeTable, Optional<String> day, long expectedFiles)
    {
        boolean selective()
        {
            return day.isPresent();
        }

        String sql(Connector connector)
        {
            String name = connector.connectorName().equals(MeshConnectorFactory.CONNECTOR_NAME) ? meshTable : nativeTable.orElseThrow();
            return "SELECT count(*) FROM %s.%s".formatted(connector.catalog(), name)
                    + day.map(" WHERE event_date = DATE '%s'"::formatted).orElse("");
        }
    }

    private record SplitRun(double planMillis, double firstSplitMillis, double allSplitsMillis, int splits, int batches, int largestBatch) {}

    private record Cold(SplitRun run, long retainedBytes) {}

    private record MemoryRun(HeapSample baseline, HeapSample atFirstBatch, HeapSample halfDrained, HeapSample afterClose, int batches, int largestBatch)
    {
        double megabytes(HeapSample sample)
        {
            return (sample.bytes() - baseline.bytes()) / MEGABYTE;
        }
    }

    private record ConnectorResult(String catalog, Cold cold, SplitRun warm, double explainMillis, double[] countMillis, long rows, MemoryRun memory) {}

    /**
     * @param runs the warm runs each median is taken from
     */
    private record Measured(Case benchmarkCase, int runs, List<ConnectorResult> results) {}
}
