package dev.datamesh.descriptor;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The Iceberg catalog a descriptor gives for its tables (iceberg_catalog: for the product, catalog:
 * for one asset): the name of a catalog the platform declares, or the SQLite file catalog the
 * descriptor keeps itself. Addresses, other databases and credentials are the platform's to declare.
 */
public sealed interface IcebergCatalogReference
{
    /**
     * Where the descriptor gives the catalog.
     */
    SourcePosition position();

    /**
     * A catalog the platform declares in the mesh catalog's properties, by its name there.
     */
    record Platform(String name, SourcePosition position)
            implements IcebergCatalogReference
    {
        public Platform
        {
            requireNonNull(name, "name is null");
            requireNonNull(position, "position is null");
        }
    }

    /**
     * A JDBC catalog in a SQLite file.
     *
     * @param catalogName the catalog_name its tables are stored under
     * @param database the path of the SQLite file as written (after jdbc:sqlite:), relative to the
     * descriptor or absolute; empty for iceberg_catalog.db beside the descriptor
     * @param databasePosition where the descriptor gives the file (its uri:, else the catalog)
     * @param warehouse where new tables go, as written: a location as data_assets[].location gives one
     */
    record SqliteFile(String catalogName, Optional<String> database, SourcePosition databasePosition, Optional<String> warehouse, Optional<SourcePosition> warehousePosition, SourcePosition position)
            implements IcebergCatalogReference
    {
        public SqliteFile
        {
            requireNonNull(catalogName, "catalogName is null");
            requireNonNull(database, "database is null");
            requireNonNull(databasePosition, "databasePosition is null");
            requireNonNull(warehouse, "warehouse is null");
            requireNonNull(warehousePosition, "warehousePosition is null");
            requireNonNull(position, "position is null");
        }
    }
}
