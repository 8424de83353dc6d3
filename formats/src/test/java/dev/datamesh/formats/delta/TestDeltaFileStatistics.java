package dev.datamesh.formats.delta;

import com.google.common.collect.ImmutableMap;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

final class TestDeltaFileStatistics
{
    @Test
    void testKeyedBySqlName()
    {
        DeltaFileStatistics statistics = DeltaFileStatistics.parse("""
                {"numRecords": 3, "minValues": {"IntegerType": 1, "name": "a"}, "maxValues": {"IntegerType": 9, "name": "z"}, "nullCount": {"IntegerType": 0, "name": 1}}""",
                ImmutableMap.of()).orElseThrow();
        assertThat(statistics.numRecords()).isEqualTo(3);
        assertThat(statistics.minValues().get("integertype").asLong()).isEqualTo(1);
        assertThat(statistics.maxValues().get("integertype").asLong()).isEqualTo(9);
        assertThat(statistics.nullCount("integertype")).isEqualTo(OptionalLong.of(0));
        assertThat(statistics.nullCount("name")).isEqualTo(OptionalLong.of(1));
        assertThat(statistics.minValues()).doesNotContainKey("IntegerType");
    }

    @Test
    void testPhysicalNamesUnderColumnMapping()
    {
        DeltaFileStatistics statistics = DeltaFileStatistics.parse("""
                {"numRecords": 2, "minValues": {"col-1": 5}, "maxValues": {"col-1": 7}, "nullCount": {"col-1": 1}}""",
                ImmutableMap.of("col-1", "LongType")).orElseThrow();
        assertThat(statistics.minValues().get("longtype").asLong()).isEqualTo(5);
        assertThat(statistics.maxValues().get("longtype").asLong()).isEqualTo(7);
        assertThat(statistics.nullCount("longtype")).isEqualTo(OptionalLong.of(1));
    }

    @Test
    void testUnreadableStatisticsAreNone()
    {
        assertThat(DeltaFileStatistics.parse("{\"minValues\": {}}", ImmutableMap.of())).isEmpty();
        assertThat(DeltaFileStatistics.parse("not json", ImmutableMap.of())).isEmpty();
        assertThat(DeltaFileStatistics.parse("", ImmutableMap.of())).isEmpty();
    }
}
