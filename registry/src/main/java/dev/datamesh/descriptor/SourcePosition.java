package dev.datamesh.descriptor;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A place in a descriptor or schema file, as editors count it (lines and columns from 1).
 */
public record SourcePosition(Path file, int line, int column)
{
    public SourcePosition
    {
        requireNonNull(file, "file is null");
    }

    public static SourcePosition startOf(Path file)
    {
        return new SourcePosition(file, 1, 1);
    }

    @Override
    public String toString()
    {
        return file + ":" + line + ":" + column;
    }
}
