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

    private final PublishedRegistries registries;
    private final RowFilteredTables rowFilteredTables;
    private final ReadGate readGate;

    public MeshConnectorFactory(PublishedRegistries registries, RowFilteredTables rowFilteredTables, ReadGate readGate)
    {
        this.readGate = requireNonNull(readGate, "readGate is null");
        this.registries = requireNonNull(registries, "registries is null");
        this.rowFilteredTables = requireNonNull(rowFilteredTables, "rowFilteredTables is null");
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
                binder -> {
                    binder.bind(PublishedRegistries.class).toInstance(registries);
                    binder.bind(RowFilteredTables.class).toInstance(rowFilteredTables);
                    binder.bind(ReadGate.class).toInstance(readGate);
                    binder.bind(TypeManager.class).toInstance(context.getTypeManager());
                    binder.bind(NodeManager.class).toInstance(context.getNodeManager());
                    binder.bind(OpenTelemetry.class).toInstance(context.getOpenTelemetry());
                });
        Injector injector = app
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(MeshIcebergCatalogModule.boundProperties(config))
                .initialize();
        // governance runs on the coordinator, where queries are planned
        if (context.getNodeManager().getCurrentNode().isCoordinator()) {
            registries.publish(catalogName, injector.getInstance(MeshRegistrySource.class));
        }
        return injector.getInstance(MeshConnector.class);
    }
}
