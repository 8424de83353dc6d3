package dev.datamesh.trino.delta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableMap;
import io.airlift.log.Logger;
import io.airlift.slice.Slices;
import io.airlift.stats.cardinality.HyperLogLog;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoInputFile;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.HOURS;

/**
 * The statistics Trino's Delta Lake connector keeps beside a table's log when it analyzes the
 * table: {@code _delta_log/_trino_meta/extended_stats.json}, with per column a HyperLogLog
 * sketch of its values (airlift's, base64) and, for columns of variable width, the bytes of its
 * values. Trino keys the columns by physical name (the logical name without column mapping) and
 * plans with the sketches whatever was committed since the analysis, as this does.
 * <p>
 * A file is read once per length and modification time. A missing file gives nothing; so does
 * an unreadable or invalid one, with a warning naming it: statistics only help planning.
 */
public class DeltaExtendedStatistics
{
    private static final Logger log = Logger.get(DeltaExtendedStatistics.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String PATH = "_delta_log/_trino_meta/extended_stats.json";

    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<FileVersion, Optional<TableSketches>> files = CacheBuilder.newBuilder()
            .maximumSize(1_000)
            .expireAfterAccess(1, HOURS)
            .build();

    /**
     * What a column's sketch estimates, as Trino's connector reads it.
     *
     * @param distinctValues the sketch's estimate of the column's distinct non-null values
     * @param dataSize the bytes of the column's values, when recorded
     */
    public record ColumnSketch(long distinctValues, OptionalLong dataSize)
    {
        public ColumnSketch
        {
            requireNonNull(dataSize, "dataSize is null");
        }
    }

    /**
     * @param columns by the name Trino keys them with: the physical name under column mapping
     */
    public record TableSketches(Map<String, ColumnSketch> columns)
    {
        public TableSketches
        {
            columns = ImmutableMap.copyOf(columns);
        }
    }

    /**
     * The statistics kept beside the Delta table at the location, if it has a valid file.
     */
    public Optional<TableSketches> read(TrinoFileSystem fileSystem, Location table)
    {
        Location location = table.appendPath(PATH);
        TrinoInputFile file = fileSystem.newInputFile(location);
        FileVersion version;
        try {
            version = new FileVersion(location.toString(), file.length(), file.lastModified());
        }
        catch (FileNotFoundException e) {
            return Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            log.warn(e, "Not using the extended statistics of the Delta table at %s: cannot read %s", table, location);
            return Optional.empty();
        }
        Optional<TableSketches> cached = files.getIfPresent(version);
        if (cached != null) {
            return cached;
        }
        byte[] json;
        try (InputStream input = file.newStream()) {
            json = input.readAllBytes();
        }
        catch (FileNotFoundException e) {
            // removed since it was looked at
            return Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            // perhaps passing: not remembered, the next query tries again
            log.warn(e, "Not using the extended statistics of the Delta table at %s: cannot read %s", table, location);
            return Optional.empty();
        }
        Optional<TableSketches> sketches;
        try {
            sketches = Optional.of(parse(json));
        }
        catch (IllegalArgumentException e) {
            // remembered for this version of the file, so that the warning is logged once
            log.warn("Not using the extended statistics of the Delta table at %s: %s is not Trino's extended statistics file: %s", table, location, e.getMessage());
            sketches = Optional.empty();
        }
        files.put(version, sketches);
        return sketches;
    }

    /**
     * Parses the JSON Trino's Delta Lake connector writes: {@code {"modelVersion":4,
     * "alreadyAnalyzedModifiedTimeMax":"...","columnStatistics":{"<column>":{"totalSizeInBytes":n,
     * "ndvSummary":"<base64>"}},"analyzedColumns":[...]}}, the size and the analyzed columns
     * being optional. Fields other than the column statistics only matter to Trino's next ANALYZE.
     *
     * @throws IllegalArgumentException when the text is no such file, saying why
     */
    public static TableSketches parse(byte[] json)
    {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode columns = root.get("columnStatistics");
        if (columns == null || !columns.isObject()) {
            throw new IllegalArgumentException("no columnStatistics object");
        }
        ImmutableMap.Builder<String, ColumnSketch> sketches = ImmutableMap.builder();
        for (Map.Entry<String, JsonNode> column : columns.properties()) {
            sketches.put(column.getKey(), columnSketch(column.getKey(), column.getValue()));
        }
        return new TableSketches(sketches.buildOrThrow());
    }

    private static ColumnSketch columnSketch(String name, JsonNode statistics)
    {
        JsonNode summary = statistics.get("ndvSummary");
        if (summary == null || !summary.isTextual()) {
            throw new IllegalArgumentException("column '%s' has no ndvSummary".formatted(name));
        }
        long distinctValues;
        try {
            distinctValues = HyperLogLog.newInstance(Slices.wrappedBuffer(Base64.getDecoder().decode(summary.asText()))).cardinality();
        }
        catch (RuntimeException e) {
            throw new IllegalArgumentException("the ndvSummary of column '%s' is no HyperLogLog sketch: %s".formatted(name, e.getMessage()), e);
        }
        JsonNode size = statistics.get("totalSizeInBytes");
        OptionalLong dataSize = OptionalLong.empty();
        if (size != null && !size.isNull()) {
            if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
                throw new IllegalArgumentException("the totalSizeInBytes of column '%s' is no byte count: %s".formatted(name, size));
            }
            dataSize = OptionalLong.of(size.asLong());
        }
        return new ColumnSketch(distinctValues, dataSize);
    }

    private record FileVersion(String location, long length, Instant modified)
    {
        FileVersion
        {
            requireNonNull(location, "location is null");
            requireNonNull(modified, "modified is null");
        }
    }
}
