package dev.datamesh.iceberg;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.registry.StorageFileSystems;
import io.trino.filesystem.TrinoFileSystem;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SessionCatalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;
import org.apache.iceberg.rest.HTTPClient;
import org.apache.iceberg.rest.RESTSessionCatalog;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.auth.OAuth2Properties;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static java.util.Objects.requireNonNull;

/**
 * The Iceberg catalogs of the registered assets, opened once each and shared by every asset that
 * names the same catalog. Only the catalogs the platform declares and SQLite file catalogs are
 * opened: whatever reaches a server or holds a secret comes from the platform's configuration,
 * never from a descriptor. Values are used as they are (Trino substitutes the platform's
 * ${ENV:...} in catalog properties before the connector sees them). Files are read through
 * TrinoFileSystem, never through Hadoop.
 */
public final class IcebergCatalogs
        implements Closeable
{
    private static final String SQLITE_PREFIX = IcebergCatalogDescriptor.SQLITE_PREFIX;
    private static final String READ_ONLY_WAREHOUSE = "mesh-reads-only";

    private final StorageFileSystems fileSystems;
    private final Set<IcebergCatalogDescriptor> declaredCatalogs;
    private final boolean createMissingCatalogs;
    // the same catalog read under two storage profiles is two clients: its FileIO differs
    private final Map<CatalogKey, Catalog> catalogs = new ConcurrentHashMap<>();

    private record CatalogKey(IcebergCatalogDescriptor descriptor, Optional<String> storage) {}

    // what the catalogs hold open (connections, HTTP clients), closed with the connector
    private final Queue<Closeable> resources = new ConcurrentLinkedQueue<>();

    /**
     * @param declaredCatalogs the catalogs the platform declares, by name
     * @param createMissingCatalogs whether a JDBC catalog whose database is missing is created (to write tables) rather than reported
     */
    public IcebergCatalogs(StorageFileSystems fileSystems, Map<String, IcebergCatalogDescriptor> declaredCatalogs, boolean createMissingCatalogs)
    {
        this.fileSystems = requireNonNull(fileSystems, "fileSystems is null");
        this.declaredCatalogs = ImmutableSet.copyOf(declaredCatalogs.values());
        this.createMissingCatalogs = createMissingCatalogs;
    }

    public static IcebergCatalogs forReading(StorageFileSystems fileSystems, Map<String, IcebergCatalogDescriptor> declaredCatalogs)
    {
        return new IcebergCatalogs(fileSystems, declaredCatalogs, false);
    }

    public Catalog catalog(IcebergCatalogDescriptor descriptor)
            throws IcebergTableException
    {
        return catalog(descriptor, Optional.empty());
    }

    /**
     * The catalog, its tables' files read under the storage profile.
     */
    public Catalog catalog(IcebergCatalogDescriptor descriptor, Optional<String> storage)
            throws IcebergTableException
    {
        CatalogKey key = new CatalogKey(descriptor, storage);
        Catalog catalog = catalogs.get(key);
        if (catalog != null) {
            return catalog;
        }
        // opened outside the map's lock: a REST catalog's first call is a network round trip
        catalog = open(descriptor, fileSystems.forStorage(storage));
        Catalog previous = catalogs.putIfAbsent(key, catalog);
        return previous != null ? previous : catalog;
    }

    private Catalog open(IcebergCatalogDescriptor descriptor, TrinoFileSystem fileSystem)
            throws IcebergTableException
    {
        // the registry hands over only these; anything else would be a catalog a descriptor made up
        if (!declaredCatalogs.contains(descriptor) && !descriptor.isFileCatalog()) {
            throw new IcebergTableException("the %s is not declared by the platform; ask the platform to declare it with mesh.iceberg-catalog.<name>.* properties".formatted(descriptor), null);
        }
        try {
            return switch (descriptor.type()) {
                case JDBC -> openJdbc(descriptor, properties(descriptor), fileSystem);
                case REST -> openRest(descriptor, properties(descriptor), fileSystem);
            };
        }
        catch (RuntimeException e) {
            throw new IcebergTableException("cannot open the %s: %s".formatted(descriptor, IcebergTables.describe(e)), e);
        }
    }

    private static Map<String, String> properties(IcebergCatalogDescriptor descriptor)
    {
        Map<String, String> properties = new HashMap<>(descriptor.properties());
        descriptor.uri().ifPresent(uri -> properties.put(CatalogProperties.URI, uri));
        descriptor.warehouse().ifPresent(warehouse -> properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse));
        descriptor.credential().ifPresent(credential -> properties.put(OAuth2Properties.CREDENTIAL, credential));
        descriptor.token().ifPresent(token -> properties.put(OAuth2Properties.TOKEN, token));
        return properties;
    }

    private Catalog openJdbc(IcebergCatalogDescriptor descriptor, Map<String, String> properties, TrinoFileSystem fileSystem)
            throws IcebergTableException
    {
        String uri = properties.get(CatalogProperties.URI);
        if (uri.startsWith(SQLITE_PREFIX) && !createMissingCatalogs) {
            String file = uri.substring(SQLITE_PREFIX.length());
            if (!file.startsWith(":") && !file.startsWith("file:") && !Files.isRegularFile(Path.of(file))) {
                throw new IcebergTableException("the %s has no database: %s does not exist".formatted(descriptor, file), null);
            }
        }
        // the catalog writes version 1 of its tables when it creates them, which every Iceberg release reads
        properties.putIfAbsent("jdbc.schema-version", "V1");
        if (!createMissingCatalogs) {
            // Iceberg insists on a warehouse, where only new tables would go: reading never uses it
            properties.putIfAbsent(CatalogProperties.WAREHOUSE_LOCATION, READ_ONLY_WAREHOUSE);
        }
        // DriverManager finds drivers on the server's class path only; a plugin's drivers register when loaded
        ServiceLoader.load(Driver.class, IcebergCatalogs.class.getClassLoader()).forEach(_ -> {});
        JdbcCatalog catalog = new JdbcCatalog(
                _ -> new TrinoIcebergFileIO(fileSystem),
                config -> new JdbcClientPool(config.get(CatalogProperties.URI), config),
                createMissingCatalogs);
        catalog.initialize(descriptor.name(), properties);
        resources.add(catalog);
        return catalog;
    }

    private Catalog openRest(IcebergCatalogDescriptor descriptor, Map<String, String> properties, TrinoFileSystem fileSystem)
    {
        RESTSessionCatalog sessionCatalog = new RESTSessionCatalog(
                config -> HTTPClient.builder(config)
                        .uri(config.get(CatalogProperties.URI))
                        .withHeaders(RESTUtil.configHeaders(config))
                        .build(),
                (_, _) -> new TrinoIcebergFileIO(fileSystem));
        sessionCatalog.initialize(descriptor.name(), ImmutableMap.copyOf(properties));
        resources.add(sessionCatalog);
        return sessionCatalog.asCatalog(SessionCatalog.SessionContext.createEmpty());
    }

    @Override
    public void close()
    {
        catalogs.clear();
        for (Closeable resource = resources.poll(); resource != null; resource = resources.poll()) {
            try {
                resource.close();
            }
            catch (IOException | RuntimeException _) {
                // a catalog that cannot close cleanly holds nothing we still need
            }
        }
    }
}
