package dev.datamesh.registry;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.DescriptorParser;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.descriptor.IcebergCatalogReference;
import dev.datamesh.descriptor.SourcePosition;
import io.trino.filesystem.Location;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The Iceberg catalog a descriptor names, as the mesh opens it: a catalog the platform declares
 * and gives the domain, or a SQLite catalog the descriptor keeps itself in its domain's locations.
 * Problems are reported at the descriptor's lines.
 */
final class IcebergCatalogResolver
{
    private static final String DEFAULT_SQLITE_FILE = "iceberg_catalog.db";

    private final Map<String, IcebergCatalogDescriptor> icebergCatalogs;
    private final DomainLocations domains;

    /**
     * @param icebergCatalogs the Iceberg catalogs the platform declares, which descriptors may name, by name
     * @param domains what each domain may publish, as the platform declares it
     */
    IcebergCatalogResolver(Map<String, IcebergCatalogDescriptor> icebergCatalogs, DomainLocations domains)
    {
        this.icebergCatalogs = ImmutableMap.copyOf(icebergCatalogs);
        this.domains = requireNonNull(domains, "domains is null");
    }

    /**
     * A descriptor's catalog as the mesh opens it, with the files of a SQLite catalog the descriptor keeps itself.
     */
    record ResolvedCatalog(IcebergCatalogDescriptor catalog, Optional<FileCatalogFiles> files)
    {
        ResolvedCatalog
        {
            requireNonNull(catalog, "catalog is null");
            requireNonNull(files, "files is null");
        }

        /**
         * A table of this catalog, named as the descriptor names it: namespace parts and name, dot-separated.
         */
        CatalogTable table(String table)
        {
            List<String> parts = Splitter.on('.').splitToList(table);
            return new CatalogTable(catalog, parts.subList(0, parts.size() - 1), parts.getLast(), files);
        }
    }

    Optional<ResolvedCatalog> resolve(String domain, IcebergCatalogReference reference, Path descriptorDirectory, List<DescriptorProblem> problems)
    {
        return switch (reference) {
            case IcebergCatalogReference.Platform(String name, SourcePosition position) -> {
                IcebergCatalogDescriptor catalog = icebergCatalogs.get(name);
                if (catalog == null) {
                    String declared = icebergCatalogs.isEmpty() ? "none is declared" : "declared: " + String.join(", ", icebergCatalogs.keySet().stream().sorted().toList());
                    problems.add(new DescriptorProblem(position, "Iceberg catalog '%s' is not declared in the mesh catalog (%s); ask the platform to declare it with %s%s.* properties, or correct the name"
                            .formatted(name, declared, DescriptorParser.PLATFORM_CATALOG_PREFIX, name)));
                    yield Optional.empty();
                }
                Optional<String> notGiven = domains.icebergCatalogProblem(domain, name);
                if (notGiven.isPresent()) {
                    problems.add(new DescriptorProblem(position, notGiven.orElseThrow()));
                    yield Optional.empty();
                }
                yield Optional.of(new ResolvedCatalog(catalog, Optional.empty()));
            }
            case IcebergCatalogReference.SqliteFile sqlite -> resolveSqliteCatalog(sqlite, descriptorDirectory, problems)
                    .filter(resolved -> inDomain(domain, resolved.files().orElseThrow(), problems));
        };
    }

    /**
     * Whether the files of a catalog the descriptor keeps itself lie in its domain's own locations:
     * its database would otherwise point at another domain's tables.
     */
    private boolean inDomain(String domain, FileCatalogFiles files, List<DescriptorProblem> problems)
    {
        List<DescriptorProblem> outside = new ArrayList<>();
        domains.locationProblem(domain, Location.of("file://" + files.database()))
                .ifPresent(problem -> outside.add(new DescriptorProblem(files.databasePosition(), "the catalog's SQLite file: " + problem)));
        files.warehouse()
                .flatMap(warehouse -> domains.locationProblem(domain, warehouse))
                .ifPresent(problem -> outside.add(new DescriptorProblem(files.warehousePosition().orElseThrow(), "the catalog's warehouse: " + problem)));
        problems.addAll(outside);
        return outside.isEmpty();
    }

    /**
     * The SQLite catalog with its paths made absolute: the database (by default iceberg_catalog.db
     * beside the descriptor) and the warehouse, relative to the descriptor's folder.
     */
    private static Optional<ResolvedCatalog> resolveSqliteCatalog(IcebergCatalogReference.SqliteFile sqlite, Path descriptorDirectory, List<DescriptorProblem> problems)
    {
        Path database;
        try {
            database = descriptorDirectory.resolve(sqlite.database().orElse(DEFAULT_SQLITE_FILE)).toAbsolutePath().normalize();
        }
        catch (InvalidPathException e) {
            problems.add(new DescriptorProblem(sqlite.databasePosition(), "the SQLite file '%s' is not a valid path: %s".formatted(sqlite.database().orElseThrow(), e.getReason())));
            return Optional.empty();
        }
        Optional<Location> warehouse = Optional.empty();
        if (sqlite.warehouse().isPresent()) {
            try {
                warehouse = Optional.of(AssetLocations.resolve(sqlite.warehouse().orElseThrow(), descriptorDirectory));
            }
            catch (IllegalArgumentException e) {
                problems.add(new DescriptorProblem(sqlite.warehousePosition().orElseThrow(), e.getMessage()));
                return Optional.empty();
            }
        }
        IcebergCatalogDescriptor catalog = new IcebergCatalogDescriptor(
                IcebergCatalogDescriptor.Type.JDBC,
                sqlite.catalogName(),
                Optional.of(IcebergCatalogDescriptor.SQLITE_PREFIX + database),
                warehouse.map(Location::toString),
                Optional.empty(),
                Optional.empty(),
                ImmutableMap.of(),
                sqlite.position().toString());
        return Optional.of(new ResolvedCatalog(catalog, Optional.of(new FileCatalogFiles(database, sqlite.databasePosition(), warehouse, sqlite.warehousePosition()))));
    }
}
