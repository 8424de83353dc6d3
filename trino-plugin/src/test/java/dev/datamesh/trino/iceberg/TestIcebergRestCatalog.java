package dev.datamesh.trino.iceberg;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.iceberg.testing.TestingIcebergRestCatalogServer;
import dev.datamesh.iceberg.testing.TestingIcebergRestCatalogServer.Authentication;
import dev.datamesh.trino.MeshQueryRunner;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.google.common.base.Preconditions.checkState;
import static dev.datamesh.iceberg.testing.IcebergTestTables.append;
import static dev.datamesh.iceberg.testing.IcebergTestTables.createTable;
import static dev.datamesh.iceberg.testing.IcebergTestTables.record;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.icebergTable;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Iceberg assets in REST catalogs the platform declares ({@code mesh.iceberg-catalog.<name>.*}): Iceberg's
 * own REST catalog server on loopback, reached with a bearer token from the server's environment or
 * an OAuth2 client credential, and what queries say when it refuses or is down. Descriptors name
 * the catalogs only.
 */
public class TestIcebergRestCatalog
        extends AbstractTestQueryFramework
{
    private static final String TOKEN = "token-6f1c";
    // set by the module's surefire configuration, as a deployment sets the catalog's secrets
    private static final String TOKEN_VARIABLE = "MESH_TEST_REST_TOKEN";
    private static final String CLIENT_SECRET = "secret-93ab";

    private TestingIcebergRestCatalogServer server;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        checkState(TOKEN.equals(System.getenv(TOKEN_VARIABLE)) && "logistics".equals(System.getenv("MESH_TEST_TENANT")),
                "run with %s=%s and MESH_TEST_TENANT=logistics in the environment (the module's surefire configuration sets them)", TOKEN_VARIABLE, TOKEN);
        server = closeAfterClass(new TestingIcebergRestCatalogServer(Authentication.bearerTokenOrClientCredential(TOKEN, "mesh-client", CLIENT_SECRET)));
        Schema schema = new Schema(required(1, "parcel_id", Types.LongType.get()), optional(2, "city", Types.StringType.get()));
        Table parcels = createTable(server.backingCatalog(), "logistics", "parcels", schema, PartitionSpec.builderFor(schema).identity("city").build(), ImmutableMap.of());
        append(parcels, record(schema, 1L, "Lyon"), record(schema, 2L, "Porto"), record(schema, 3L, "Lyon"));

        Path products = Files.createDirectories(temporaryDirectory("iceberg-rest").resolve("products"));
        dataProduct("parcels", "logistics", "logistics-team")
                .version("\"1\"")
                .icebergCatalog("parcels")
                .asset(
                        icebergTable("parcels_by_token", "logistics.parcels"),
                        icebergTable("parcels_by_credential", "logistics.parcels").catalog("parcels-oauth"),
                        icebergTable("parcels_wrong_token", "logistics.parcels").catalog("wrong-token"),
                        icebergTable("no_such_table", "logistics.nothing"))
                .writeTo(products.resolve("parcels.yaml"));
        String uri = server.uri().toString();
        return MeshQueryRunner.create(products, 0, ImmutableMap.<String, String>builder()
                .put("mesh.iceberg.metadata-cache-ttl", "0s")
                // the token from the server's environment: Trino substitutes it in the catalog's properties
                .put("mesh.iceberg-catalog.parcels.type", "rest")
                .put("mesh.iceberg-catalog.parcels.uri", uri)
                .put("mesh.iceberg-catalog.parcels.token", "${ENV:%s}".formatted(TOKEN_VARIABLE))
                .put("mesh.iceberg-catalog.parcels-oauth.type", "REST")
                .put("mesh.iceberg-catalog.parcels-oauth.uri", uri)
                .put("mesh.iceberg-catalog.parcels-oauth.credential", "mesh-client:" + CLIENT_SECRET)
                // any other Iceberg catalog property (header.* are headers of every request), from the environment too
                .put("mesh.iceberg-catalog.parcels-oauth.property.header.X-Mesh-Tenant", "${ENV:MESH_TEST_TENANT}")
                .put("mesh.iceberg-catalog.wrong-token.type", "rest")
                .put("mesh.iceberg-catalog.wrong-token.uri", uri)
                .put("mesh.iceberg-catalog.wrong-token.token", "not-the-token")
                .buildOrThrow());
    }

    @AfterAll
    public void restartServer()
    {
        if (!server.isRunning()) {
            server.start();
        }
    }

    @Test
    public void testReadThroughRestCatalog()
    {
        assertQuery("SELECT parcel_id, city FROM logistics.parcels_by_token", "VALUES (1, 'Lyon'), (2, 'Porto'), (3, 'Lyon')");
        assertQuery("SELECT parcel_id FROM logistics.parcels_by_credential WHERE city = 'Lyon'", "VALUES 1, 3");
        assertThat(server.meshHeaders()).contains("X-Mesh-Tenant: logistics");
        assertQuery("SELECT location FROM system.data_assets WHERE table_name = 'parcels_by_credential'",
                "VALUES 'table logistics.parcels in the rest catalog ''parcels-oauth'' at %s (mesh.iceberg-catalog.parcels-oauth)'".formatted(server.uri()));
    }

    @Test
    public void testRefusalsAndMissingTables()
    {
        assertQueryFails("SELECT * FROM logistics.parcels_wrong_token",
                "Cannot read asset 'parcels_wrong_token' of data product 'parcels' \\(domain logistics\\): cannot open the rest catalog 'wrong-token' at http://127.0.0.1:\\d+ \\(mesh.iceberg-catalog.wrong-token\\): .*");
        assertThatThrownBy(() -> computeActual("SELECT * FROM logistics.parcels_wrong_token")).hasMessageNotContaining("not-the-token");
        assertQueryFails("SELECT * FROM logistics.no_such_table",
                "Cannot read asset 'no_such_table' of data product 'parcels' \\(domain logistics\\): the table logistics.nothing in the rest catalog 'parcels' at http://127.0.0.1:\\d+ \\(mesh.iceberg-catalog.parcels\\) does not exist");
        assertQuery("SELECT count(*) FROM logistics.parcels_by_token", "VALUES 3");
    }

    @Test
    public void testCatalogDown()
    {
        server.stop();
        try {
            assertQueryFails("SELECT * FROM logistics.parcels_by_token",
                    "Cannot read asset 'parcels_by_token' of data product 'parcels' \\(domain logistics\\): cannot (open|load the table logistics.parcels in) the rest catalog 'parcels' at http://127.0.0.1:\\d+ \\(mesh.iceberg-catalog.parcels\\): .*Connection refused.*");
        }
        finally {
            server.start();
        }
        assertQuery("SELECT count(*) FROM logistics.parcels_by_token", "VALUES 3");
    }
}
