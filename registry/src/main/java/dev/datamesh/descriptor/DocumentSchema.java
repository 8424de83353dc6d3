package dev.datamesh.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * One of the JSON Schemas shipped with the mesh (data products, asset schemas, role mappings, policies, domains),
 * turning validator output into messages that say where the problem is and what to write instead.
 */
public final class DocumentSchema
{
    public static final DocumentSchema DATA_PRODUCT = load("data-product.schema.json", "data product");
    public static final DocumentSchema ASSET_SCHEMA = load("asset-schema.schema.json", "asset schema");
    public static final DocumentSchema ROLES = load("roles.schema.json", "role mapping");
    public static final DocumentSchema POLICY = load("policy.schema.json", "policy");
    public static final DocumentSchema DOMAINS = load("domains.schema.json", "domains");

    private final String documentKind;
    private final JsonNode schemaTree;
    private final JsonSchema schema;

    private DocumentSchema(String documentKind, JsonNode schemaTree)
    {
        this.documentKind = requireNonNull(documentKind, "documentKind is null");
        this.schemaTree = requireNonNull(schemaTree, "schemaTree is null");
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaTree);
        this.schema.initializeValidators();
    }

    private static DocumentSchema load(String resourceName, String documentKind)
    {
        try (InputStream input = DocumentSchema.class.getResourceAsStream(resourceName)) {
            requireNonNull(input, () -> "missing resource " + resourceName);
            return new DocumentSchema(documentKind, new ObjectMapper().readTree(input));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<DescriptorProblem> validate(LocatedDocument document)
    {
        return schema.validate(document.root()).stream()
                .map(message -> toProblem(document, message))
                .sorted(Comparator.comparingInt((DescriptorProblem problem) -> problem.position().line())
                        .thenComparingInt(problem -> problem.position().column())
                        .thenComparing(DescriptorProblem::message))
                .distinct()
                .collect(toImmutableList());
    }

    private DescriptorProblem toProblem(LocatedDocument document, ValidationMessage message)
    {
        String pointer = toPointer(message.getInstanceLocation());
        String field = fieldName(message.getInstanceLocation());
        JsonNode instance = message.getInstanceNode();
        return switch (message.getType()) {
            case "required" -> new DescriptorProblem(
                    document.positionOfKey(pointer),
                    "missing required field '%s' in %s".formatted(message.getProperty(), field.isEmpty() ? "the " + documentKind : field));
            case "additionalProperties" -> {
                String unknown = message.getProperty();
                List<String> allowed = allowedFields(message);
                yield new DescriptorProblem(
                        document.positionOfKey(pointer + "/" + unknown),
                        "unknown field '%s'%s%s".formatted(
                                unknown,
                                closest(unknown, allowed).map(name -> "; did you mean '" + name + "'?").orElse(""),
                                allowed.isEmpty() ? "" : " (allowed here: " + String.join(", ", allowed) + ")"));
            }
            case "type" -> {
                Object[] arguments = message.getArguments();
                String found = arguments.length > 0 ? String.valueOf(arguments[0]) : instance.getNodeType().toString().toLowerCase();
                String expected = arguments.length > 1 ? String.valueOf(arguments[1]) : "another type";
                String hint = expected.equals("string") && instance != null && (instance.isNumber() || instance.isBoolean())
                        ? "; quote it: \"%s\"".formatted(document.scalarText(pointer).orElse(instance.asText()))
                        : "";
                yield new DescriptorProblem(
                        document.positionOf(pointer),
                        "%s must be %s, found %s%s".formatted(field.isEmpty() ? "the " + documentKind : "'" + field + "'", article(expected), found, hint));
            }
            case "enum" -> {
                String allowed = StreamSupport.stream(message.getSchemaNode().spliterator(), false)
                        .map(JsonNode::asText)
                        .collect(joining(", "));
                yield new DescriptorProblem(
                        document.positionOf(pointer),
                        "'%s' has unsupported value '%s'; use one of: %s".formatted(field, instance == null ? "" : instance.isValueNode() ? instance.asText() : instance.toString(), allowed));
            }
            case "pattern" -> field.endsWith(".table") ? new DescriptorProblem(
                    document.positionOf(pointer),
                    "'%s' value '%s' is not a catalog table name: write namespace.table, e.g. sales.orders".formatted(field, instance == null ? "" : instance.asText()))
                    : new DescriptorProblem(
                    document.positionOf(pointer),
                    "'%s' value '%s' is not a valid name: it must match %s".formatted(field, instance == null ? "" : instance.asText(), message.getSchemaNode().asText()));
            default -> new DescriptorProblem(
                    document.positionOf(pointer),
                    "'%s' %s".formatted(field.isEmpty() ? documentKind : field, stripLocation(message.getMessage())));
        };
    }

    private List<String> allowedFields(ValidationMessage message)
    {
        // the evaluation path ends in "additionalProperties"; its parent is the object schema that lists the fields
        JsonNodePath path = message.getEvaluationPath();
        JsonNode node = schemaTree;
        for (int i = 0; i < path.getNameCount() - 1 && node != null; i++) {
            Object element = path.getElement(i);
            node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
        }
        JsonNode properties = node == null ? null : node.get("properties");
        if (properties == null) {
            return ImmutableList.of();
        }
        return ImmutableList.copyOf(properties.fieldNames());
    }

    public static Optional<String> closest(String name, List<String> candidates)
    {
        return candidates.stream()
                .filter(candidate -> editDistance(name.toLowerCase(), candidate) <= 2)
                .min(Comparator.comparingInt(candidate -> editDistance(name.toLowerCase(), candidate)));
    }

    private static int editDistance(String a, String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String article(String type)
    {
        return switch (type) {
            case "array" -> "a list";
            case "object" -> "a mapping";
            case "integer" -> "an integer";
            default -> "a " + type;
        };
    }

    private static String stripLocation(String message)
    {
        int separator = message.indexOf(": ");
        return separator > 0 && message.startsWith("$") ? message.substring(separator + 2) : message;
    }

    static String toPointer(JsonNodePath path)
    {
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            pointer.append('/').append(String.valueOf(element).replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    /**
     * A readable name of the value at a path: data_assets[0].format.
     */
    static String fieldName(JsonNodePath path)
    {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                name.append('[').append(index).append(']');
            }
            else {
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(element);
            }
        }
        return name.toString();
    }
}
