package dev.datamesh.iceberg;

import com.google.common.collect.ImmutableMap;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The Iceberg catalogs named by descriptors, opened once each and shared by every asset that names
 * the same catalog. Files are read through TrinoFileSystem, never through Hadoop.
 */
public final class IcebergCatalogs
        implements Closeable
{
    private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("\\$\\{ENV:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";

    private final StorageFileSystems fileSystems;
    private final Function<String, Optional<String>> environment;
    private final boolean createMissingCatalogs;
    // the same catalog read under two storage profiles is two clients: its FileIO differs
    private final Map<CatalogKey, Catalog> catalogs = new ConcurrentHashMap<>();

    private record CatalogKey(IcebergCatalogDescriptor descriptor, Optional<String> storage) {}
    // what the catalogs hold open (connections, HTTP clients), closed with the connector
    private final Queue<Closeable> resources = new ConcurrentLinkedQueue<>();

    /**
     * @param environment looks up the environment variables that descriptors name as ${ENV:NAME}
     * @param createMissingCatalogs whether a JDBC catalog whose database is missing is created (to write tables) rather than reported
     */
    public IcebergCatalogs(StorageFileSystems fileSystems, Function<String, Optional<String>> environment, boolean createMissingCatalogs)
    {
        this.fileSystems = requireNonNull(fileSystems, "fileSystems is null");
        this.environment = requireNonNull(environment, "environment is null");
        this.createMissingCatalogs = createMissingCatalogs;
    }

    public static IcebergCatalogs forReading(StorageFileSystems fileSystems)
    {
        return new IcebergCatalogs(fileSystems, name -> Optional.ofNullable(System.getenv(name)), false);
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

    private Map<String, String> properties(IcebergCatalogDescriptor descriptor)
    {
        Map<String, String> properties = new HashMap<>();
        for (Map.Entry<String, String> property : descriptor.properties().entrySet()) {
            properties.put(property.getKey(), substitute(descriptor, property.getKey(), property.getValue()));
        }
        descriptor.uri().ifPresent(uri -> properties.put(CatalogProperties.URI, uri));
        descriptor.warehouse().ifPresent(warehouse -> properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse));
        if (descriptor.credential().isPresent()) {
            properties.put(OAuth2Properties.CREDENTIAL, substitute(descriptor, "credential", descriptor.credential().get()));
        }
        if (descriptor.token().isPresent()) {
            properties.put(OAuth2Properties.TOKEN, substitute(descriptor, "token", descriptor.token().get()));
        }
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

    private String substitute(IcebergCatalogDescriptor descriptor, String key, String value)
    {
        Matcher matcher = ENVIRONMENT_VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = environment.apply(name).orElseThrow(() -> new IllegalArgumentException(
                    "%s of the %s names the environment variable %s, which is not set on the server".formatted(key, descriptor, name)));
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
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
