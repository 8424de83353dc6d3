package dev.datamesh.trino.system;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The freshness a product's SLA declares ("1 hour", "4 hours", "1 day", "30m") as a duration,
 * and the status of data of a given age against it.
 */
public final class Freshness
{
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)");

    public static final String OK = "ok";
    public static final String BREACHED = "breached";
    public static final String UNKNOWN = "unknown";

    private Freshness() {}

    public static Optional<Duration> parse(String declared)
    {
        Matcher matcher = DURATION.matcher(declared.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2).charAt(0)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            case 'w' -> Duration.ofDays(7 * amount);
            default -> throw new IllegalStateException("unexpected unit " + matcher.group(2));
        });
    }

    /**
     * {@value #OK} when the data is no older than the freshness, {@value #BREACHED} when it is,
     * {@value #UNKNOWN} when either is not known.
     */
    public static String status(Optional<Duration> freshness, Optional<Duration> lag)
    {
        if (freshness.isEmpty() || lag.isEmpty()) {
            return UNKNOWN;
        }
        return lag.get().compareTo(freshness.get()) <= 0 ? OK : BREACHED;
    }
}
