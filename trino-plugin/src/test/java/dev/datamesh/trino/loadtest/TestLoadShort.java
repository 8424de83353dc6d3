package dev.datamesh.trino.loadtest;

import dev.datamesh.trino.loadtest.LoadResults.QueryResult;
import dev.datamesh.trino.loadtest.LoadResults.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load test, short, as CI runs it: eight clients (every sample user) for a minute on a real
 * server with the packaged plugin and the sample in S3, descriptor edits every 4 s, policy
 * reloads every 6 s, and the S3 store stopped for 8 s. Run by failsafe after the zip is built
 * (mvn verify); bin/mesh loadtest runs the full one.
 */
final class TestLoadShort
{
    @Test
    void testLoadWithFaults()
            throws Exception
    {
        LoadTest.Options options = new LoadTest.Options(
                8,
                Duration.ofSeconds(60),
                Duration.ofSeconds(4),
                Duration.ofSeconds(6),
                Duration.ofSeconds(20),
                Duration.ofSeconds(8),
                Duration.ofSeconds(10),
                "1G",
                Optional.empty());
        LoadReport report = LoadTest.run(options, System.out);

        assertThat(report.wrongResults()).as("wrong results").isZero();
        assertThat(report.unexpectedErrors()).as("unexpected errors").isZero();
        // every error a query met came from a fault lasting during it
        assertThat(report.queries())
                .filteredOn(query -> query.verdict() != Verdict.ROWS && query.verdict() != Verdict.DENIED)
                .allSatisfy(query -> assertThat(query.verdict()).as(query.marker() + ": " + query.detail()).isEqualTo(Verdict.FAULT_ERROR));
        assertThat(report.audit().lines()).as("audit lines").isEqualTo(report.queries().size());
        assertThat(report.audit().duplicated()).as("queries with more than one audit line").isZero();
        assertThat(report.audit().missing()).as("queries without an audit line").isZero();
        assertThat(report.audit().unknown()).as("audit lines of no query issued").isZero();
        assertThat(report.audit().startedLines()).as("started audit lines").isEqualTo(report.queries().size());
        assertThat(report.audit().startedDuplicated()).as("queries with more than one started line").isZero();
        assertThat(report.audit().startedMissing()).as("queries without a started line").isZero();
        assertThat(report.audit().mismatched()).as("audit lines with another user, outcome, masks or row filters").isZero();
        assertThat(report.failures()).isEmpty();

        // the faults took effect: the reloaded descriptor and policy changed what clients got
        assertThat(report.versionsSeen()).as("descriptor versions seen").isGreaterThan(2);
        assertThat(report.grantRevoked()).as("answers that show the descriptor's grant to data scientists revoked").isPositive();
        assertThat(report.grantGiven()).as("answers that show it given").isPositive();
        assertThat(report.salesDenied()).as("answers that show the sales domain closed by the switched policy").isPositive();
        assertThat(report.salesAllowed()).as("answers that show it open").isPositive();
        assertThat(report.queries()).extracting(QueryResult::verdict).contains(Verdict.ROWS, Verdict.DENIED);
    }
}
