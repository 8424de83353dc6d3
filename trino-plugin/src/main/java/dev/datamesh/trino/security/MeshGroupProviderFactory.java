package dev.datamesh.trino.security;

import com.google.inject.Injector;
import io.airlift.bootstrap.Bootstrap;
import io.trino.spi.security.GroupProvider;
import io.trino.spi.security.GroupProviderFactory;

import java.util.Map;

import static io.airlift.configuration.ConfigBinder.configBinder;

/**
 * Groups from a file, named {@code data_mesh} in etc/group-provider.properties, so that the
 * embedded mesh needs no directory service.
 */
public class MeshGroupProviderFactory
        implements GroupProviderFactory
{
    public static final String NAME = "data_mesh";

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public GroupProvider create(Map<String, String> config)
    {
        Bootstrap app = new Bootstrap(binder -> configBinder(binder).bindConfig(MeshGroupsConfig.class));
        Injector injector = app
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(config)
                .initialize();
        return new MeshGroupProvider(injector.getInstance(MeshGroupsConfig.class));
    }
}
