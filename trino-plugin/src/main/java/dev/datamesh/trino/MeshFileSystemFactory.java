package dev.datamesh.trino;

import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.filesystem.switching.SwitchingFileSystemFactory;
import io.trino.spi.TrinoException;
import io.trino.spi.security.ConnectorIdentity;

import java.nio.file.Path;

import static dev.datamesh.trino.MeshErrorCode.MESH_UNSUPPORTED_ASSET;

/**
 * Chooses the file system by a location's scheme, so every reader goes through TrinoFileSystem
 * and object stores can be added without touching them.
 */
public class MeshFileSystemFactory
        implements TrinoFileSystemFactory
{
    private final TrinoFileSystemFactory localFileSystems = new LocalFileSystemFactory(Path.of("/"));
    private final TrinoFileSystemFactory delegate = new SwitchingFileSystemFactory(this::factoryFor);

    @Override
    public TrinoFileSystem create(ConnectorIdentity identity)
    {
        return delegate.create(identity);
    }

    private TrinoFileSystemFactory factoryFor(Location location)
    {
        String scheme = location.scheme().orElse("file");
        return switch (scheme) {
            case "file", "local" -> localFileSystems;
            default -> throw new TrinoException(MESH_UNSUPPORTED_ASSET, "Location %s uses the '%s' scheme, which this mesh is not configured to read; use a local path or file://".formatted(location, scheme));
        };
    }
}
