package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableList;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The column contract of an asset, from the file its descriptor names in {@code schema:}.
 */
public record AssetSchema(Path file, Optional<String> description, List<DeclaredColumn> columns)
{
    public AssetSchema
    {
        requireNonNull(file, "file is null");
        requireNonNull(description, "description is null");
        columns = ImmutableList.copyOf(columns);
    }

    public Optional<DeclaredColumn> column(String name)
    {
        return columns.stream()
                .filter(column -> column.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
