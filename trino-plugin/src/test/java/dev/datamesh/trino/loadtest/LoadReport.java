package dev.datamesh.trino.loadtest;

import com.google.common.collect.ImmutableList;
import dev.datamesh.trino.loadtest.CoordinatorHeap.Heap;
import dev.datamesh.trino.loadtest.LoadQuery.Kind;
import dev.datamesh.trino.loadtest.LoadResults.QueryResult;
import dev.datamesh.trino.loadtest.LoadResults.Verdict;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * A load test's figures and checks: throughput, latency percentiles per query kind, errors by
 * kind and the fault that explains them, wrong results, the audit against the queries issued,
 * and the coordinator's heap.
 *
 * @param seconds how long the clients ran
 * @param versionsWritten the descriptor versions written, the first included
 * @param versionsSeen of those, the ones a client saw in the catalog table
 * @param grantRevoked dora's answers (reads of the customer product, the catalog table) that show the descriptor granting data scientists nothing
 * @param grantGiven her answers that show it granting them read access
 * @param salesDenied answers of the users the switched policy concerns that show the sales domain closed
 * @param salesAllowed their answers that show it open
 * @param meshClassBytesAtEnd what the instances of the mesh's classes (dev.datamesh.*) take of the heap at the end
 * @param queryInfosAtEnd the queries whose information Trino keeps at the end
 * @param failures what failed in the load test itself (a client, a fault)
 */
record LoadReport(
        LoadTest.Options options,
        double seconds,
        List<QueryResult> queries,
        int descriptorEdits,
        int policyReloads,
        List<String> faultWindows,
        int versionsWritten,
        int versionsSeen,
        int grantRevoked,
        int grantGiven,
        int salesDenied,
        int salesAllowed,
        AuditCheck.Result audit,
        Heap heapAtStart,
        Heap heapAtEnd,
        long meshClassBytesAtEnd,
        long queryInfosAtEnd,
        List<String> failures)
{
    LoadReport
    {
        queries = ImmutableList.copyOf(queries);
        faultWindows = ImmutableList.copyOf(faultWindows);
        requireNonNull(audit, "audit is null");
        failures = ImmutableList.copyOf(failures);
    }

    long count(Verdict verdict)
    {
        return queries.stream().filter(query -> query.verdict() == verdict).count();
    }

    long wrongResults()
    {
        return count(Verdict.WRONG);
    }

    long unexpectedErrors()
    {
        return count(Verdict.UNEXPECTED_ERROR);
    }

    double queriesPerSecond()
    {
        return queries.size() / seconds;
    }

    /**
     * The latency percentile (0 to 100) of the queries of a kind (all kinds: null) answered with rows, in milliseconds.
     */
    double percentile(Kind kind, double percentile)
    {
        return percentile(latencies(queries.stream().filter(query -> kind == null || query.kind() == kind).toList(), Verdict.ROWS), percentile);
    }

    boolean passed()
    {
        return wrongResults() == 0 && unexpectedErrors() == 0 && audit.passed() && failures.isEmpty();
    }

    void print(PrintStream out)
    {
        out.println();
        out.printf("faults: %s descriptor edits (customer-data-product's version: %s of the %s versions seen in the catalog table; its grant to data scientists revoked in %s answers, given in %s), %s policy reloads (sales closed in %s answers, open in %s)%s%n",
                descriptorEdits, versionsSeen, versionsWritten, grantRevoked, grantGiven, policyReloads, salesDenied, salesAllowed,
                faultWindows.isEmpty() ? "" : ", " + String.join(", ", faultWindows));
        out.printf("queries: %,d in %.1f s: %.1f queries/s (%s clients)%n", queries.size(), seconds, queriesPerSecond(), options.clients());
        out.printf("%-22s %7s %7s %7s %7s %6s %10s | %-26s | %-17s%n", "", "", "", "", "", "", "", "latency with rows, ms", "denied, ms");
        out.printf("%-22s %7s %7s %7s %7s %6s %10s | %8s %8s %8s | %8s %8s%n", "kind", "queries", "rows", "denied", "errors", "wrong", "unexpected", "p50", "p95", "p99", "p50", "p99");
        for (Kind kind : Kind.values()) {
            printKind(out, kind.label(), query -> query.kind() == kind);
        }
        printKind(out, "all", _ -> true);

        Map<String, List<QueryResult>> errors = new TreeMap<>();
        for (QueryResult query : queries) {
            if (query.verdict() == Verdict.FAULT_ERROR) {
                errors.computeIfAbsent("%s: %s, while %s".formatted(query.kind().label(), query.errorName().orElseThrow(), query.detail()), _ -> new ArrayList<>()).add(query);
            }
            if (query.verdict() == Verdict.UNEXPECTED_ERROR) {
                errors.computeIfAbsent("%s: %s, UNEXPECTED".formatted(query.kind().label(), query.errorName().orElseThrow()), _ -> new ArrayList<>()).add(query);
            }
        }
        out.println("errors by kind:" + (errors.isEmpty() ? " none" : ""));
        errors.forEach((error, failed) -> {
            double[] latencies = failed.stream().mapToDouble(QueryResult::latencyMillis).sorted().toArray();
            out.printf("  %s: %,d (after %s ms at the median, %s ms at most)%n", error, failed.size(), millis(percentile(latencies, 50)), millis(latencies[latencies.length - 1]));
        });
        out.printf("wrong results: %s%n", wrongResults());
        examples(out, Verdict.WRONG);
        out.printf("unexpected errors: %s%n", unexpectedErrors());
        examples(out, Verdict.UNEXPECTED_ERROR);
        out.printf("audit: %,d completed lines for %,d queries issued: %s missing, %s duplicated, %s of no query issued, %s with another user or outcome than the client saw or other masks or row filters%n",
                audit.lines(), audit.queries(), audit.missing(), audit.duplicated(), audit.unknown(), audit.mismatched());
        out.printf("       %,d started lines for them: %s missing, %s duplicated%n", audit.startedLines(), audit.startedMissing(), audit.startedDuplicated());
        audit.examples().forEach(example -> out.println("  " + example));
        out.printf("coordinator heap after a full GC: at the start %s, at the end %s, of which the mesh's classes %.1f MB; Trino keeps %,d queries' QueryInfo (query.min-expire-age)%n",
                heapAtStart, heapAtEnd, meshClassBytesAtEnd / 1048576.0, queryInfosAtEnd);
        failures.forEach(failure -> out.println("load test failure: " + failure));
        out.println(passed() ? "load test passed" : "load test FAILED");
    }

    private void printKind(PrintStream out, String label, Predicate<QueryResult> filter)
    {
        List<QueryResult> selected = queries.stream().filter(filter).toList();
        double[] rows = latencies(selected, Verdict.ROWS);
        double[] denied = latencies(selected, Verdict.DENIED);
        out.printf("%-22s %7d %7d %7d %7d %6d %10d | %8s %8s %8s | %8s %8s%n",
                label,
                selected.size(),
                rows.length,
                denied.length,
                selected.stream().filter(query -> query.verdict() == Verdict.FAULT_ERROR).count(),
                selected.stream().filter(query -> query.verdict() == Verdict.WRONG).count(),
                selected.stream().filter(query -> query.verdict() == Verdict.UNEXPECTED_ERROR).count(),
                millis(percentile(rows, 50)),
                millis(percentile(rows, 95)),
                millis(percentile(rows, 99)),
                millis(percentile(denied, 50)),
                millis(percentile(denied, 99)));
    }

    private static double[] latencies(List<QueryResult> queries, Verdict verdict)
    {
        return queries.stream().filter(query -> query.verdict() == verdict).mapToDouble(QueryResult::latencyMillis).sorted().toArray();
    }

    private static String millis(double value)
    {
        return Double.isNaN(value) ? "-" : "%,.0f".formatted(value);
    }

    private void examples(PrintStream out, Verdict verdict)
    {
        queries.stream()
                .filter(query -> query.verdict() == verdict)
                .limit(10)
                .forEach(query -> out.printf("  %s as %s (%s): %s%n    %s%n", query.marker(), query.user(), query.kind().label(), query.detail(), query.sql().replace("\n", " ")));
    }

    /**
     * The nearest-rank percentile of sorted values; NaN when there are none.
     */
    private static double percentile(double[] sorted, double percentile)
    {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
