package dev.datamesh.descriptor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

final class TestFreshness
{
    @Test
    void testNumberAndUnit()
    {
        assertFreshness("1 hour", Duration.ofHours(1));
        assertFreshness("4 hours", Duration.ofHours(4));
        assertFreshness("30m", Duration.ofMinutes(30));
        assertFreshness("30 min", Duration.ofMinutes(30));
        assertFreshness("45 secs", Duration.ofSeconds(45));
        assertFreshness("2 hrs", Duration.ofHours(2));
        assertFreshness("1 Day", Duration.ofDays(1));
        assertFreshness("2w", Duration.ofDays(14));
        assertFreshness(" 1 week ", Duration.ofDays(7));
    }

    @Test
    void testDecimalsAndCompoundDurations()
    {
        assertFreshness("1.5 hours", Duration.ofMinutes(90));
        assertFreshness("0.5d", Duration.ofHours(12));
        assertFreshness("1h30m", Duration.ofMinutes(90));
        assertFreshness("1 hour 30 minutes", Duration.ofMinutes(90));
        assertFreshness("1d 12h", Duration.ofHours(36));
    }

    @Test
    void testIsoDurationsAndWords()
    {
        assertFreshness("PT1H", Duration.ofHours(1));
        assertFreshness("pt30m", Duration.ofMinutes(30));
        assertFreshness("P1D", Duration.ofDays(1));
        assertFreshness("P1DT12H", Duration.ofHours(36));
        assertFreshness("P2W", Duration.ofDays(14));
        assertFreshness("hourly", Duration.ofHours(1));
        assertFreshness("Daily", Duration.ofDays(1));
        assertFreshness("weekly", Duration.ofDays(7));
    }

    @Test
    void testUnreadable()
    {
        for (String declared : new String[] {"", "soon", "1", "hour", "1 month", "P1M", "P1Y", "1 mo", "1 hours ago", "0 minutes", "PT0S", "-PT1H", "1,5 hours", "1 business day", "1h30", "every hour"}) {
            assertThat(Freshness.parse(declared)).as(declared).isEmpty();
        }
    }

    @Test
    void testStatus()
    {
        Optional<Duration> hour = Optional.of(Duration.ofHours(1));
        assertThat(Freshness.status(hour, Optional.of(Duration.ofMinutes(59)))).isEqualTo(Freshness.OK);
        assertThat(Freshness.status(hour, Optional.of(Duration.ofHours(1)))).isEqualTo(Freshness.OK);
        assertThat(Freshness.status(hour, Optional.of(Duration.ofMinutes(61)))).isEqualTo(Freshness.BREACHED);
        assertThat(Freshness.status(Optional.empty(), Optional.of(Duration.ofMinutes(1)))).isEqualTo(Freshness.UNKNOWN);
        assertThat(Freshness.status(hour, Optional.empty())).isEqualTo(Freshness.UNKNOWN);
    }

    private static void assertFreshness(String declared, Duration expected)
    {
        assertThat(Freshness.parse(declared)).as(declared).contains(expected);
    }
}
