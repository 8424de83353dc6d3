package dev.datamesh.trino.benchmark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static com.google.common.collect.MoreCollectors.onlyElement;

/**
 * Reads the join shape out of {@code EXPLAIN (TYPE DISTRIBUTED, FORMAT JSON)}: a JSON object
 * with the plan of each fragment by fragment id, where a RemoteSource node names the fragments
 * it reads from. The JSON form is read rather than the text one because its nodes, names and
 * details are fields, not indentation and punctuation.
 */
final class JoinShapeReader
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FRAGMENT_ID = Pattern.compile("\\d+");
    private static final Pattern NAME_SEPARATOR = Pattern.compile("[^a-z0-9_]+");
    private static final String DISTRIBUTION_DETAIL = "Distribution: ";

    private final Set<String> tableNames;

    JoinShapeReader(Set<String> tableNames)
    {
        this.tableNames = tableNames.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(toImmutableSet());
    }

    JoinShape read(String distributedPlan)
    {
        JsonNode fragments;
        try {
            fragments = JSON.readTree(distributedPlan);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException("not a JSON plan: " + distributedPlan, e);
        }
        // fragment 0 is the root: it produces the query's output
        JsonNode root = fragments.get("0");
        if (root == null) {
            throw new IllegalArgumentException("plan has no fragment 0: " + distributedPlan);
        }
        return shape(fragments, root);
    }

    private JoinShape shape(JsonNode fragments, JsonNode node)
    {
        String name = node.path("name").asText();
        JsonNode descriptor = node.path("descriptor");
        // TableScan, and a scan with its filter and projection merged in (ScanFilterProject...)
        if (descriptor.has("table")) {
            return new JoinShape.Scan(tableName(descriptor.get("table").asText()));
        }
        List<JoinShape> inputs = new ArrayList<>();
        if (name.equals("RemoteSource") || name.equals("RemoteMerge")) {
            Matcher ids = FRAGMENT_ID.matcher(descriptor.path("sourceFragmentIds").asText());
            while (ids.find()) {
                JsonNode fragment = fragments.get(ids.group());
                if (fragment == null) {
                    throw new IllegalArgumentException("plan has no fragment " + ids.group());
                }
                inputs.add(shape(fragments, fragment));
            }
        }
        for (JsonNode child : node.path("children")) {
            inputs.add(shape(fragments, child));
        }
        if (name.endsWith("Join") && inputs.size() == 2) {
            return new JoinShape.Join(name.substring(0, name.length() - "Join".length()), distribution(node), inputs.get(0), inputs.get(1));
        }
        if (inputs.isEmpty()) {
            return new JoinShape.Leaf(name);
        }
        // a projection, filter, aggregation, exchange, sort...: only what it reads counts
        if (inputs.size() == 1) {
            return inputs.stream().collect(onlyElement());
        }
        return new JoinShape.Union(inputs.stream()
                .flatMap(input -> input instanceof JoinShape.Union union ? union.inputs().stream() : Stream.of(input))
                .collect(toImmutableList()));
    }

    /**
     * Every join, semi and cross joins included, names its distribution among its details;
     * inner and outer joins also in their descriptor.
     */
    private static String distribution(JsonNode node)
    {
        for (JsonNode detail : node.path("details")) {
            String text = detail.asText();
            if (text.startsWith(DISTRIBUTION_DETAIL)) {
                return text.substring(DISTRIBUTION_DETAIL.length()).strip();
            }
        }
        return node.path("descriptor").path("distribution").asText("UNKNOWN");
    }

    /**
     * The last word of the table's text up to its first space that is a known table name: what
     * follows a space are the connector's constraints, whose values may be any word. Catalogs
     * render a table as {@code hive:tpch:orders}, {@code iceberg:tpch.orders$data@12},
     * {@code tpch:tiny:orders} or {@code tpch.orders constraint on [...]}.
     */
    private String tableName(String text)
    {
        String head = text.strip().split("\\s+", 2)[0];
        String[] words = NAME_SEPARATOR.split(head.toLowerCase(Locale.ROOT));
        for (int i = words.length - 1; i >= 0; i--) {
            if (tableNames.contains(words[i])) {
                return words[i];
            }
        }
        return head;
    }
}
