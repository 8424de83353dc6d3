package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;
import dev.datamesh.trino.security.MeshAccessControlFactory;
import dev.datamesh.trino.security.MeshGroupProviderFactory;
import io.trino.spi.Plugin;
import io.trino.spi.connector.ConnectorFactory;
import io.trino.spi.security.GroupProviderFactory;
import io.trino.spi.security.SystemAccessControlFactory;

public class MeshPlugin
        implements Plugin
{
    private final MeshPluginState state = new MeshPluginState();

    @Override
    public Iterable<ConnectorFactory> getConnectorFactories()
    {
        return ImmutableList.of(new MeshConnectorFactory(state));
    }

    @Override
    public Iterable<SystemAccessControlFactory> getSystemAccessControlFactories()
    {
        return ImmutableList.of(new MeshAccessControlFactory(state));
    }

    @Override
    public Iterable<GroupProviderFactory> getGroupProviderFactories()
    {
        return ImmutableList.of(new MeshGroupProviderFactory());
    }
}
