package dev.datamesh.registry;

import dev.datamesh.descriptor.SourcePosition;
import io.trino.filesystem.Location;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The files of the Iceberg catalog a descriptor keeps itself (a SQLite database, and the folder new
 * tables go to), resolved against the descriptor's folder (absolute and normalized, symbolic links
 * not followed), with where the descriptor gives them: what lies in a domain's own locations is
 * decided on these.
 */
public record FileCatalogFiles(Path database, SourcePosition databasePosition, Optional<Location> warehouse, Optional<SourcePosition> warehousePosition)
{
    public FileCatalogFiles
    {
        requireNonNull(database, "database is null");
        requireNonNull(databasePosition, "databasePosition is null");
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(warehousePosition, "warehousePosition is null");
    }
}
