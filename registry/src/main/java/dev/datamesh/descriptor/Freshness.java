package dev.datamesh.descriptor;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The freshness a product's SLA declares, as a duration, and the status of data of a given age
 * against it. Accepted: one or more {@code <number> <unit>} terms ({@code 1 hour}, {@code 30m},
 * {@code 1.5 days}, {@code 1h30m}) with units s, sec(s), second(s), m, min(s), minute(s), h,
 * hr(s), hour(s), d, day(s), w, week(s); an ISO-8601 duration ({@code PT1H}, {@code P1D},
 * {@code P1DT12H}, {@code P2W}); or {@code hourly}, {@code daily}, {@code weekly}. Case is
 * ignored; the duration must be longer than zero. Months and years are left out on purpose:
 * their length varies, and an SLA says how stale data may be.
 */
public final class Freshness
{
    public static final String OK = "ok";
    public static final String BREACHED = "breached";
    public static final String UNKNOWN = "unknown";

    public static final String EXAMPLES = "30 minutes, 1 hour, 1.5 days, 1h30m, 2w, PT1H, P1D, hourly or daily";

    // longer unit names first, and no letter after a unit, so that "min" is not read as "m" + "in"
    private static final Pattern TERM = Pattern.compile(
            "\\s*(\\d+(?:\\.\\d+)?)\\s*(seconds|second|secs|sec|s|minutes|minute|mins|min|m|hours|hour|hrs|hr|h|days|day|d|weeks|week|w)(?![a-z])\\s*");
    private static final Pattern ISO_WEEKS = Pattern.compile("p(\\d+)w");

    private Freshness() {}

    /**
     * The declared freshness as a duration; empty when it does not follow the grammar.
     */
    public static Optional<Duration> parse(String declared)
    {
        String text = declared.strip().toLowerCase(Locale.ROOT);
        Optional<Duration> duration = switch (text) {
            case "hourly" -> Optional.of(Duration.ofHours(1));
            case "daily" -> Optional.of(Duration.ofDays(1));
            case "weekly" -> Optional.of(Duration.ofDays(7));
            default -> text.startsWith("p") ? iso(text) : terms(text);
        };
        return duration.filter(value -> value.isPositive());
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
        return lag.orElseThrow().compareTo(freshness.orElseThrow()) <= 0 ? OK : BREACHED;
    }

    private static Optional<Duration> iso(String text)
    {
        Matcher weeks = ISO_WEEKS.matcher(text);
        if (weeks.matches()) {
            return terms(weeks.group(1) + "w");
        }
        try {
            return Optional.of(Duration.parse(text));
        }
        catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> terms(String text)
    {
        Matcher matcher = TERM.matcher(text);
        BigDecimal seconds = BigDecimal.ZERO;
        int end = 0;
        while (end < text.length()) {
            if (!matcher.find(end) || matcher.start() != end) {
                return Optional.empty();
            }
            seconds = seconds.add(new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unitSeconds(matcher.group(2)))));
            end = matcher.end();
        }
        if (end == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(0, seconds.movePointRight(9).longValueExact()));
        }
        catch (ArithmeticException e) {
            // a fraction of a nanosecond, or longer than a Duration of nanoseconds holds (292 years)
            return Optional.empty();
        }
    }

    private static long unitSeconds(String unit)
    {
        return switch (unit.charAt(0)) {
            case 's' -> 1;
            case 'm' -> 60;
            case 'h' -> 3600;
            case 'd' -> 86_400;
            case 'w' -> 7 * 86_400;
            default -> throw new IllegalArgumentException("unexpected unit " + unit);
        };
    }
}
