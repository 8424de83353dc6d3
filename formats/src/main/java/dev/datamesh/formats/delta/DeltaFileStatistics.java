package dev.datamesh.formats.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The statistics a Delta writer recorded for one data file (the add action's "stats" JSON), for
 * top-level columns by logical name. Values stay JSON: their meaning depends on the column type.
 */
public record DeltaFileStatistics(long numRecords, Map<String, JsonNode> minValues, Map<String, JsonNode> maxValues, Map<String, Long> nullCounts)
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public DeltaFileStatistics
    {
        minValues = ImmutableMap.copyOf(minValues);
        maxValues = ImmutableMap.copyOf(maxValues);
        nullCounts = ImmutableMap.copyOf(nullCounts);
    }

    public OptionalLong nullCount(String column)
    {
        Long count = nullCounts.get(column);
        return count == null ? OptionalLong.empty() : OptionalLong.of(count);
    }

    /**
     * Parses a data file's statistics, keyed by the columns' SQL names.
     *
     * @param logicalNames logical column name by the name the statistics use (physical under column mapping)
     */
    static Optional<DeltaFileStatistics> parse(String json, Map<String, String> logicalNames)
    {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode root = MAPPER.readTree(json);
            JsonNode numRecords = root.get("numRecords");
            if (numRecords == null || !numRecords.canConvertToLong()) {
                return Optional.empty();
            }
            ImmutableMap.Builder<String, Long> nullCounts = ImmutableMap.builder();
            fields(root.path("nullCount")).forEachRemaining(entry -> {
                if (entry.getValue().canConvertToLong()) {
                    nullCounts.put(sqlName(entry.getKey(), logicalNames), entry.getValue().asLong());
                }
            });
            return Optional.of(new DeltaFileStatistics(
                    numRecords.asLong(),
                    scalars(root.path("minValues"), logicalNames),
                    scalars(root.path("maxValues"), logicalNames),
                    nullCounts.buildKeepingLast()));
        }
        catch (Exception e) {
            // statistics only speed reads up: a file with unreadable statistics is simply read
            return Optional.empty();
        }
    }

    private static Map<String, JsonNode> scalars(JsonNode values, Map<String, String> logicalNames)
    {
        ImmutableMap.Builder<String, JsonNode> scalars = ImmutableMap.builder();
        fields(values).forEachRemaining(entry -> {
            if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                scalars.put(sqlName(entry.getKey(), logicalNames), entry.getValue());
            }
        });
        return scalars.buildKeepingLast();
    }

    /**
     * Statistics are looked up by a column's SQL name: its logical name in lower case (Delta
     * column names are case-insensitive).
     */
    private static String sqlName(String statisticsName, Map<String, String> logicalNames)
    {
        return logicalNames.getOrDefault(statisticsName, statisticsName).toLowerCase(Locale.ROOT);
    }

    private static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode node)
    {
        return requireNonNull(node, "node is null").properties().iterator();
    }
}
