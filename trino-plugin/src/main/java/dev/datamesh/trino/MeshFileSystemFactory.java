package dev.datamesh.trino;

import com.google.inject.Inject;
import dev.datamesh.registry.StorageFileSystems;
import dev.datamesh.storage.StorageSchemes;
import dev.datamesh.storage.UnsupportedLocationException;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.filesystem.switching.SwitchingFileSystemFactory;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.security.ConnectorIdentity;

import java.util.Optional;

import static dev.datamesh.trino.MeshErrorCode.MESH_UNSUPPORTED_ASSET;
import static java.util.Objects.requireNonNull;

/**
 * Chooses the file system by a location's scheme ({@link StorageSchemes}), and for object stores by
 * the storage profile of the asset read, so every reader goes through TrinoFileSystem whatever the
 * data's home.
 */
public class MeshFileSystemFactory
        implements TrinoFileSystemFactory
{
    private final Optional<MeshStorage> storage;

    /**
     * Local files only, for tools that write or check local data.
     */
    public MeshFileSystemFactory()
    {
        this.storage = Optional.empty();
    }

    @Inject
    public MeshFileSystemFactory(MeshStorage storage)
    {
        this.storage = Optional.of(requireNonNull(storage, "storage is null"));
    }

    @Override
    public TrinoFileSystem create(ConnectorIdentity identity)
    {
        return create(identity, Optional.empty());
    }

    public TrinoFileSystem create(ConnectorSession session, Optional<String> storageProfile)
    {
        return create(session.getIdentity(), storageProfile);
    }

    /**
     * @param storageProfile the storage profile object store locations are read with; empty for the catalog's default
     */
    public TrinoFileSystem create(ConnectorIdentity identity, Optional<String> storageProfile)
    {
        return new SwitchingFileSystemFactory(location -> factoryFor(location, storageProfile)).create(identity);
    }

    /**
     * The object store of a storage profile as its errors name it; empty when this factory reads local files only.
     */
    public Optional<StorageFailures.Storage> errorContext(Optional<String> storageProfile)
    {
        return storage.map(meshStorage -> meshStorage.errorContext(storageProfile));
    }

    public StorageFileSystems forIdentity(ConnectorIdentity identity)
    {
        return storageProfile -> create(identity, storageProfile);
    }

    private TrinoFileSystemFactory factoryFor(Location location, Optional<String> storageProfile)
    {
        try {
            return StorageSchemes.factoryFor(location, storage.map(meshStorage -> () -> meshStorage.s3(storageProfile)));
        }
        catch (UnsupportedLocationException e) {
            throw new TrinoException(MESH_UNSUPPORTED_ASSET, e.getMessage(), e);
        }
    }
}
