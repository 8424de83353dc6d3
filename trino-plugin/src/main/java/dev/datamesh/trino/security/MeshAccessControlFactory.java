package dev.datamesh.trino.security;

import com.google.inject.Injector;
import dev.datamesh.trino.MeshPluginState;
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

    private final MeshPluginState state;

    public MeshAccessControlFactory(MeshPluginState state)
    {
        this.state = requireNonNull(state, "state is null");
    }

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public SystemAccessControl create(Map<String, String> config, SystemAccessControlContext context)
    {
        Bootstrap app = new Bootstrap(new MeshSecurityModule(), state.module());
        Injector injector = app
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(config)
                .initialize();
        MeshAccessControl accessControl = injector.getInstance(MeshAccessControl.class);
        state.readGate().decideWith(accessControl);
        return accessControl;
    }
}
