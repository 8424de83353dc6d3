package dev.datamesh.trino.audit;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.DataSize;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.units.DataSize.Unit.MEGABYTE;

final class TestMeshAuditConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(MeshAuditConfig.class)
                .setEnabled(true)
                .setFile(Path.of("var/log/mesh-audit.json"))
                .setMaxFileSize(DataSize.of(100, MEGABYTE))
                .setMaxHistory(10));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.of(
                "mesh.audit.enabled", "false",
                "mesh.audit.file", "/var/log/trino/audit.json",
                "mesh.audit.max-file-size", "10MB",
                "mesh.audit.max-history", "3");

        MeshAuditConfig expected = new MeshAuditConfig()
                .setEnabled(false)
                .setFile(Path.of("/var/log/trino/audit.json"))
                .setMaxFileSize(DataSize.of(10, MEGABYTE))
                .setMaxHistory(3);

        assertFullMapping(properties, expected);
    }
}
