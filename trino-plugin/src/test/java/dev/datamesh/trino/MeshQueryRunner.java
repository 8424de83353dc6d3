package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.trino.Session;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.QueryRunner;

import java.nio.file.Path;

import static io.trino.testing.TestingSession.testSessionBuilder;

public final class MeshQueryRunner
{
    public static final String CATALOG = "mesh";

    private MeshQueryRunner() {}

    public static QueryRunner create(Path descriptorsDirectory, int workerCount)
            throws Exception
    {
        Session session = testSessionBuilder()
                .setCatalog(CATALOG)
                .setSchema("customer_service")
                .build();
        QueryRunner queryRunner = DistributedQueryRunner.builder(session)
                .setWorkerCount(workerCount)
                .build();
        try {
            queryRunner.installPlugin(new MeshPlugin());
            queryRunner.createCatalog(CATALOG, MeshConnectorFactory.CONNECTOR_NAME, ImmutableMap.of(
                    "mesh.descriptors.directory", descriptorsDirectory.toString()));
            return queryRunner;
        }
        catch (Throwable e) {
            queryRunner.close();
            throw e;
        }
    }
}
