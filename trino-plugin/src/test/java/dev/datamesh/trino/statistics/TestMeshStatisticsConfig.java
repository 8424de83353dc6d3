package dev.datamesh.trino.statistics;

import com.google.common.collect.ImmutableMap;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;

final class TestMeshStatisticsConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(MeshStatisticsConfig.class)
                .setLocation(null)
                .setStorageProfile(null));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("mesh.statistics.location", "s3://platform/mesh-statistics")
                .put("mesh.statistics.storage-profile", "platform")
                .buildOrThrow();

        MeshStatisticsConfig expected = new MeshStatisticsConfig()
                .setLocation("s3://platform/mesh-statistics")
                .setStorageProfile("platform");

        assertFullMapping(properties, expected);
    }
}
