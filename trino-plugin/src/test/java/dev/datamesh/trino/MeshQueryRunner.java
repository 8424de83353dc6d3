package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.airlift.log.Level;
import io.airlift.log.Logging;
import io.trino.Session;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.QueryRunner;

import java.nio.file.Path;
import java.util.Map;

import static io.trino.testing.TestingSession.testSessionBuilder;

public final class MeshQueryRunner
{
    public static final String CATALOG = "mesh";

    private MeshQueryRunner() {}

    public static QueryRunner create(Path descriptorsDirectory, int workerCount)
            throws Exception
    {
        return create(descriptorsDirectory, workerCount, ImmutableMap.of());
    }

    public static QueryRunner create(Path descriptorsDirectory, int workerCount, Map<String, String> catalogProperties)
            throws Exception
    {
        // Iceberg and Delta Kernel report every scan and commit at INFO
        Logging.initialize().setLevel("org.apache.iceberg", Level.WARN);
        Logging.initialize().setLevel("io.delta.kernel", Level.WARN);
        Session session = testSessionBuilder()
                .setCatalog(CATALOG)
                .setSchema("customer_service")
                .build();
        QueryRunner queryRunner = DistributedQueryRunner.builder(session)
                .setWorkerCount(workerCount)
                .build();
        try {
            queryRunner.installPlugin(new MeshPlugin());
            queryRunner.createCatalog(CATALOG, MeshConnectorFactory.CONNECTOR_NAME, ImmutableMap.<String, String>builder()
                    .put("mesh.descriptors.directory", descriptorsDirectory.toString())
                    .putAll(catalogProperties)
                    .buildOrThrow());
            return queryRunner;
        }
        catch (Throwable e) {
            queryRunner.close();
            throw e;
        }
    }
}
