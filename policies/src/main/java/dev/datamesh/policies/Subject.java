package dev.datamesh.policies;

import com.google.common.collect.ImmutableSet;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Who asks: the user name the server authenticated and the groups its group provider gave.
 */
public record Subject(String user, Set<String> groups)
{
    public Subject
    {
        requireNonNull(user, "user is null");
        groups = ImmutableSet.copyOf(groups);
    }
}
