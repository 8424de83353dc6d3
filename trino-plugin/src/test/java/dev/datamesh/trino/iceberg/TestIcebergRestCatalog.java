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

import static dev.datamesh.iceberg.testing.IcebergTestTables.append;
import static dev.datamesh.iceberg.testing.IcebergTestTables.createTable;
import static dev.datamesh.iceberg.testing.IcebergTestTables.record;
import static dev.datamesh.trino.SampleMeshDirectory.temporaryDirectory;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Iceberg assets in a REST catalog: Iceberg's own REST catalog server on loopback, reached with a
 * bearer token or an OAuth2 client credential, and what queries say when it refuses or is down.
 */
public class TestIcebergRestCatalog
        extends AbstractTestQueryFramework
{
    private static final String TOKEN = "token-6f1c";
    private static final String CLIENT_SECRET = "secret-93ab";

    private TestingIcebergRestCatalogServer server;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        server = closeAfterClass(new TestingIcebergRestCatalogServer(Authentication.bearerTokenOrClientCredential(TOKEN, "mesh-client", CLIENT_SECRET)));
        Schema schema = new Schema(required(1, "parcel_id", Types.LongType.get()), optional(2, "city", Types.StringType.get()));
        Table parcels = createTable(server.backingCatalog(), "logistics", "parcels", schema, PartitionSpec.builderFor(schema).identity("city").build(), ImmutableMap.of());
        append(parcels, record(schema, 1L, "Lyon"), record(schema, 2L, "Porto"), record(schema, 3L, "Lyon"));

        Path products = Files.createDirectories(temporaryDirectory("iceberg-rest").resolve("products"));
        Files.writeString(products.resolve("parcels.yaml"), """
                name: parcels
                domain: logistics
                owner: logistics-team
                version: "1"
                data_assets:
                  - name: parcels_by_token
                    format: iceberg
                    table: logistics.parcels
                    catalog: {type: rest, uri: "%1$s", token: %2$s}
                  - name: parcels_by_credential
                    format: iceberg
                    table: logistics.parcels
                    catalog: {type: rest, uri: "%1$s", credential: "mesh-client:%3$s"}
                  - name: parcels_wrong_token
                    format: iceberg
                    table: logistics.parcels
                    catalog: {type: rest, uri: "%1$s", token: not-the-token}
                  - name: no_such_table
                    format: iceberg
                    table: logistics.nothing
                    catalog: {type: rest, uri: "%1$s", token: %2$s}
                """.formatted(server.uri(), TOKEN, CLIENT_SECRET));
        return MeshQueryRunner.create(products, 0, ImmutableMap.of("mesh.iceberg.metadata-cache-ttl", "0s"));
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
    }

    @Test
    public void testRefusalsAndMissingTables()
    {
        assertQueryFails("SELECT * FROM logistics.parcels_wrong_token",
                "Cannot read asset 'parcels_wrong_token' of data product 'parcels' \\(domain logistics\\): cannot open the rest catalog 'mesh' at http://127.0.0.1:\\d+ \\(.*parcels.yaml:\\d+:\\d+\\): .*");
        assertThatThrownBy(() -> computeActual("SELECT * FROM logistics.parcels_wrong_token")).hasMessageNotContaining("not-the-token");
        assertQueryFails("SELECT * FROM logistics.no_such_table",
                "Cannot read asset 'no_such_table' of data product 'parcels' \\(domain logistics\\): the table logistics.nothing in the rest catalog 'mesh' at http://127.0.0.1:\\d+ \\(.*\\) does not exist");
        assertQuery("SELECT count(*) FROM logistics.parcels_by_token", "VALUES 3");
    }

    @Test
    public void testCatalogDown()
    {
        server.stop();
        try {
            assertQueryFails("SELECT * FROM logistics.parcels_by_token",
                    "Cannot read asset 'parcels_by_token' of data product 'parcels' \\(domain logistics\\): cannot (open|load the table logistics.parcels in) the rest catalog 'mesh' at http://127.0.0.1:\\d+ \\(.*\\): .*Connection refused.*");
        }
        finally {
            server.start();
        }
        assertQuery("SELECT count(*) FROM logistics.parcels_by_token", "VALUES 3");
    }
}
