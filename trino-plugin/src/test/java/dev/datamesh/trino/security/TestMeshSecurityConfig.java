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

final class TestMeshSecurityConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(MeshSecurityConfig.class)
                .setRolesFile(null)
                .setPoliciesDirectory(null)
                .setMeshCatalogs("mesh")
                .setOtherCatalogs(MeshSecurityConfig.OtherCatalogs.ALLOW)
                .setRefreshPeriod(new Duration(5, SECONDS))
                .setStatisticsRoles(""));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("mesh.security.roles-file", "/srv/mesh/roles.yaml")
                .put("mesh.security.policies-directory", "/srv/mesh/policies")
                .put("mesh.security.catalogs", "mesh, mesh_eu")
                .put("mesh.security.other-catalogs", "READ_ONLY")
                .put("mesh.security.refresh-period", "1m")
                .put("mesh.security.statistics-roles", "mesh-admin, data-platform")
                .buildOrThrow();

        MeshSecurityConfig expected = new MeshSecurityConfig()
                .setRolesFile(Path.of("/srv/mesh/roles.yaml"))
                .setPoliciesDirectory(Path.of("/srv/mesh/policies"))
                .setMeshCatalogs("mesh,mesh_eu")
                .setOtherCatalogs(MeshSecurityConfig.OtherCatalogs.READ_ONLY)
                .setRefreshPeriod(new Duration(1, MINUTES))
                .setStatisticsRoles("mesh-admin,data-platform");

        assertFullMapping(properties, expected);
    }
}
