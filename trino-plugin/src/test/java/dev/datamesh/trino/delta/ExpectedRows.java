package dev.datamesh.trino.delta;

import com.google.common.collect.ImmutableList;
import io.trino.spi.type.Type;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The rows a reference reader returned for a golden table: the Trino CLI's CSV_HEADER output,
 * every value double-quoted, quotes inside doubled.
 */
record ExpectedRows(List<String> header, List<List<String>> rows)
{
    /**
     * Why the rows read differ from these, or empty when they are the same rows in any order.
     */
    Optional<String> mismatch(MaterializedResult actual)
    {
        List<String> actualColumns = actual.getColumnNames().stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
        List<String> expectedColumns = header().stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
        if (!actualColumns.equals(expectedColumns)) {
            return Optional.of("columns %s, expected %s".formatted(actualColumns, expectedColumns));
        }
        List<Type> types = actual.getTypes();
        int[] fractionDigits = new int[types.size()];
        for (List<String> row : rows()) {
            for (int column = 0; column < row.size(); column++) {
                if (!row.get(column).isEmpty()) {
                    fractionDigits[column] = Math.max(fractionDigits[column], CellComparison.fractionDigits(row.get(column)));
                }
            }
        }
        List<String> expectedKeys = new ArrayList<>();
        for (List<String> row : rows()) {
            List<String> key = new ArrayList<>();
            for (int column = 0; column < types.size(); column++) {
                key.add(CellComparison.expectedKey(types.get(column), row.get(column), fractionDigits[column]));
            }
            expectedKeys.add(String.join(" | ", key));
        }
        List<String> actualKeys = new ArrayList<>();
        for (MaterializedRow row : actual.getMaterializedRows()) {
            List<String> key = new ArrayList<>();
            for (int column = 0; column < types.size(); column++) {
                key.add(CellComparison.actualKey(types.get(column), row.getField(column), fractionDigits[column]));
            }
            actualKeys.add(String.join(" | ", key));
        }
        expectedKeys.sort(null);
        actualKeys.sort(null);
        if (expectedKeys.equals(actualKeys)) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>(expectedKeys);
        actualKeys.forEach(missing::remove);
        List<String> unexpected = new ArrayList<>(actualKeys);
        expectedKeys.forEach(unexpected::remove);
        return Optional.of("%d rows, expected %d; first missing %s; first unexpected %s".formatted(
                actualKeys.size(), expectedKeys.size(), missing.stream().findFirst().orElse("-"), unexpected.stream().findFirst().orElse("-")));
    }

    static ExpectedRows read(Path csvGz)
            throws IOException
    {
        try (Reader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(csvGz)), UTF_8))) {
            List<List<String>> records = parse(reader);
            return new ExpectedRows(records.getFirst(), records.subList(1, records.size()));
        }
    }

    private static List<List<String>> parse(Reader reader)
            throws IOException
    {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int next = reader.read();
        while (next != -1) {
            char c = (char) next;
            next = reader.read();
            if (quoted) {
                if (c == '"') {
                    if (next == '"') {
                        field.append('"');
                        next = reader.read();
                    }
                    else {
                        quoted = false;
                    }
                }
                else {
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    fieldStarted = true;
                }
                case ',' -> {
                    record.add(field.toString());
                    field.setLength(0);
                    fieldStarted = false;
                }
                case '\n' -> {
                    record.add(field.toString());
                    records.add(ImmutableList.copyOf(record));
                    record.clear();
                    field.setLength(0);
                    fieldStarted = false;
                }
                case '\r' -> {}
                default -> {
                    field.append(c);
                    fieldStarted = true;
                }
            }
        }
        if (fieldStarted || !record.isEmpty()) {
            record.add(field.toString());
            records.add(ImmutableList.copyOf(record));
        }
        return records;
    }
}
