package dev.datamesh.policies;

import static java.util.Objects.requireNonNull;

/**
 * A domain-local grant: a data product gives a role a permission on its assets.
 */
public record AccessGrant(String role, Permission permission)
{
    public AccessGrant
    {
        requireNonNull(role, "role is null");
        requireNonNull(permission, "permission is null");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role is blank");
        }
    }
}
