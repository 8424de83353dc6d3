package dev.datamesh.trino.security;

import com.google.inject.Injector;
import dev.datamesh.trino.PublishedRegistries;
import dev.datamesh.trino.ReadGate;
import dev.datamesh.trino.RowFilteredTables;
import io.airlift.bootstrap.Bootstrap;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemAccessControlFactory;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The mesh's access control, named {@code data_mesh} in etc/access-control.properties.
 */
public class MeshAccessControlFactory
        implements SystemAccessControlFactory
{
    public static final String NAME = "data_mesh";

    private final PublishedRegistries registries;
    private final RowFilteredTables rowFilteredTables;
    private final ReadGate readGate;

    public MeshAccessControlFactory(PublishedRegistries registries, RowFilteredTables rowFilteredTables, ReadGate readGate)
    {
        this.readGate = requireNonNull(readGate, "readGate is null");
        this.registries = requireNonNull(registries, "registries is null");
        this.rowFilteredTables = requireNonNull(rowFilteredTables, "rowFilteredTables is null");
    }

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public SystemAccessControl create(Map<String, String> config, SystemAccessControlContext context)
    {
        Bootstrap app = new Bootstrap(
                new MeshSecurityModule(),
                binder -> {
                    binder.bind(PublishedRegistries.class).toInstance(registries);
                    binder.bind(RowFilteredTables.class).toInstance(rowFilteredTables);
                });
        Injector injector = app
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(config)
                .initialize();
        MeshAccessControl accessControl = injector.getInstance(MeshAccessControl.class);
        readGate.decideWith(accessControl);
        return accessControl;
    }
}
