package dev.datamesh.policies;

import com.google.common.collect.ImmutableSet;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Whom a rule applies to: any of the listed users, groups or roles, or the team that owns the
 * data product in question. A rule without principals applies to everyone.
 */
public record Principals(Set<String> users, Set<String> groups, Set<String> roles, boolean owner)
{
    public static final Principals EVERYONE = new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of(), false);

    public Principals
    {
        users = ImmutableSet.copyOf(users);
        groups = ImmutableSet.copyOf(groups);
        roles = ImmutableSet.copyOf(roles);
    }

    public boolean isEmpty()
    {
        return users.isEmpty() && groups.isEmpty() && roles.isEmpty() && !owner;
    }

    /**
     * Whether the principal is one of these; an empty set matches nobody (see {@link #appliesTo}).
     */
    public boolean includes(Principal principal, boolean ownsProduct)
    {
        requireNonNull(principal, "principal is null");
        return (owner && ownsProduct)
                || users.contains(principal.subject().user())
                || intersects(groups, principal.subject().groups())
                || intersects(roles, principal.roles());
    }

    /**
     * As a rule's {@code applies_to}: empty means everyone.
     */
    public boolean appliesTo(Principal principal, boolean ownsProduct)
    {
        return isEmpty() || includes(principal, ownsProduct);
    }

    private static boolean intersects(Set<String> a, Set<String> b)
    {
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        for (String value : small) {
            if (large.contains(value)) {
                return true;
            }
        }
        return false;
    }
}
