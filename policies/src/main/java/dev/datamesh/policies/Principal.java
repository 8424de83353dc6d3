package dev.datamesh.policies;

import com.google.common.collect.ImmutableSet;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.Objects.requireNonNull;

/**
 * A subject with the roles the role mapping gives it and its attributes (a user's own override
 * those of its roles), worked out once per query rather than once per table or column.
 */
public record Principal(Subject subject, Set<String> roles, Map<String, List<String>> attributes)
{
    public Principal
    {
        requireNonNull(subject, "subject is null");
        roles = ImmutableSet.copyOf(roles);
        attributes = attributes.entrySet().stream()
                .collect(toImmutableMap(Map.Entry::getKey, entry -> List.copyOf(entry.getValue())));
    }

    public String user()
    {
        return subject.user();
    }

    /**
     * Whether the principal belongs to the team that owns a data product: the owner named in a
     * descriptor is matched against the principal's roles and groups.
     */
    public boolean isOwner(String owner)
    {
        return roles.contains(owner) || subject.groups().contains(owner);
    }
}
