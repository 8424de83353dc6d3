package dev.datamesh.storage;

import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.filesystem.switching.SwitchingFileSystemFactory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The file system of a location, chosen by its scheme, so that every reader goes through
 * TrinoFileSystem whatever the data's home: local paths ({@code file://}, {@code local://}) on
 * the local file system, S3 ({@code s3://}, with {@code s3a://} and {@code s3n://} as its aliases)
 * through the object store client given; any other scheme is refused.
 */
public final class StorageSchemes
{
    private static final TrinoFileSystemFactory LOCAL_FILES = new LocalFileSystemFactory(Path.of("/"));

    private StorageSchemes() {}

    /**
     * Local files only, for tools that write or check local data: object store locations are refused.
     */
    public static TrinoFileSystemFactory localFiles()
    {
        return new SwitchingFileSystemFactory(location -> factoryFor(location, Optional.empty()));
    }

    /**
     * @param s3 the object store client that S3 locations are read with; empty where none is configured
     * @throws UnsupportedLocationException for an S3 location without a client, and for any other scheme
     */
    public static TrinoFileSystemFactory factoryFor(Location location, Optional<Supplier<TrinoFileSystemFactory>> s3)
    {
        String scheme = location.scheme().orElse("file");
        return switch (scheme) {
            case "file", "local" -> LOCAL_FILES;
            case "s3", "s3a", "s3n" -> s3
                    .orElseThrow(() -> new UnsupportedLocationException("Location %s is in S3, which this reader is not configured for".formatted(location)))
                    .get();
            default -> throw new UnsupportedLocationException("Location %s uses the '%s' scheme, which this mesh is not configured to read; use a local path, file:// or s3://".formatted(location, scheme));
        };
    }
}
