package dev.datamesh.trino.loadtest;

import com.google.common.collect.ImmutableSet;
import dev.datamesh.trino.loadtest.SampleAnswers.CustomerDescriptor;
import dev.datamesh.trino.loadtest.SampleAnswers.MeshState;
import dev.datamesh.trino.s3.S3ProxyServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static com.google.common.base.Preconditions.checkState;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * What the load test does to the mesh while its clients run, and when: it rewrites
 * customer-data-product's descriptor with a new version (the served registry reloads; the
 * catalog table shows the version) that, every other time, grants data scientists no read
 * access (dora's reads of the product are denied, then answered again); it switches a global
 * denial of the sales domain to analysts and data scientists on and off by rewriting a policy
 * file (alice's, connor's and dora's sales reads are denied, then answered again; the catalog
 * table hides the sales product from them, then shows it); it stops the S3 store and starts it
 * again; and on a cluster it has a worker restarted. It keeps the times of each change, so that
 * the checker knows which states of the files a query may have been decided in, and the windows
 * in which a fault may fail queries.
 */
final class Faults
        implements AutoCloseable
{
    static final String S3_OUTAGE = "S3 store stopped";
    static final String WORKER_RESTART = "worker restarted";
    // what a query with tasks on a worker that dies may fail with: Trino's errors for a node it cannot reach
    private static final Set<String> WORKER_RESTART_ERRORS = ImmutableSet.of(
            "REMOTE_HOST_GONE", "TOO_MANY_REQUESTS_FAILED", "PAGE_TRANSPORT_ERROR", "PAGE_TRANSPORT_TIMEOUT",
            "REMOTE_TASK_ERROR", "REMOTE_TASK_MISMATCH", "REMOTE_TASK_FAILED", "NO_NODES_AVAILABLE");
    // what a query reading the store may fail with while it is down
    private static final Set<String> S3_OUTAGE_ERRORS = ImmutableSet.of("MESH_STORAGE_ERROR", "MESH_CANNOT_READ_FILE", "MESH_ASSET_UNAVAILABLE");
    // the grant the descriptor edits take away and give back (etc/mesh/products/customer-service/customer-data-product.yaml)
    private static final String DATA_SCIENTIST_GRANT = "  - role: data-scientist\n    permissions: read\n";

    private final Path customerDescriptor;
    private final Path togglePolicy;
    private final Path scratch;
    private final S3ProxyServer s3;
    private final long reloadLagNanos;
    private final String initialVersion;
    private final String initialDescriptor;
    private final Timeline<CustomerDescriptor> customerDescriptors;
    private final Timeline<Boolean> salesDenial;
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    private final AtomicInteger descriptorEdits = new AtomicInteger();
    private final AtomicInteger policyReloads = new AtomicInteger();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(3, runnable -> {
        Thread thread = new Thread(runnable, "load-test-faults");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile long startNanos;

    /**
     * @param reloadLag how long after a file is written the server may still decide with its previous content
     */
    Faults(Path customerDescriptor, Path togglePolicy, Path scratch, S3ProxyServer s3, Duration reloadLag)
            throws IOException
    {
        this.customerDescriptor = requireNonNull(customerDescriptor, "customerDescriptor is null");
        this.togglePolicy = requireNonNull(togglePolicy, "togglePolicy is null");
        this.scratch = Files.createDirectories(scratch);
        this.s3 = requireNonNull(s3, "s3 is null");
        this.reloadLagNanos = reloadLag.toNanos();
        this.initialDescriptor = Files.readString(customerDescriptor);
        checkState(initialDescriptor.contains(DATA_SCIENTIST_GRANT), "%s grants data scientists no read access", customerDescriptor);
        this.initialVersion = Files.readAllLines(customerDescriptor).stream()
                .filter(line -> line.startsWith("version: "))
                .map(line -> line.substring("version: ".length()).trim())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no version line in " + customerDescriptor));
        this.customerDescriptors = new Timeline<>(new CustomerDescriptor(initialVersion, true));
        this.salesDenial = new Timeline<>(false);
    }

    /**
     * Writes the policy file the test switches, in its initial state (the denial not in force),
     * before the server reads the policies.
     */
    static void writeInitialPolicy(Path togglePolicy)
            throws IOException
    {
        Files.writeString(togglePolicy, policy(false));
    }

    /**
     * Schedules the faults, relative to now: descriptor edits and policy reloads every period
     * (none for a zero period), the store stopped at outageAt for outage (none for a zero outage).
     */
    void start(Duration descriptorEditPeriod, Duration policyReloadPeriod, Duration outageAt, Duration outage)
    {
        start(descriptorEditPeriod, policyReloadPeriod, outageAt, outage, Duration.ZERO, Optional.empty());
    }

    /**
     * As {@link #start(Duration, Duration, Duration, Duration)}, and a worker restarted at workerRestartAt.
     */
    void start(Duration descriptorEditPeriod, Duration policyReloadPeriod, Duration outageAt, Duration outage, Duration workerRestartAt, Optional<FaultAction> restartWorker)
    {
        startNanos = System.nanoTime();
        if (!descriptorEditPeriod.isZero()) {
            executor.scheduleWithFixedDelay(guarded(this::editDescriptor), descriptorEditPeriod.toNanos(), descriptorEditPeriod.toNanos(), NANOSECONDS);
        }
        if (!policyReloadPeriod.isZero()) {
            executor.scheduleWithFixedDelay(guarded(this::togglePolicy), policyReloadPeriod.toNanos(), policyReloadPeriod.toNanos(), NANOSECONDS);
        }
        if (!outage.isZero()) {
            executor.schedule(guarded(() -> stopStore(outage)), outageAt.toNanos(), NANOSECONDS);
        }
        restartWorker.ifPresent(action -> executor.schedule(guarded(() -> {
            Window window = new Window(WORKER_RESTART, WORKER_RESTART_ERRORS, System.nanoTime());
            windows.add(window);
            try {
                action.run();
            }
            finally {
                window.end(System.nanoTime());
            }
        }), workerRestartAt.toNanos(), NANOSECONDS));
    }

    private void editDescriptor()
    {
        int edit = descriptorEdits.incrementAndGet();
        CustomerDescriptor descriptor = new CustomerDescriptor(initialVersion.replaceFirst("\\.\\d+$", "") + "." + edit, edit % 2 == 0);
        String content = initialDescriptor.replaceFirst("(?m)^version: .*$", "version: " + descriptor.version());
        if (!descriptor.grantsDataScientists()) {
            content = content.replace(DATA_SCIENTIST_GRANT, "");
        }
        String written = content;
        customerDescriptors.change(descriptor, () -> replace(customerDescriptor, written));
    }

    private void togglePolicy()
            throws IOException
    {
        boolean on = policyReloads.incrementAndGet() % 2 == 1;
        salesDenial.change(on, () -> replace(togglePolicy, policy(on)));
    }

    private void stopStore(Duration outage)
            throws IOException, InterruptedException
    {
        Window window = new Window(S3_OUTAGE, S3_OUTAGE_ERRORS, System.nanoTime());
        windows.add(window);
        try {
            s3.stop();
            Thread.sleep(outage.toMillis());
            s3.restart();
        }
        finally {
            window.end(System.nanoTime());
        }
    }

    /**
     * The states of the files a query that ran between the two times may have been decided in.
     */
    Set<MeshState> possibleStates(long queryStart, long queryEnd)
    {
        ImmutableSet.Builder<MeshState> states = ImmutableSet.builder();
        for (CustomerDescriptor descriptor : customerDescriptors.possible(queryStart, queryEnd, reloadLagNanos)) {
            for (boolean denial : salesDenial.possible(queryStart, queryEnd, reloadLagNanos)) {
                states.add(new MeshState(descriptor, denial));
            }
        }
        return states.build();
    }

    /**
     * The fault that explains an error of a query that ran between the two times: one that lasted
     * during the query, or ended less than grace before it started, and fails queries with that error.
     */
    Optional<String> explain(String errorName, long queryStart, long queryEnd, Duration grace)
    {
        return windows.stream()
                .filter(window -> window.errors.contains(errorName))
                .filter(window -> window.overlaps(queryStart, queryEnd, grace))
                .map(window -> window.fault)
                .findFirst();
    }

    /**
     * Whether a fault lasted, or ended less than grace before, at some time between the two.
     */
    boolean duringFault(long queryStart, long queryEnd, Duration grace)
    {
        return windows.stream().anyMatch(window -> window.overlaps(queryStart, queryEnd, grace));
    }

    int descriptorEdits()
    {
        return descriptorEdits.get();
    }

    int policyReloads()
    {
        return policyReloads.get();
    }

    /**
     * Each fault window, as seconds after the start: "S3 store stopped 40.0-60.3 s".
     */
    List<String> windowDescriptions()
    {
        return windows.stream()
                .map(window -> "%s %.1f-%.1f s".formatted(window.fault, seconds(window.start - startNanos), seconds(window.end() - startNanos)))
                .toList();
    }

    List<Throwable> failures()
    {
        return failures;
    }

    /**
     * Stops scheduling faults, and waits for one under way (a stopped store is started again).
     */
    @Override
    public void close()
            throws InterruptedException
    {
        executor.shutdown();
        if (!executor.awaitTermination(2, TimeUnit.MINUTES)) {
            executor.shutdownNow();
        }
    }

    private Runnable guarded(FaultAction action)
    {
        return () -> {
            try {
                action.run();
            }
            catch (Throwable e) {
                failures.add(e);
            }
        };
    }

    /**
     * Replaces the file as deployment tools do: the new content written beside it, outside the
     * folders the server watches, then moved over it at once, so the server reads one or the other.
     */
    private void replace(Path file, String content)
    {
        try {
            Path next = Files.writeString(scratch.resolve(file.getFileName() + ".next"), content);
            Files.move(next, file, ATOMIC_MOVE, REPLACE_EXISTING);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String policy(boolean denialInForce)
    {
        return """
                # written by the load test, which switches this denial on (analysts, data scientists) and off (nobody) while it runs
                denials:
                  - name: %s
                    description: The sales domain is closed to analysts and data scientists (while the load test says so).
                    scope: {domains: [sales]}
                    applies_to: %s
                """.formatted(SampleAnswers.TOGGLED_DENIAL, denialInForce ? "{roles: [analyst, data-scientist]}" : "{users: [loadtest-nobody]}");
    }

    private static double seconds(long nanos)
    {
        return nanos / 1e9;
    }

    interface FaultAction
    {
        void run()
                throws Exception;
    }

    private static final class Window
    {
        private final String fault;
        private final Set<String> errors;
        private final long start;
        private final AtomicLong end = new AtomicLong(Long.MAX_VALUE);

        private Window(String fault, Set<String> errors, long start)
        {
            this.fault = fault;
            this.errors = errors;
            this.start = start;
        }

        private long end()
        {
            return end.get();
        }

        private void end(long nanos)
        {
            end.set(nanos);
        }

        private boolean overlaps(long queryStart, long queryEnd, Duration grace)
        {
            long end = end();
            return start <= queryEnd && (end == Long.MAX_VALUE || queryStart <= end + grace.toNanos());
        }
    }

    /**
     * The values a file held over time: each change with the times its write began and ended.
     */
    private static final class Timeline<T>
    {
        private record Change<T>(T value, long writeStarted, long writeEnded) {}

        private final List<Change<T>> changes = new CopyOnWriteArrayList<>();

        private Timeline(T initial)
        {
            changes.add(new Change<>(initial, Long.MIN_VALUE, Long.MIN_VALUE));
        }

        private synchronized void change(T value, Runnable write)
        {
            long started = System.nanoTime();
            write.run();
            changes.add(new Change<>(value, started, System.nanoTime()));
        }

        /**
         * The values a query may have seen: each value from the moment its write began until the
         * server may have read the next one (the next write's end plus the lag).
         */
        private Set<T> possible(long queryStart, long queryEnd, long lagNanos)
        {
            List<Change<T>> snapshot = List.copyOf(changes);
            ImmutableSet.Builder<T> values = ImmutableSet.builder();
            for (int i = 0; i < snapshot.size(); i++) {
                long from = snapshot.get(i).writeStarted();
                long until = i + 1 < snapshot.size() ? snapshot.get(i + 1).writeEnded() + lagNanos : Long.MAX_VALUE;
                if (from <= queryEnd && queryStart <= until) {
                    values.add(snapshot.get(i).value());
                }
            }
            return values.build();
        }

        private List<T> values()
        {
            return changes.stream().map(Change::value).toList();
        }
    }

    Set<String> versionsWritten()
    {
        return customerDescriptors.values().stream().map(CustomerDescriptor::version).collect(toImmutableSet());
    }
}
