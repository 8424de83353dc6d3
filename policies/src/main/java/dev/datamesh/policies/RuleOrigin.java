package dev.datamesh.policies;

import static java.util.Objects.requireNonNull;

/**
 * Where a rule was written, so that every decision can name the rule that made it.
 */
public record RuleOrigin(String name, String file, int line)
{
    public RuleOrigin
    {
        requireNonNull(name, "name is null");
        requireNonNull(file, "file is null");
    }

    @Override
    public String toString()
    {
        return "global policy '%s' (%s:%s)".formatted(name, file, line);
    }
}
