package dev.datamesh.trino.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import dev.datamesh.trino.loadtest.LoadResults.QueryResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.google.common.collect.ImmutableMap.toImmutableMap;

/**
 * The mesh's audit file against the queries the clients issued: each query has exactly one
 * completed line (found by the marker in its text), with its user and the outcome its client saw,
 * and a read of customer_profile with the masks and row filters its user gets; and exactly one
 * started line (found by the completed line's query id), with its user: every query of the load
 * test is one governance decides something for.
 */
final class AuditCheck
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROFILE = "mesh.customer_service.customer_profile";
    private static final Pattern MARKER = Pattern.compile("/\\* loadtest (c\\d+-\\d+) \\*/");

    /**
     * @param lines the completed lines of load test queries
     * @param missing queries without a completed line
     * @param duplicated queries with more than one completed line
     * @param unknown completed lines of no query the clients issued
     * @param mismatched completed lines whose user or outcome is not what the query's client saw,
     * or whose masks and row filters on customer_profile are not those of its user; started lines
     * of another user than the query's
     * @param startedLines the started lines of load test queries
     * @param startedMissing queries without a started line
     * @param startedDuplicated queries with more than one started line
     */
    record Result(int queries, int lines, int missing, int duplicated, int unknown, int mismatched, int startedLines, int startedMissing, int startedDuplicated, List<String> examples)
    {
        boolean passed()
        {
            return lines == queries && missing == 0 && duplicated == 0 && unknown == 0 && mismatched == 0
                    && startedLines == queries && startedMissing == 0 && startedDuplicated == 0;
        }
    }

    private record AuditLines(List<JsonNode> completed, Map<String, List<JsonNode>> started) {}

    private AuditCheck() {}

    /**
     * Reads the audit file (and the files it rotated to) until every query has its line or the
     * wait is over: the server writes a query's line once it has completed, after its client has its answer.
     */
    static Result check(Path auditFile, List<QueryResult> queries, Duration wait)
            throws InterruptedException
    {
        Map<String, QueryResult> issued = queries.stream().collect(toImmutableMap(QueryResult::marker, query -> query));
        long deadline = System.nanoTime() + wait.toNanos();
        AuditLines audit = read(auditFile);
        while (audit.completed().size() < issued.size() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            audit = read(auditFile);
        }
        List<JsonNode> lines = audit.completed();

        Map<String, Integer> counts = new HashMap<>();
        List<String> examples = new ArrayList<>();
        int unknown = 0;
        int mismatched = 0;
        for (JsonNode line : lines) {
            String marker = marker(line.path("query").asText()).orElseThrow();
            counts.merge(marker, 1, Integer::sum);
            QueryResult query = issued.get(marker);
            if (query == null) {
                unknown++;
                example(examples, "a line for no query issued: " + line);
                continue;
            }
            String user = line.path("user").asText();
            String outcome = line.path("outcome").asText();
            List<JsonNode> started = audit.started().getOrDefault(line.path("query_id").asText(), List.of());
            if (started.size() != 1) {
                example(examples, "%s started lines for query %s of %s (%s)".formatted(started.size(), marker, query.user(), line.path("query_id").asText()));
            }
            if (started.stream().anyMatch(startedLine -> !startedLine.path("user").asText().equals(query.user()))) {
                mismatched++;
                example(examples, "query %s of %s has a started line of another user: %s".formatted(marker, query.user(), started));
            }
            if (!line.path("event").asText().equals("completed") || !user.equals(query.user()) || !outcome.equals(query.observed().auditOutcome())) {
                mismatched++;
                example(examples, "query %s of %s ended %s for its client, its line says user %s, outcome %s: %s".formatted(marker, query.user(), query.observed().auditOutcome(), user, outcome, line));
                continue;
            }
            Optional<String> governance = profileGovernance(line, query);
            if (governance.isPresent()) {
                mismatched++;
                example(examples, "query %s of %s: %s: %s".formatted(marker, query.user(), governance.orElseThrow(), line));
            }
        }
        Map<String, String> queryIds = new HashMap<>();
        for (JsonNode line : lines) {
            queryIds.put(marker(line.path("query").asText()).orElseThrow(), line.path("query_id").asText());
        }
        int startedLines = 0;
        int startedMissing = 0;
        int startedDuplicated = 0;
        for (String queryId : queryIds.values()) {
            int count = audit.started().getOrDefault(queryId, List.of()).size();
            startedLines += count;
            if (count == 0) {
                startedMissing++;
            }
            else if (count > 1) {
                startedDuplicated++;
            }
        }
        // queries without a completed line have no known query id: count them as missing a started line too
        startedMissing += (int) queries.stream().filter(query -> !queryIds.containsKey(query.marker())).count();
        int missing = 0;
        int duplicated = 0;
        for (QueryResult query : queries) {
            int count = counts.getOrDefault(query.marker(), 0);
            if (count == 0) {
                missing++;
                example(examples, "no line for query %s of %s (%s, %s)".formatted(query.marker(), query.user(), query.kind().label(), query.observed().auditOutcome()));
            }
            else if (count > 1) {
                duplicated++;
                example(examples, "%s lines for query %s of %s".formatted(count, query.marker(), query.user()));
            }
        }
        return new Result(issued.size(), lines.size(), missing, duplicated, unknown, mismatched, startedLines, startedMissing, startedDuplicated, ImmutableList.copyOf(examples));
    }

    /**
     * What is wrong with the masks and row filters the line names for customer_profile, if the
     * query read it.
     */
    private static Optional<String> profileGovernance(JsonNode line, QueryResult query)
    {
        if (query.observed() != LoadResults.Observed.SUCCEEDED) {
            return Optional.empty();
        }
        for (JsonNode table : line.path("tables")) {
            if (!table.path("table").asText().equals(PROFILE)) {
                continue;
            }
            Map<String, String> masks = new TreeMap<>();
            table.path("masked_columns").properties().forEach(mask -> masks.put(mask.getKey(), mask.getValue().asText()));
            List<String> rowFilters = new ArrayList<>();
            table.path("row_filters").forEach(rule -> rowFilters.add(rule.asText()));
            Map<String, String> expectedMasks = new TreeMap<>(SampleAnswers.profileMasks(query.user()));
            List<String> expectedRowFilters = SampleAnswers.profileRowFilters(query.user());
            if (!masks.equals(expectedMasks) || !rowFilters.equals(expectedRowFilters)) {
                return Optional.of("masks %s and row filters %s on %s, expected %s and %s".formatted(masks, rowFilters, PROFILE, expectedMasks, expectedRowFilters));
            }
            return Optional.empty();
        }
        if (query.sql().contains(PROFILE)) {
            return Optional.of("no entry for " + PROFILE);
        }
        return Optional.empty();
    }

    /**
     * The completed lines of load test queries in the audit file and its rotated files, and
     * every started line by query id.
     */
    private static AuditLines read(Path auditFile)
    {
        List<JsonNode> lines = new ArrayList<>();
        Map<String, List<JsonNode>> started = new HashMap<>();
        try {
            for (int generation = 0; ; generation++) {
                Path file = generation == 0 ? auditFile : auditFile.resolveSibling(auditFile.getFileName() + "." + generation);
                if (!Files.exists(file)) {
                    if (generation > 0) {
                        break;
                    }
                    continue;
                }
                for (String text : Files.readAllLines(file)) {
                    if (text.isBlank()) {
                        continue;
                    }
                    JsonNode line = JSON.readTree(text);
                    if (line.path("event").asText().equals("started")) {
                        started.computeIfAbsent(line.path("query_id").asText(), _ -> new ArrayList<>()).add(line);
                    }
                    else if (marker(line.path("query").asText()).isPresent()) {
                        lines.add(line);
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AuditLines(lines, started);
    }

    private static Optional<String> marker(String query)
    {
        Matcher matcher = MARKER.matcher(query);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static void example(List<String> examples, String example)
    {
        if (examples.size() < 10) {
            examples.add(example);
        }
    }
}
