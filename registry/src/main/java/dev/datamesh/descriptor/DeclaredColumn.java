package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableList;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A column as the asset's schema file declares it. The type is a Trino type name, checked
 * against the data by the connector.
 */
public record DeclaredColumn(
        String name,
        String type,
        Optional<String> description,
        boolean nullable,
        List<String> tags,
        SourcePosition position)
{
    public DeclaredColumn
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        tags = ImmutableList.copyOf(tags);
        requireNonNull(position, "position is null");
    }
}
