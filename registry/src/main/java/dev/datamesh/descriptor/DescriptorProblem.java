package dev.datamesh.descriptor;

import static java.util.Objects.requireNonNull;

/**
 * Something wrong in a descriptor or schema file, where it is and what to fix.
 */
public record DescriptorProblem(SourcePosition position, String message)
{
    public DescriptorProblem
    {
        requireNonNull(position, "position is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString()
    {
        return position + ": " + message;
    }
}
