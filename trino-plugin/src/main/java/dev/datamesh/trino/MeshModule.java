package dev.datamesh.trino;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.IcebergTables;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;

import static io.airlift.configuration.ConfigBinder.configBinder;

public class MeshModule
        implements Module
{
    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(MeshConfig.class);
        binder.bind(TrinoFileSystemFactory.class).to(MeshFileSystemFactory.class).in(Scopes.SINGLETON);
        binder.bind(MeshTableResolver.class).in(Scopes.SINGLETON);
        binder.bind(MeshSplitManager.class).in(Scopes.SINGLETON);
        binder.bind(MeshPageSourceProvider.class).in(Scopes.SINGLETON);
        binder.bind(MeshConnector.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    public static IcebergCatalogs icebergCatalogs(TrinoFileSystemFactory fileSystemFactory)
    {
        return IcebergCatalogs.forReading(fileSystemFactory.create(ConnectorIdentity.ofUser("data-mesh")));
    }

    @Provides
    @Singleton
    public static IcebergTables icebergTables(TrinoFileSystemFactory fileSystemFactory, IcebergCatalogs catalogs, MeshConfig config)
    {
        return new IcebergTables(
                fileSystemFactory.create(ConnectorIdentity.ofUser("data-mesh")),
                catalogs,
                java.time.Duration.ofMillis(config.getIcebergMetadataCacheTtl().toMillis()));
    }

    @Provides
    @Singleton
    public static MeshRegistry loadRegistry(MeshConfig config, TrinoFileSystemFactory fileSystemFactory)
    {
        // the registry only checks that locations exist; reading the data is done as the querying user
        return new MeshRegistryLoader(config.getDescriptorsDirectory(), fileSystemFactory.create(ConnectorIdentity.ofUser("data-mesh"))).load();
    }
}
