package dev.datamesh.trino.loadtest;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.trino.loadtest.LoadQuery.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The queries the load test's clients ran, each with its verdict, and what their answers showed
 * of the states of the mesh's files.
 */
final class LoadResults
{
    enum Verdict
    {
        // the rows the user must get
        ROWS,
        // the denial the user must get
        DENIED,
        // an error that a fault lasting during the query explains
        FAULT_ERROR,
        // rows or a denial the user must not get
        WRONG,
        // an error outside the fault windows, or of a kind the fault does not explain
        UNEXPECTED_ERROR
    }

    /**
     * How the query ended for its client, as the audit line's outcome must say.
     */
    enum Observed
    {
        SUCCEEDED("succeeded"), DENIED("denied"), FAILED("failed");

        private final String auditOutcome;

        Observed(String auditOutcome)
        {
            this.auditOutcome = auditOutcome;
        }

        String auditOutcome()
        {
            return auditOutcome;
        }
    }

    record QueryResult(String user, Kind kind, String marker, String sql, long start, long end, Verdict verdict, Observed observed, Optional<String> errorName, String detail)
    {
        QueryResult
        {
            requireNonNull(user, "user is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(marker, "marker is null");
            requireNonNull(errorName, "errorName is null");
        }

        double latencyMillis()
        {
            return (end - start) / 1e6;
        }
    }

    private final List<QueryResult> results = new ArrayList<>();
    private final Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger grantRevoked = new AtomicInteger();
    private final AtomicInteger grantGiven = new AtomicInteger();
    private final AtomicInteger salesDenied = new AtomicInteger();
    private final AtomicInteger salesAllowed = new AtomicInteger();

    synchronized void record(QueryResult result)
    {
        results.add(result);
    }

    synchronized List<QueryResult> results()
    {
        return ImmutableList.copyOf(results);
    }

    void versionSeen(String version)
    {
        versionsSeen.add(version);
    }

    Set<String> versionsSeen()
    {
        return ImmutableSet.copyOf(versionsSeen);
    }

    void grantSeen(boolean given)
    {
        (given ? grantGiven : grantRevoked).incrementAndGet();
    }

    int grantRevoked()
    {
        return grantRevoked.get();
    }

    int grantGiven()
    {
        return grantGiven.get();
    }

    void salesDenialSeen(boolean denied)
    {
        (denied ? salesDenied : salesAllowed).incrementAndGet();
    }

    int salesDenied()
    {
        return salesDenied.get();
    }

    int salesAllowed()
    {
        return salesAllowed.get();
    }
}
