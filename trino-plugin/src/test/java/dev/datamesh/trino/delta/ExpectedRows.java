package dev.datamesh.trino.delta;

import com.google.common.collect.ImmutableList;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The rows a reference reader returned for a golden table: the Trino CLI's CSV_HEADER output,
 * every value double-quoted, quotes inside doubled.
 */
record ExpectedRows(List<String> header, List<List<String>> rows)
{
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
