package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static org.assertj.core.api.Assertions.assertThat;

final class TestMeshIcebergCatalogConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(MeshIcebergCatalogConfig.class)
                .setType(null)
                .setUri(null)
                .setWarehouse(null)
                .setCatalogName(null)
                .setCredential(null)
                .setToken(null));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("type", "REST")
                .put("uri", "https://catalog.example.com/api/catalog")
                .put("warehouse", "analytics")
                .put("catalog-name", "polaris")
                .put("credential", "mesh-client:secret")
                .put("token", "bearer-token")
                .buildOrThrow();

        MeshIcebergCatalogConfig expected = new MeshIcebergCatalogConfig()
                .setType(IcebergCatalogDescriptor.Type.REST)
                .setUri("https://catalog.example.com/api/catalog")
                .setWarehouse("analytics")
                .setCatalogName("polaris")
                .setCredential("mesh-client:secret")
                .setToken("bearer-token");

        assertFullMapping(properties, expected);
    }

    @Test
    void testCredentialsAreForRestCatalogs()
    {
        assertThat(new MeshIcebergCatalogConfig().setType(IcebergCatalogDescriptor.Type.REST).setToken("t").isAuthenticationForRest()).isTrue();
        assertThat(new MeshIcebergCatalogConfig().setType(IcebergCatalogDescriptor.Type.JDBC).isAuthenticationForRest()).isTrue();
        assertThat(new MeshIcebergCatalogConfig().setType(IcebergCatalogDescriptor.Type.JDBC).setToken("t").isAuthenticationForRest()).isFalse();
        assertThat(new MeshIcebergCatalogConfig().setType(IcebergCatalogDescriptor.Type.JDBC).setCredential("c:s").isAuthenticationForRest()).isFalse();
    }
}
