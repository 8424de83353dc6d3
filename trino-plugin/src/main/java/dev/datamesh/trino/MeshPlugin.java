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
    private final PublishedRegistries registries = new PublishedRegistries();
    private final RowFilteredTables rowFilteredTables = new RowFilteredTables();
    private final ReadGate readGate = new ReadGate();

    @Override
    public Iterable<ConnectorFactory> getConnectorFactories()
    {
        return ImmutableList.of(new MeshConnectorFactory(registries, rowFilteredTables, readGate));
    }

    @Override
    public Iterable<SystemAccessControlFactory> getSystemAccessControlFactories()
    {
        return ImmutableList.of(new MeshAccessControlFactory(registries, rowFilteredTables, readGate));
    }

    @Override
    public Iterable<GroupProviderFactory> getGroupProviderFactories()
    {
        return ImmutableList.of(new MeshGroupProviderFactory());
    }
}
