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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static io.trino.plugin.base.Versions.checkStrictSpiVersionMatch;
import static java.util.Objects.requireNonNull;

public class MeshConnectorFactory
        implements ConnectorFactory
{
    public static final String CONNECTOR_NAME = "data_mesh";
    private static final Pattern STORAGE_PROFILE_PROPERTY = Pattern.compile(Pattern.quote(MeshStorage.PROFILE_PREFIX) + "([^.]+)\\..+");

    private final PublishedRegistries registries;
    private final RowFilteredTables rowFilteredTables;

    public MeshConnectorFactory(PublishedRegistries registries, RowFilteredTables rowFilteredTables)
    {
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
                new MeshModule(storageProfiles(config)),
                new CatalogNameModule(catalogName),
                binder -> {
                    binder.bind(PublishedRegistries.class).toInstance(registries);
                    binder.bind(RowFilteredTables.class).toInstance(rowFilteredTables);
                    binder.bind(TypeManager.class).toInstance(context.getTypeManager());
                    binder.bind(NodeManager.class).toInstance(context.getNodeManager());
                    binder.bind(OpenTelemetry.class).toInstance(context.getOpenTelemetry());
                });
        Injector injector = app
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(config)
                .initialize();
        // governance runs on the coordinator, where queries are planned
        if (context.getNodeManager().getCurrentNode().isCoordinator()) {
            registries.publish(catalogName, injector.getInstance(MeshRegistrySource.class));
        }
        return injector.getInstance(MeshConnector.class);
    }

    private static Set<String> storageProfiles(Map<String, String> config)
    {
        return config.keySet().stream()
                .map(STORAGE_PROFILE_PROPERTY::matcher)
                .filter(Matcher::matches)
                .map(matcher -> matcher.group(1))
                .collect(toImmutableSet());
    }
}
