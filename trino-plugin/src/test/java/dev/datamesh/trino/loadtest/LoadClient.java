package dev.datamesh.trino.loadtest;

import dev.datamesh.trino.MeshErrorCode;
import dev.datamesh.trino.loadtest.LoadQuery.Kind;
import dev.datamesh.trino.loadtest.LoadResults.Observed;
import dev.datamesh.trino.loadtest.LoadResults.QueryResult;
import dev.datamesh.trino.loadtest.LoadResults.Verdict;
import dev.datamesh.trino.loadtest.SampleAnswers.Answer;
import dev.datamesh.trino.loadtest.SampleAnswers.MeshState;
import io.trino.spi.ErrorCodeSupplier;
import io.trino.spi.StandardErrorCode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.Objects.requireNonNull;

/**
 * One JDBC client of the load test: a connection as one of the sample's users that runs the
 * query kinds in turn, with parameters drawn at random, until the deadline, and checks each
 * result against what the user must get in the states of the mesh's files the query may have
 * been decided in.
 */
final class LoadClient
        implements Callable<Void>
{
    private static final Map<Integer, String> ERROR_NAMES = Stream.<ErrorCodeSupplier>concat(Stream.of(StandardErrorCode.values()), Stream.of(MeshErrorCode.values()))
            .map(ErrorCodeSupplier::toErrorCode)
            .collect(toImmutableMap(io.trino.spi.ErrorCode::getCode, io.trino.spi.ErrorCode::getName));
    private static final int QUERY_TIMEOUT_SECONDS = 120;

    private final int index;
    private final String user;
    private final String url;
    private final SampleAnswers answers;
    private final Faults faults;
    private final Duration grace;
    private final LoadResults results;
    private final long deadlineNanos;

    LoadClient(int index, String url, SampleAnswers answers, Faults faults, Duration grace, LoadResults results, long deadlineNanos)
    {
        this.index = index;
        this.user = SampleAnswers.USERS.get(index % SampleAnswers.USERS.size());
        this.url = requireNonNull(url, "url is null");
        this.answers = requireNonNull(answers, "answers is null");
        this.faults = requireNonNull(faults, "faults is null");
        this.grace = requireNonNull(grace, "grace is null");
        this.results = requireNonNull(results, "results is null");
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public Void call()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("source", "mesh-load-test");
        Random random = new Random(index);
        Kind[] kinds = Kind.values();
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            for (int sequence = 0; System.nanoTime() < deadlineNanos; sequence++) {
                // each client starts at another kind, so that every kind runs at every moment
                Kind kind = kinds[(index + sequence) % kinds.length];
                LoadQuery query = LoadQuery.draw(kind, user, random, answers);
                String marker = "c%d-%d".formatted(index, sequence);
                results.record(run(connection, marker, query));
            }
        }
        return null;
    }

    private QueryResult run(Connection connection, String marker, LoadQuery query)
    {
        // the marker finds the query's line in the audit file
        String sql = "/* loadtest %s */ %s".formatted(marker, query.sql());
        long start = System.nanoTime();
        List<List<String>> rows = new ArrayList<>();
        Optional<SQLException> failure = Optional.empty();
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet resultSet = statement.executeQuery(sql)) {
                int columns = resultSet.getMetaData().getColumnCount();
                while (resultSet.next()) {
                    Object[] values = new Object[columns];
                    for (int column = 0; column < columns; column++) {
                        values[column] = resultSet.getObject(column + 1);
                    }
                    rows.add(SampleAnswers.row(values));
                }
            }
        }
        catch (SQLException e) {
            failure = Optional.of(e);
        }
        long end = System.nanoTime();

        Set<MeshState> states = faults.possibleStates(start, end);
        List<Answer> expected = states.stream().map(query.answer()).distinct().toList();
        if (failure.isEmpty()) {
            if (expected.stream().anyMatch(answer -> answer.matchesRows(rows))) {
                observeStates(query.kind(), rows, Optional.empty());
                return result(marker, query, start, end, Verdict.ROWS, Observed.SUCCEEDED, Optional.empty(), "");
            }
            return result(marker, query, start, end, Verdict.WRONG, Observed.SUCCEEDED, Optional.empty(), "got rows %s, expected %s".formatted(rows, expected));
        }
        SQLException exception = failure.orElseThrow();
        String message = String.valueOf(exception.getMessage());
        String errorName = errorName(exception);
        if (errorName.equals(StandardErrorCode.PERMISSION_DENIED.name())) {
            if (expected.stream().anyMatch(answer -> answer.matchesDenial(message))) {
                observeStates(query.kind(), List.of(), Optional.of(message));
                return result(marker, query, start, end, Verdict.DENIED, Observed.DENIED, Optional.of(errorName), "");
            }
            return result(marker, query, start, end, Verdict.WRONG, Observed.DENIED, Optional.of(errorName), "got '%s', expected %s".formatted(message, expected));
        }
        Optional<String> fault = faults.explain(errorName, start, end, grace);
        if (fault.isPresent()) {
            return result(marker, query, start, end, Verdict.FAULT_ERROR, Observed.FAILED, Optional.of(errorName), fault.orElseThrow());
        }
        String when = faults.duringFault(start, end, grace) ? "during a fault that does not explain it" : "outside any fault window";
        return result(marker, query, start, end, Verdict.UNEXPECTED_ERROR, Observed.FAILED, Optional.of(errorName), "%s %s: %s".formatted(errorName, when, message));
    }

    /**
     * Notes the states the answers show: the descriptor versions the catalog table served,
     * whether the descriptor granted data scientists read access (dora's reads of the customer
     * product answered, or denied), and whether the switched policy closed the sales domain: the
     * sales reads of the users it concerns denied, the sales product missing from their catalog table.
     */
    private void observeStates(Kind kind, List<List<String>> rows, Optional<String> denial)
    {
        if (kind == Kind.CATALOG_TABLE) {
            rows.stream()
                    .filter(row -> row.getFirst().equals(SampleAnswers.CUSTOMER_PRODUCT))
                    .forEach(row -> results.versionSeen(row.get(1)));
        }
        if (user.equals("dora") && kind != Kind.SALES_AGGREGATE && kind != Kind.DENIED) {
            boolean revoked = kind == Kind.CATALOG_TABLE
                    ? rows.stream().noneMatch(row -> row.getFirst().equals(SampleAnswers.CUSTOMER_PRODUCT))
                    : denial.isPresent();
            results.grantSeen(!revoked);
        }
        if (SampleAnswers.SALES_CLOSED_TO.contains(user)) {
            if (kind == Kind.SALES_AGGREGATE) {
                results.salesDenialSeen(denial.isPresent());
            }
            if (kind == Kind.CATALOG_TABLE) {
                results.salesDenialSeen(rows.stream().noneMatch(row -> row.getFirst().equals(SampleAnswers.ORDER_PRODUCT)));
            }
        }
    }

    private QueryResult result(String marker, LoadQuery query, long start, long end, Verdict verdict, Observed observed, Optional<String> errorName, String detail)
    {
        return new QueryResult(user, query.kind(), marker, query.sql(), start, end, verdict, observed, errorName, detail);
    }

    /**
     * The name of the Trino error a query failed with; CLIENT_ERROR when the driver failed
     * without an answer from the server.
     */
    static String errorName(SQLException exception)
    {
        if (!String.valueOf(exception.getMessage()).startsWith("Query failed (")) {
            return "CLIENT_ERROR";
        }
        return ERROR_NAMES.getOrDefault(exception.getErrorCode(), "ERROR_" + exception.getErrorCode());
    }
}
