package dev.datamesh.trino;

import com.google.inject.Inject;
import dev.datamesh.formats.TypeMappingException;
import dev.datamesh.registry.RegisteredAsset;
import io.trino.spi.TrinoException;

import java.util.function.Supplier;

import static dev.datamesh.trino.MeshErrorCode.MESH_BAD_DATA;
import static dev.datamesh.trino.MeshErrorCode.MESH_CONTRACT_VIOLATION;
import static dev.datamesh.trino.MeshErrorCode.MESH_UNSUPPORTED_ASSET;
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
     * Makes a table of what the asset's metadata says, a failure naming the asset.
     */
    public <T> T resolving(RegisteredAsset asset, Supplier<T> resolution)
    {
        try {
            return resolution.get();
        }
        catch (TypeMappingException e) {
            throw naming(asset, typeMappingFailure(e));
        }
        catch (TrinoException e) {
            throw naming(asset, e);
        }
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

    /**
     * A column the format's type mapping cannot give a SQL type, under the connector's error code:
     * an unsupported asset for a type the mesh does not read, bad data for names SQL cannot tell apart.
     */
    public static TrinoException typeMappingFailure(TypeMappingException e)
    {
        MeshErrorCode errorCode = switch (e.reason()) {
            case UNSUPPORTED_TYPE -> MESH_UNSUPPORTED_ASSET;
            case AMBIGUOUS_NAMES -> MESH_BAD_DATA;
        };
        return new TrinoException(errorCode, e.getMessage(), e);
    }
}
