package dev.datamesh.trino.security;

import com.google.inject.Injector;
import io.airlift.bootstrap.Bootstrap;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemAccessControlFactory;

import java.util.Map;

/**
 * The mesh's access control, named {@code data_mesh} in etc/access-control.properties.
 */
public class MeshAccessControlFactory
        implements SystemAccessControlFactory
{
    public static final String NAME = "data_mesh";

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public SystemAccessControl create(Map<String, String> config, SystemAccessControlContext context)
    {
        Bootstrap app = new Bootstrap(new MeshSecurityModule());
        Injector injector = app
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(config)
                .initialize();
        return injector.getInstance(MeshAccessControl.class);
    }
}
