package dev.datamesh.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML (and so JSON) into a {@link LocatedDocument}. SnakeYAML's node graph is used
 * rather than a data binder because it keeps the line and column of every node.
 */
public final class LocatedDocumentReader
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

    private LocatedDocumentReader() {}

    public static LocatedDocument read(Path file)
            throws DescriptorException
    {
        String text;
        try {
            if (Files.size(file) > MAX_DOCUMENT_BYTES) {
                throw new DescriptorException(new DescriptorProblem(SourcePosition.startOf(file), "file is larger than 4 MiB; a descriptor should be a few kilobytes"));
            }
            text = Files.readString(file);
        }
        catch (IOException e) {
            throw new DescriptorException(new DescriptorProblem(SourcePosition.startOf(file), "cannot read file: " + e));
        }
        return parse(file, text);
    }

    public static LocatedDocument parse(Path file, String text)
            throws DescriptorException
    {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(options);
        List<Node> documents = new ArrayList<>();
        try (Reader reader = Reader.of(text)) {
            yaml.composeAll(reader).forEach(documents::add);
        }
        catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " " + e.getContext() : "";
            String hint = "";
            if (e.getProblemMark() != null && e.getContextMark() != null) {
                if (e.getProblemMark().getIndex() >= text.codePointCount(0, text.length())) {
                    // the file ended inside a quote or bracket: the end of the file says nothing, where it was opened does
                    mark = e.getContextMark();
                    hint = "; it starts here and is not closed before the end of the file";
                }
                else if (e.getContextMark().getLine() != e.getProblemMark().getLine()) {
                    hint = " that starts at line " + (e.getContextMark().getLine() + 1);
                }
            }
            throw new DescriptorException(new DescriptorProblem(positionOf(file, mark), "invalid YAML: " + problem + context + hint));
        }
        catch (YAMLException | IOException e) {
            throw new DescriptorException(new DescriptorProblem(SourcePosition.startOf(file), "invalid YAML: " + e.getMessage()));
        }
        if (documents.isEmpty()) {
            throw new DescriptorException(new DescriptorProblem(SourcePosition.startOf(file), "file is empty; expected a mapping with name, domain, owner, version and data_assets"));
        }
        if (documents.size() > 1) {
            throw new DescriptorException(new DescriptorProblem(positionOf(file, documents.get(1).getStartMark()), "file holds more than one YAML document; put each data product in its own file"));
        }
        Builder builder = new Builder(file);
        JsonNode root = builder.convert(documents.getFirst(), "");
        if (!builder.problems.isEmpty()) {
            throw new DescriptorException(builder.problems);
        }
        return new LocatedDocument(file, root, builder.valuePositions, builder.keyPositions, builder.scalarTexts);
    }

    private static SourcePosition positionOf(Path file, Mark mark)
    {
        if (mark == null) {
            return SourcePosition.startOf(file);
        }
        return new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String escapePointerToken(String token)
    {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static final class Builder
    {
        private final Path file;
        private final Map<String, SourcePosition> valuePositions = new HashMap<>();
        private final Map<String, SourcePosition> keyPositions = new HashMap<>();
        private final Map<String, String> scalarTexts = new HashMap<>();
        private final List<DescriptorProblem> problems = new ArrayList<>();

        Builder(Path file)
        {
            this.file = file;
        }

        JsonNode convert(Node node, String pointer)
        {
            valuePositions.put(pointer, positionOf(file, node.getStartMark()));
            return switch (node) {
                case MappingNode mapping -> convertMapping(mapping, pointer);
                case SequenceNode sequence -> convertSequence(sequence, pointer);
                case ScalarNode scalar -> {
                    scalarTexts.put(pointer, scalar.getValue());
                    yield convertScalar(scalar);
                }
                default -> throw new IllegalStateException("Unexpected YAML node: " + node);
            };
        }

        private ObjectNode convertMapping(MappingNode mapping, String pointer)
        {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                    problems.add(new DescriptorProblem(positionOf(file, tuple.getKeyNode().getStartMark()), "keys must be plain names"));
                    continue;
                }
                String key = keyNode.getValue();
                String childPointer = pointer + "/" + escapePointerToken(key);
                if (object.has(key)) {
                    problems.add(new DescriptorProblem(positionOf(file, keyNode.getStartMark()), "'%s' is given twice; keep one".formatted(key)));
                    continue;
                }
                keyPositions.put(childPointer, positionOf(file, keyNode.getStartMark()));
                object.set(key, convert(tuple.getValueNode(), childPointer));
            }
            return object;
        }

        private ArrayNode convertSequence(SequenceNode sequence, String pointer)
        {
            ArrayNode array = NODES.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                array.add(convert(items.get(i), pointer + "/" + i));
            }
            return array;
        }

        private static JsonNode convertScalar(ScalarNode scalar)
        {
            Tag tag = scalar.getTag();
            String value = scalar.getValue();
            if (Tag.NULL.equals(tag)) {
                return NODES.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                return NODES.booleanNode(Boolean.parseBoolean(value) || value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("on") || value.equalsIgnoreCase("y"));
            }
            if (Tag.INT.equals(tag)) {
                try {
                    return NODES.numberNode(new BigInteger(value.replace("_", "")));
                }
                catch (NumberFormatException e) {
                    return NODES.textNode(value);
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                try {
                    return NODES.numberNode(Double.parseDouble(value.replace("_", "")));
                }
                catch (NumberFormatException e) {
                    return NODES.textNode(value);
                }
            }
            return NODES.textNode(value);
        }
    }
}
