package dev.datamesh.policies;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Lets the principals it applies to act as the users whose names match the pattern (a service
 * that runs queries for its own users, or SET SESSION AUTHORIZATION).
 */
public record ImpersonationRule(RuleOrigin origin, Principals appliesTo, Pattern users)
{
    public ImpersonationRule
    {
        requireNonNull(origin, "origin is null");
        requireNonNull(appliesTo, "appliesTo is null");
        requireNonNull(users, "users is null");
    }

    public boolean allows(Principal principal, String user)
    {
        return appliesTo.includes(principal, false) && users.matcher(user).matches();
    }
}
