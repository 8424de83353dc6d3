package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.Duration;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestMeshGroupsConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(MeshGroupsConfig.class)
                .setGroupsFile(null)
                .setRefreshPeriod(new Duration(5, SECONDS)));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.of(
                "mesh.groups.file", "/srv/mesh/groups.txt",
                "mesh.groups.refresh-period", "2m");

        MeshGroupsConfig expected = new MeshGroupsConfig()
                .setGroupsFile(Path.of("/srv/mesh/groups.txt"))
                .setRefreshPeriod(new Duration(2, MINUTES));

        assertFullMapping(properties, expected);
    }
}
