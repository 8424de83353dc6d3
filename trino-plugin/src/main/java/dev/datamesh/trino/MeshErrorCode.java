package dev.datamesh.trino;

import io.trino.spi.ErrorCode;
import io.trino.spi.ErrorCodeSupplier;
import io.trino.spi.ErrorType;

import static io.trino.spi.ErrorType.EXTERNAL;
import static io.trino.spi.ErrorType.USER_ERROR;

public enum MeshErrorCode
        implements ErrorCodeSupplier
{
    MESH_ASSET_UNAVAILABLE(0, EXTERNAL),
    MESH_BAD_DATA(1, EXTERNAL),
    MESH_CANNOT_READ_FILE(2, EXTERNAL),
    MESH_CONTRACT_VIOLATION(3, USER_ERROR),
    MESH_UNSUPPORTED_ASSET(4, USER_ERROR),
    MESH_INVALID_PARTITION_VALUE(5, EXTERNAL),
    MESH_STORAGE_ERROR(6, EXTERNAL),
    MESH_DATA_OUTSIDE_DOMAIN(7, USER_ERROR),
    MESH_STATISTICS_NOT_CONFIGURED(8, USER_ERROR);

    // a range of our own, away from the codes of the engine and of Trino's bundled connectors
    private static final int ERROR_CODE_BASE = 0x0770_0000;

    private final ErrorCode errorCode;

    MeshErrorCode(int code, ErrorType type)
    {
        errorCode = new ErrorCode(code + ERROR_CODE_BASE, name(), type);
    }

    @Override
    public ErrorCode toErrorCode()
    {
        return errorCode;
    }
}
