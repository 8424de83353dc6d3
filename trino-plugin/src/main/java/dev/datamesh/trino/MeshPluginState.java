package dev.datamesh.trino;

import com.google.inject.Module;

import static java.util.Objects.requireNonNull;

/**
 * What a plugin's connectors and its access control share: Trino creates them through separate
 * factories, yet governance must decide over the registry a catalog serves, and the connector
 * must know which tables a query reads under row filters and what the access control lets a
 * user read. One per plugin instance.
 */
public record MeshPluginState(PublishedRegistries registries, RowFilteredTables rowFilteredTables, ReadGate readGate)
{
    public MeshPluginState
    {
        requireNonNull(registries, "registries is null");
        requireNonNull(rowFilteredTables, "rowFilteredTables is null");
        requireNonNull(readGate, "readGate is null");
    }

    public MeshPluginState()
    {
        this(new PublishedRegistries(), new RowFilteredTables(), new ReadGate());
    }

    /**
     * Binds the shared instances into a factory's injector.
     */
    public Module module()
    {
        return binder -> {
            binder.bind(PublishedRegistries.class).toInstance(registries);
            binder.bind(RowFilteredTables.class).toInstance(rowFilteredTables);
            binder.bind(ReadGate.class).toInstance(readGate);
        };
    }
}
