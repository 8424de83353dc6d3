package dev.datamesh.trino.delta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airlift.slice.Slices;
import io.airlift.stats.cardinality.HyperLogLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The extended statistics file Trino's Delta Lake connector writes on ANALYZE, written as it
 * writes it: {@code _delta_log/_trino_meta/extended_stats.json}, model version 4, compact JSON
 * with the fields in the order Trino's ExtendedStatistics and DeltaLakeColumnStatistics
 * serialize them, absent optional fields left out, and per column an airlift HyperLogLog of
 * {@code approx_set}'s 4096 buckets in base64.
 */
public final class TrinoExtendedStatisticsFile
{
    private static final ObjectMapper JSON = new ObjectMapper();
    // the buckets of approx_set, whose sketches Trino's ANALYZE keeps
    private static final int BUCKETS = 4096;

    private TrinoExtendedStatisticsFile() {}

    /**
     * @param ndvSummary a sketch, from {@link #sketch}
     */
    public record Column(OptionalLong totalSizeInBytes, String ndvSummary)
    {
        public Column
        {
            requireNonNull(totalSizeInBytes, "totalSizeInBytes is null");
            requireNonNull(ndvSummary, "ndvSummary is null");
        }

        public static Column of(String ndvSummary)
        {
            return new Column(OptionalLong.empty(), ndvSummary);
        }

        public static Column of(long totalSizeInBytes, String ndvSummary)
        {
            return new Column(OptionalLong.of(totalSizeInBytes), ndvSummary);
        }
    }

    /**
     * A sketch of the values as approx_set builds it: numbers as longs, strings as their UTF-8 bytes.
     */
    public static String sketch(Iterable<?> values)
    {
        HyperLogLog sketch = HyperLogLog.newInstance(BUCKETS);
        for (Object value : values) {
            switch (value) {
                case Long number -> sketch.add(number);
                case Integer number -> sketch.add(number.longValue());
                case String text -> sketch.add(Slices.utf8Slice(text));
                default -> throw new IllegalArgumentException("no sketch of " + value.getClass());
            }
        }
        return Base64.getEncoder().encodeToString(sketch.serialize().getBytes());
    }

    /**
     * The distinct values the sketch estimates, as Trino's connector reads them.
     */
    public static long cardinality(String ndvSummary)
    {
        return HyperLogLog.newInstance(Slices.wrappedBuffer(Base64.getDecoder().decode(ndvSummary))).cardinality();
    }

    /**
     * The file's text, byte for byte as Trino writes it.
     *
     * @param columns in the order to write them
     */
    public static String json(Instant alreadyAnalyzedModifiedTimeMax, Map<String, Column> columns, Optional<List<String>> analyzedColumns)
    {
        StringBuilder json = new StringBuilder("{\"modelVersion\":4,\"alreadyAnalyzedModifiedTimeMax\":")
                .append(quoted(alreadyAnalyzedModifiedTimeMax.toString()))
                .append(",\"columnStatistics\":{");
        String separator = "";
        for (Map.Entry<String, Column> column : columns.entrySet()) {
            json.append(separator).append(quoted(column.getKey())).append(":{");
            column.getValue().totalSizeInBytes().ifPresent(size -> json.append("\"totalSizeInBytes\":").append(size).append(','));
            json.append("\"ndvSummary\":").append(quoted(column.getValue().ndvSummary())).append('}');
            separator = ",";
        }
        json.append('}');
        analyzedColumns.ifPresent(names -> json.append(",\"analyzedColumns\":[")
                .append(String.join(",", names.stream().map(TrinoExtendedStatisticsFile::quoted).toList()))
                .append(']'));
        return json.append('}').toString();
    }

    /**
     * Writes the text as the table's extended statistics file.
     *
     * @return the file
     */
    public static Path write(Path table, String json)
    {
        try {
            Path file = table.resolve(DeltaExtendedStatistics.PATH);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, json);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quoted(String text)
    {
        try {
            return JSON.writeValueAsString(text);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
