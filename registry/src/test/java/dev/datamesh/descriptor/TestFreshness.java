package dev.datamesh.descriptor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

final class TestFreshness
{
    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({
            // a number and a unit
            "1 hour, PT1H",
            "4 hours, PT4H",
            "30m, PT30M",
            "30 min, PT30M",
            "45 secs, PT45S",
            "2 hrs, PT2H",
            "1 Day, P1D",
            "2w, P14D",
            "' 1 week ', P7D",
            // decimals and compound durations
            "1.5 hours, PT90M",
            "0.5d, PT12H",
            "1h30m, PT90M",
            "1 hour 30 minutes, PT90M",
            "1d 12h, PT36H",
            // ISO durations and words
            "PT1H, PT1H",
            "pt30m, PT30M",
            "P1D, P1D",
            "P1DT12H, PT36H",
            "P2W, P14D",
            "hourly, PT1H",
            "Daily, P1D",
            "weekly, P7D",
    })
    void testReadable(String declared, Duration expected)
    {
        assertThat(Freshness.parse(declared)).contains(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "soon", "1", "hour", "1 month", "P1M", "P1Y", "1 mo", "1 hours ago", "0 minutes", "PT0S", "-PT1H", "1,5 hours", "1 business day", "1h30", "every hour"})
    void testUnreadable(String declared)
    {
        assertThat(Freshness.parse(declared)).isEmpty();
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
}
