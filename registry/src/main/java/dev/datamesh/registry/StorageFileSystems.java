package dev.datamesh.registry;

import io.trino.filesystem.TrinoFileSystem;

import java.util.Optional;

/**
 * The file system an asset's files are read with: its storage profile decides the object store
 * client (endpoint, region, credentials); local files read the same under every profile.
 */
@FunctionalInterface
public interface StorageFileSystems
{
    /**
     * @param storage the storage profile; empty for the catalog's default
     */
    TrinoFileSystem forStorage(Optional<String> storage);

    static StorageFileSystems of(TrinoFileSystem fileSystem)
    {
        return _ -> fileSystem;
    }
}
