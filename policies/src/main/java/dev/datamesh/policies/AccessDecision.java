package dev.datamesh.policies;

import static java.util.Objects.requireNonNull;

/**
 * Whether a principal may read an asset (or a column), and why: the grant or rule that decided,
 * worded for an error message or an audit line.
 */
public record AccessDecision(boolean allowed, String reason)
{
    public AccessDecision
    {
        requireNonNull(reason, "reason is null");
    }

    public static AccessDecision allow(String reason)
    {
        return new AccessDecision(true, reason);
    }

    public static AccessDecision deny(String reason)
    {
        return new AccessDecision(false, reason);
    }
}
