package dev.datamesh.descriptor;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the owning team commits to: availability, freshness of the newest data, and support hours.
 */
public record ServiceLevel(Optional<String> availability, Optional<String> freshness, Optional<String> support)
{
    public static final ServiceLevel NONE = new ServiceLevel(Optional.empty(), Optional.empty(), Optional.empty());

    public ServiceLevel
    {
        requireNonNull(availability, "availability is null");
        requireNonNull(freshness, "freshness is null");
        requireNonNull(support, "support is null");
    }
}
