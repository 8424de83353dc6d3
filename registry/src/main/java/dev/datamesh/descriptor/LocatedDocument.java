package dev.datamesh.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableMap;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A YAML or JSON document as a JSON tree, with the source position of every value and key,
 * addressed by JSON pointer ("/data_assets/0/format"), so that problems found on the tree can
 * be reported at the line where the user wrote them, and the text of every scalar as written
 * (1.10, no), which the tree holds only as converted values (1.1, false).
 */
public record LocatedDocument(Path file, JsonNode root, Map<String, SourcePosition> valuePositions, Map<String, SourcePosition> keyPositions, Map<String, String> scalarTexts)
{
    public LocatedDocument
    {
        requireNonNull(file, "file is null");
        requireNonNull(root, "root is null");
        valuePositions = ImmutableMap.copyOf(valuePositions);
        keyPositions = ImmutableMap.copyOf(keyPositions);
        scalarTexts = ImmutableMap.copyOf(scalarTexts);
    }

    /**
     * The scalar at the pointer as the file spells it.
     */
    public Optional<String> scalarText(String pointer)
    {
        return Optional.ofNullable(scalarTexts.get(pointer));
    }

    /**
     * Position of the value at the pointer, else of the closest enclosing value.
     */
    public SourcePosition positionOf(String pointer)
    {
        String current = pointer;
        while (true) {
            SourcePosition position = valuePositions.get(current);
            if (position != null) {
                return position;
            }
            if (current.isEmpty()) {
                return SourcePosition.startOf(file);
            }
            current = current.substring(0, current.lastIndexOf('/'));
        }
    }

    /**
     * Position of the key that names the value at the pointer, else of its value.
     */
    public SourcePosition positionOfKey(String pointer)
    {
        SourcePosition position = keyPositions.get(pointer);
        return position != null ? position : positionOf(pointer);
    }
}
