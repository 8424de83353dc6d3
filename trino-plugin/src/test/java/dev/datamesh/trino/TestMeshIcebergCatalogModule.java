package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import com.google.inject.Injector;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import io.airlift.bootstrap.Bootstrap;
import io.airlift.bootstrap.LifeCycleManager;
import io.trino.spi.TrinoException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestMeshIcebergCatalogModule
{
    @Test
    void testEachCatalogGetsItsOwnProperties()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("mesh.descriptors.directory", "/srv/mesh/products")
                .put("mesh.iceberg-catalog.sales.type", "rest")
                .put("mesh.iceberg-catalog.sales.uri", "https://catalog.example.com/api/catalog")
                .put("mesh.iceberg-catalog.sales.warehouse", "analytics")
                .put("mesh.iceberg-catalog.sales.credential", "mesh-client:secret")
                .put("mesh.iceberg-catalog.sales.property.scope", "PRINCIPAL_ROLE:reader")
                .put("mesh.iceberg-catalog.sales.property.oauth2-server-uri", "https://catalog.example.com/api/catalog/v1/oauth/tokens")
                .put("mesh.iceberg-catalog.lake_2.type", "jdbc")
                .put("mesh.iceberg-catalog.lake_2.uri", "jdbc:postgresql://db.internal:5432/iceberg")
                .put("mesh.iceberg-catalog.lake_2.catalog-name", "lake")
                .put("mesh.iceberg-catalog.lake_2.property.jdbc.user", "iceberg")
                .put("mesh.iceberg-catalog.lake_2.property.jdbc.password", "database-secret")
                .buildOrThrow();

        Map<String, IcebergCatalogDescriptor> catalogs = declaredCatalogs(properties);

        assertThat(catalogs).containsOnlyKeys("sales", "lake_2");
        assertThat(catalogs.get("sales")).isEqualTo(new IcebergCatalogDescriptor(
                IcebergCatalogDescriptor.Type.REST,
                "sales",
                Optional.of("https://catalog.example.com/api/catalog"),
                Optional.of("analytics"),
                Optional.of("mesh-client:secret"),
                Optional.empty(),
                ImmutableMap.of("scope", "PRINCIPAL_ROLE:reader", "oauth2-server-uri", "https://catalog.example.com/api/catalog/v1/oauth/tokens"),
                "mesh.iceberg-catalog.sales"));
        assertThat(catalogs.get("lake_2")).isEqualTo(new IcebergCatalogDescriptor(
                IcebergCatalogDescriptor.Type.JDBC,
                "lake",
                Optional.of("jdbc:postgresql://db.internal:5432/iceberg"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                ImmutableMap.of("jdbc.user", "iceberg", "jdbc.password", "database-secret"),
                "mesh.iceberg-catalog.lake_2"));
        // messages name a catalog by where the platform declares it, never with its secrets
        assertThat(catalogs.get("sales")).hasToString("rest catalog 'sales' at https://catalog.example.com/api/catalog (mesh.iceberg-catalog.sales)");
        assertThat(catalogs.get("lake_2").toString()).doesNotContain("database-secret");

        assertThat(declaredCatalogs(ImmutableMap.of("mesh.descriptors.directory", "/srv/mesh/products"))).isEmpty();
    }

    @Test
    void testManualExamplesAreCatalogProperties()
    {
        Map<String, String> examples = DocPages.propertiesBlocks("docs/storage.md", name -> name.startsWith(MeshIcebergCatalogModule.PREFIX));
        // a '#' after a value is part of the value in a properties file
        assertThat(examples).allSatisfy((name, value) -> assertThat(value).doesNotContain("#"));

        Map<String, IcebergCatalogDescriptor> catalogs = declaredCatalogs(examples);
        assertThat(catalogs).containsKeys("sales", "ops");
        assertThat(catalogs.get("sales").credential()).contains("from-the-environment");
        assertThat(catalogs.get("sales").properties()).containsKey("scope");
    }

    @Test
    void testPropertyDeclaringNoCatalogIsRefused()
    {
        for (String property : new String[] {"mesh.iceberg-catalog.sales.tokn", "mesh.iceberg-catalog.Sales.uri", "mesh.iceberg-catalog.sales", "mesh.iceberg-catalog..uri",
                "mesh.iceberg-catalog.sales.property.", "mesh.iceberg-catalog.sales.properties.scope", "mesh.iceberg-catalog.sales.s3.endpoint"}) {
            assertThatThrownBy(() -> MeshIcebergCatalogModule.fromCatalogProperties(ImmutableMap.of(property, "x")))
                    .isInstanceOf(TrinoException.class)
                    .hasMessage(("Catalog property '%s' declares no Iceberg catalog: write mesh.iceberg-catalog.<name>.<property>, with a property among type, uri, warehouse, catalog-name, credential, token, " +
                            "or property.<key> for any other Iceberg catalog property, and a name of lowercase letters, digits, '-' and '_', as descriptors give it in iceberg_catalog: or catalog:").formatted(property));
        }
        // an Iceberg property that has a property of its own
        assertThatThrownBy(() -> MeshIcebergCatalogModule.fromCatalogProperties(ImmutableMap.of("mesh.iceberg-catalog.sales.property.token", "x")))
                .isInstanceOf(TrinoException.class)
                .hasMessage("Catalog property 'mesh.iceberg-catalog.sales.property.token' sets the Iceberg property 'token', which has its own: write mesh.iceberg-catalog.sales.token");
    }

    @Test
    void testIncompleteCatalogsAreRefused()
    {
        assertThatThrownBy(() -> declaredCatalogs(ImmutableMap.of("mesh.iceberg-catalog.sales.uri", "https://catalog.example.com/api/catalog")))
                .hasMessageContaining("Invalid configuration property mesh.iceberg-catalog.sales.type: must not be null");
        assertThatThrownBy(() -> declaredCatalogs(ImmutableMap.of("mesh.iceberg-catalog.sales.type", "rest", "mesh.iceberg-catalog.sales.property.scope", "reader")))
                .hasMessageContaining("Invalid configuration property mesh.iceberg-catalog.sales.uri: must not be null");
        assertThatThrownBy(() -> declaredCatalogs(ImmutableMap.of("mesh.iceberg-catalog.sales.type", "graph", "mesh.iceberg-catalog.sales.uri", "x")))
                .hasMessageContaining("mesh.iceberg-catalog.sales.type");
        assertThatThrownBy(() -> declaredCatalogs(ImmutableMap.of("mesh.iceberg-catalog.lake.type", "jdbc", "mesh.iceberg-catalog.lake.uri", "jdbc:postgresql://db/iceberg", "mesh.iceberg-catalog.lake.token", "t")))
                .hasMessageContaining("credential and token are for rest catalogs; a jdbc catalog takes its database user and password as property.jdbc.user and property.jdbc.password");
    }

    /**
     * The catalogs as the connector binds them: the module from the properties, airlift given all but the free Iceberg properties.
     */
    private static Map<String, IcebergCatalogDescriptor> declaredCatalogs(Map<String, String> properties)
    {
        Map<String, String> bound = new HashMap<>(MeshIcebergCatalogModule.boundProperties(properties));
        bound.remove("mesh.descriptors.directory");
        Injector injector = new Bootstrap(MeshIcebergCatalogModule.fromCatalogProperties(properties))
                .doNotInitializeLogging()
                .quiet()
                .setRequiredConfigurationProperties(bound)
                .initialize();
        try {
            return injector.getInstance(DeclaredIcebergCatalogs.class).catalogs();
        }
        finally {
            injector.getInstance(LifeCycleManager.class).stop();
        }
    }
}
