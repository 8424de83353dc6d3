package dev.datamesh.trino;

import com.google.inject.Injector;
import io.airlift.bootstrap.Bootstrap;
import io.opentelemetry.api.OpenTelemetry;
import io.trino.plugin.base.CatalogNameModule;
import io.trino.spi.NodeManager;
import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorContext;
import io.trino.spi.connector.ConnectorFactory;
import io.trino.spi.type.TypeManager;

import java.util.Map;

import static io.trino.plugin.base.Versions.checkStrictSpiVersionMatch;
import static java.util.Objects.requireNonNull;

public class MeshConnectorFactory
        implements ConnectorFactory
{
    public static final String CONNECTOR_NAME = "data_mesh";

    private final MeshPluginState state;

    public MeshConnectorFactory(MeshPluginState state)
    {
        this.state = requireNonNull(state, "state is null");
    }

    @Override
    public String getName()
    {
        return CONNECTOR_NAME;
    }

    @Override
    public Connector create(String catalogName, Map<String, String> config, ConnectorContext context)
    {
        checkStrictSpiVersionMatch(context, this);
        Bootstrap app = new Bootstrap(
                new MeshModule(),
                new MeshStorageModule(MeshStorageModule.storageProfiles(config)),
                MeshIcebergCatalogModule.fromCatalogProperties(config),
                new CatalogNameModule(catalogName),
                state.module(),
                binder -> {
                    binder.bind(TypeManager.class).toInstance(context.getTypeManager());
                    binder.bind(NodeManager.class).toInstance(context.getNodeManager());
                    binder.bind(OpenTelemetry.class).toInstance(context.getOpenTelemetry());
                });
        Injector injector = app
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(MeshIcebergCatalogModule.boundProperties(config))
                .initialize();
        // queries are planned and governed on the coordinator: it reads the descriptors (and the domains file)
        // now, so that one it cannot read stops the catalog at start; a worker reads neither, only the data
        // files its splits name, with the table handle the coordinator resolved
        if (context.getNodeManager().getCurrentNode().isCoordinator()) {
            MeshRegistrySource registrySource = injector.getInstance(MeshRegistrySource.class);
            registrySource.load();
            state.registries().publish(catalogName, registrySource);
        }
        return injector.getInstance(MeshConnector.class);
    }
}
