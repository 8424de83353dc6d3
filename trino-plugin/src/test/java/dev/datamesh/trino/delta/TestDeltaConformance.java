package dev.datamesh.trino.delta;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.trino.MeshQueryRunner;
import dev.datamesh.trino.SampleMeshDirectory;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedResult;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.quoted;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every Delta Lake golden table (../shared/testdata/delta-golden) registered as a Delta asset and
 * read through SQL. A table with an expected file must return exactly its rows; a table the
 * reference rejected must fail with an error that names the asset, unless listed below with the
 * reason we read it.
 */
final class TestDeltaConformance
        extends AbstractTestQueryFramework
{
    private static final Path TESTDATA = SampleMeshDirectory.repositoryRoot().resolveSibling("shared/testdata");
    private static final Path GOLDEN = TESTDATA.resolve("delta-golden");
    private static final Path EXPECTED = TESTDATA.resolve("delta-golden-expected");
    private static final Pattern NUM_RECORDS = Pattern.compile("\\\\\"numRecords\\\\\":(\\d+)");

    /**
     * Tables without an expected file that the mesh reads, and why the reference could not. Their
     * row count is checked against the log, and every column the test client can decode is read.
     */
    private static final Map<String, String> READ_DESPITE_REFERENCE = ImmutableMap.of(
            "table-with-columnmapping-mode-id", "a map with array keys, which the Trino client protocol cannot return",
            "table-with-columnmapping-mode-name", "a map with array keys, which the Trino client protocol cannot return",
            "table-with-icebegCompatV2Enabled", "a map with array keys, which the Trino client protocol cannot return");
    private static final String UNDECODABLE_COLUMN = "struct_of_arrays_maps_of_structs";

    private Map<String, Path> tables;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        tables = Files.isDirectory(GOLDEN) ? goldenTables() : Map.of();
        Path products = TestFiles.temporaryDirectory("golden-mesh");
        DataProductYaml descriptor = dataProduct("delta-golden-tables", "golden", "delta-lake-project");
        tables.forEach((name, location) -> descriptor.asset(delta(sqlName(name), quoted(location))));
        if (tables.isEmpty()) {
            descriptor.asset(delta("none", quoted(products)));
        }
        descriptor.writeTo(products.resolve("golden.yaml"));
        return MeshQueryRunner.create(products, 0);
    }

    @Test
    void testGoldenTables()
            throws IOException
    {
        assumeTrue(!tables.isEmpty(), "skipped: no Delta golden tables at " + GOLDEN + " (../shared/testdata is absent)");

        Map<String, String> failures = new TreeMap<>();
        int passed = 0;
        for (Map.Entry<String, Path> table : tables.entrySet()) {
            Optional<String> failure = check(table.getKey());
            if (failure.isPresent()) {
                failures.put(table.getKey(), failure.orElseThrow());
            }
            else {
                passed++;
            }
        }
        // Trino's logging owns System.out and System.err while a server runs; the report goes to the process's stderr
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8);
        failures.forEach((table, failure) -> out.printf("delta conformance FAILED %s: %s%n", table, failure));
        out.printf("delta conformance: %d passed, %d failed%n", passed, failures.size());
        assertThat(failures).isEmpty();
    }

    private Optional<String> check(String table)
            throws IOException
    {
        Path expectedFile = EXPECTED.resolve(table.replace("/", "__") + ".csv.gz");
        String sql = "SELECT * FROM golden." + sqlName(table);
        if (READ_DESPITE_REFERENCE.containsKey(table)) {
            return checkReadable(table);
        }
        if (!Files.exists(expectedFile)) {
            try {
                computeActual(sql);
                return Optional.of("the reference rejects this table, yet the mesh read it");
            }
            catch (RuntimeException e) {
                String message = String.valueOf(e.getMessage());
                // a clear error names the data product and the table or asset
                boolean namesAsset = message.contains("data product 'delta-golden-tables'")
                        && (message.contains("asset '%s'".formatted(sqlName(table))) || message.contains("table golden.%s ".formatted(sqlName(table))));
                return namesAsset ? Optional.empty() : Optional.of("unclear error: " + message);
            }
        }
        MaterializedResult actual;
        try {
            actual = computeActual(sql);
        }
        catch (RuntimeException e) {
            return Optional.of("query failed: " + e.getMessage());
        }
        return ExpectedRows.read(expectedFile).mismatch(actual);
    }

    private Optional<String> checkReadable(String table)
            throws IOException
    {
        long logRows = 0;
        try (Stream<Path> commits = Files.list(tables.get(table).resolve("_delta_log"))) {
            for (Path commit : commits.filter(path -> path.toString().endsWith(".json")).toList()) {
                for (String line : Files.readAllLines(commit)) {
                    Matcher matcher = NUM_RECORDS.matcher(line);
                    if (line.startsWith("{\"add\"") && matcher.find()) {
                        logRows += Long.parseLong(matcher.group(1));
                    }
                }
            }
        }
        List<String> columns = computeActual("SELECT column_name FROM information_schema.columns WHERE table_schema = 'golden' AND table_name = '%s'".formatted(sqlName(table)))
                .getOnlyColumn()
                .map(String.class::cast)
                .filter(column -> !column.equals(UNDECODABLE_COLUMN))
                .toList();
        MaterializedResult rows = computeActual("SELECT %s FROM golden.%s".formatted(String.join(", ", columns), sqlName(table)));
        return rows.getRowCount() == logRows ? Optional.empty() : Optional.of("%d rows, the log says %d".formatted(rows.getRowCount(), logRows));
    }

    /**
     * Every folder with a _delta_log, by its path below delta-golden, and every top-level folder
     * without one (a table that is not a Delta table at all).
     */
    private static Map<String, Path> goldenTables()
            throws IOException
    {
        Map<String, Path> tables = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(GOLDEN)) {
            paths.filter(path -> path.getFileName().toString().equals("_delta_log"))
                    .map(Path::getParent)
                    .forEach(table -> tables.put(GOLDEN.relativize(table).toString(), table));
        }
        try (Stream<Path> children = Files.list(GOLDEN)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                String name = child.getFileName().toString();
                if (tables.keySet().stream().noneMatch(table -> table.equals(name) || table.startsWith(name + "/"))) {
                    tables.put(name, child);
                }
            }
        }
        return new LinkedHashMap<>(tables);
    }

    private static String sqlName(String table)
    {
        String name = table.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return Character.isDigit(name.charAt(0)) ? "t_" + name : name;
    }
}
