package dev.datamesh.trino;

import com.google.inject.Inject;
import dev.datamesh.registry.RegisteredAsset;
import io.trino.spi.TrinoException;

import static dev.datamesh.trino.MeshErrorCode.MESH_CONTRACT_VIOLATION;
import static java.util.Objects.requireNonNull;

/**
 * How a failed read of an asset is told: naming the asset and the properties of its storage to check.
 */
public class ReadFailures
{
    private final MeshFileSystemFactory fileSystemFactory;

    @Inject
    public ReadFailures(MeshFileSystemFactory fileSystemFactory)
    {
        this.fileSystemFactory = requireNonNull(fileSystemFactory, "fileSystemFactory is null");
    }

    /**
     * Why reading the asset failed, naming the properties of its storage to check.
     */
    public String explain(RegisteredAsset asset, Throwable failure)
    {
        return StorageFailures.explain(failure, fileSystemFactory.errorContext(asset.storage()));
    }

    /**
     * A failure to make a table of what the asset's metadata says, naming the asset.
     */
    public TrinoException naming(RegisteredAsset asset, TrinoException e)
    {
        if (e.getErrorCode().equals(MESH_CONTRACT_VIOLATION.toErrorCode())) {
            return e;
        }
        return new TrinoException(e::getErrorCode, "Cannot read %s: %s".formatted(asset.displayName(), explain(asset, e)), e);
    }
}
