package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.airlift.log.Level;
import io.airlift.log.Logging;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.QueryRunner;

import java.nio.file.Path;
import java.util.Map;

import static io.trino.testing.TestingSession.testSessionBuilder;
import static java.util.Objects.requireNonNull;

/**
 * The query runner of the connector's tests: the mesh of a descriptors folder as catalog "mesh",
 * the session's catalog, with schema customer_service unless the test names another.
 */
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
        return builder(descriptorsDirectory)
                .setWorkerCount(workerCount)
                .addCatalogProperties(catalogProperties)
                .build();
    }

    /**
     * A query runner of two workers, as Trino's builder makes it, until the test sets another
     * count, with the mesh of the folder.
     */
    public static Builder builder(Path descriptorsDirectory)
    {
        return new Builder(descriptorsDirectory);
    }

    /**
     * One more catalog of the connector on the same descriptors, with properties of its own, in a
     * query runner that has the plugin.
     */
    public static void createCatalog(QueryRunner queryRunner, String catalog, Path descriptorsDirectory, Map<String, String> catalogProperties)
    {
        queryRunner.createCatalog(catalog, MeshConnectorFactory.CONNECTOR_NAME, ImmutableMap.<String, String>builder()
                .put("mesh.descriptors.directory", descriptorsDirectory.toString())
                .putAll(catalogProperties)
                .buildOrThrow());
    }

    /**
     * Iceberg and Delta Kernel report every scan and commit at INFO: the tests, and the sample
     * writers before them, log at WARN from these libraries.
     */
    public static void quietLogging()
    {
        Logging logging = Logging.initialize();
        logging.setLevel("org.apache.iceberg", Level.WARN);
        logging.setLevel("io.delta.kernel", Level.WARN);
    }

    /**
     * What the test sets up in the query runner before the mesh catalog is created, such as the
     * catalogs whose tables the mesh publishes.
     */
    public interface SetUp
    {
        void accept(QueryRunner queryRunner)
                throws Exception;
    }

    public static final class Builder
            extends DistributedQueryRunner.Builder<Builder>
    {
        private final Path descriptorsDirectory;
        private final ImmutableMap.Builder<String, String> catalogProperties = ImmutableMap.builder();
        private MeshPlugin plugin = new MeshPlugin();
        private SetUp setUp = _ -> {};

        private Builder(Path descriptorsDirectory)
        {
            super(testSessionBuilder()
                    .setCatalog(CATALOG)
                    .setSchema("customer_service")
                    .build());
            this.descriptorsDirectory = requireNonNull(descriptorsDirectory, "descriptorsDirectory is null");
        }

        /**
         * The schema of the session, the default being customer_service.
         */
        public Builder setSchema(String schema)
        {
            return amendSession(session -> session.setSchema(schema));
        }

        public Builder addCatalogProperty(String name, String value)
        {
            catalogProperties.put(name, value);
            return this;
        }

        public Builder addCatalogProperties(Map<String, String> properties)
        {
            catalogProperties.putAll(properties);
            return this;
        }

        /**
         * The plugin instance to install, when the test holds on to what it made (the access
         * control of {@link MeshPlugin#getSystemAccessControlFactories()}).
         */
        public Builder setPlugin(MeshPlugin plugin)
        {
            this.plugin = requireNonNull(plugin, "plugin is null");
            return this;
        }

        public Builder setUp(SetUp setUp)
        {
            this.setUp = requireNonNull(setUp, "setUp is null");
            return this;
        }

        @Override
        public DistributedQueryRunner build()
                throws Exception
        {
            quietLogging();
            DistributedQueryRunner queryRunner = super.build();
            try {
                setUp.accept(queryRunner);
                queryRunner.installPlugin(plugin);
                createCatalog(queryRunner, CATALOG, descriptorsDirectory, catalogProperties.buildOrThrow());
                return queryRunner;
            }
            catch (Throwable e) {
                queryRunner.close();
                throw e;
            }
        }
    }
}
