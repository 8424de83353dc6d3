package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.DataSize;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.units.DataSize.Unit.MEGABYTE;

final class TestMeshConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(MeshConfig.class)
                .setDescriptorsDirectory(null)
                .setMaxSplitSize(DataSize.of(64, MEGABYTE)));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("mesh.descriptors.directory", "/srv/mesh/products")
                .put("mesh.max-split-size", "16MB")
                .buildOrThrow();

        MeshConfig expected = new MeshConfig()
                .setDescriptorsDirectory(Path.of("/srv/mesh/products"))
                .setMaxSplitSize(DataSize.of(16, MEGABYTE));

        assertFullMapping(properties, expected);
    }
}
