package dev.datamesh.policies;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.Objects.requireNonNull;

/**
 * Which users and groups hold which roles, and the attributes (such as {@code region}) that
 * roles and users carry for row filters.
 *
 * @param members the users and groups of each role
 * @param roleAttributes attribute values given to every holder of a role
 * @param userAttributes attribute values given to one user, which replace those of its roles
 */
public record RoleMapping(Map<String, Members> members, Map<String, Map<String, List<String>>> roleAttributes, Map<String, Map<String, List<String>>> userAttributes)
{
    public static final RoleMapping EMPTY = new RoleMapping(ImmutableMap.of(), ImmutableMap.of(), ImmutableMap.of());

    public RoleMapping
    {
        members = ImmutableMap.copyOf(members);
        roleAttributes = copy(roleAttributes);
        userAttributes = copy(userAttributes);
    }

    public record Members(Set<String> users, Set<String> groups)
    {
        public Members
        {
            users = ImmutableSet.copyOf(users);
            groups = ImmutableSet.copyOf(groups);
        }
    }

    public Principal principal(Subject subject)
    {
        requireNonNull(subject, "subject is null");
        ImmutableSet.Builder<String> roles = ImmutableSet.builder();
        members.forEach((role, holders) -> {
            if (holders.users().contains(subject.user()) || holders.groups().stream().anyMatch(subject.groups()::contains)) {
                roles.add(role);
            }
        });
        Set<String> granted = roles.build();
        // several roles may give the same attribute: their values add up
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (String role : granted) {
            roleAttributes.getOrDefault(role, ImmutableMap.of()).forEach((name, values) ->
                    attributes.merge(name, values, (a, b) -> ImmutableSet.<String>builder().addAll(a).addAll(b).build().asList()));
        }
        attributes.putAll(userAttributes.getOrDefault(subject.user(), ImmutableMap.of()));
        return new Principal(subject, granted, attributes);
    }

    private static Map<String, Map<String, List<String>>> copy(Map<String, Map<String, List<String>>> attributes)
    {
        return attributes.entrySet().stream()
                .collect(toImmutableMap(Map.Entry::getKey, entry -> entry.getValue().entrySet().stream()
                        .collect(toImmutableMap(Map.Entry::getKey, values -> List.copyOf(values.getValue())))));
    }
}
