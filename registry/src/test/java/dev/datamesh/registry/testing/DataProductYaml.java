package dev.datamesh.registry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A data product descriptor for tests, written as a domain team writes one: the fields in the order
 * of the manual's example, one line each, every asset in block style. Values are written as given
 * (YAML scalars or flow collections), so a test can also write what the parser must refuse.
 *
 * <pre>{@code
 * name: <name>                 line 1
 * domain: <domain>             line 2
 * owner: <owner>               line 3
 * version: 1.0.0               line 4 (unless left out)
 * description / sla / iceberg_catalog (one line, or a block of lines) / storage, when given
 * data_assets:
 *   - name: <asset>            the first asset's name, format and location on the next three lines
 *     format: <format>
 *     location: <location>
 *     table / catalog / schema / description / update_frequency / storage / shared_from / shared_with, when given
 * access_control:              when a role is granted
 *   - role: <role>
 *     permissions: <permissions>
 * }</pre>
 */
public final class DataProductYaml
{
    private final String name;
    private final String domain;
    private final String owner;
    private Optional<String> version = Optional.of("1.0.0");
    private Optional<String> description = Optional.empty();
    private Optional<String> sla = Optional.empty();
    private Optional<String> icebergCatalog = Optional.empty();
    private Optional<String> storage = Optional.empty();
    private final List<Asset> assets = new ArrayList<>();
    private final List<String> grants = new ArrayList<>();

    private DataProductYaml(String name, String domain, String owner)
    {
        this.name = requireNonNull(name, "name is null");
        this.domain = requireNonNull(domain, "domain is null");
        this.owner = requireNonNull(owner, "owner is null");
    }

    /**
     * A product of version 1.0.0, without assets or grants yet.
     */
    public static DataProductYaml dataProduct(String name, String domain, String owner)
    {
        return new DataProductYaml(name, domain, owner);
    }

    public static Asset parquet(String name, String location)
    {
        return asset(name, "parquet").location(location);
    }

    public static Asset delta(String name, String location)
    {
        return asset(name, "delta").location(location);
    }

    public static Asset iceberg(String name, String location)
    {
        return asset(name, "iceberg").location(location);
    }

    /**
     * An Iceberg table in a catalog, by its name (namespace.table).
     */
    public static Asset icebergTable(String name, String table)
    {
        return asset(name, "iceberg").table(table);
    }

    /**
     * Iceberg tables of one namespace of a catalog, each published under its own name.
     */
    public static Asset[] icebergTables(String namespace, String... tables)
    {
        Asset[] assets = new Asset[tables.length];
        for (int i = 0; i < tables.length; i++) {
            assets[i] = icebergTable(tables[i], namespace + "." + tables[i]);
        }
        return assets;
    }

    /**
     * An asset with any format, also one the mesh does not read.
     */
    public static Asset asset(String name, String format)
    {
        return new Asset(name, format);
    }

    /**
     * The value as a single-quoted YAML scalar, for paths with characters YAML would read otherwise.
     */
    public static String quoted(Object value)
    {
        return "'" + value.toString().replace("'", "''") + "'";
    }

    public DataProductYaml version(String version)
    {
        this.version = Optional.of(version);
        return this;
    }

    public DataProductYaml withoutVersion()
    {
        this.version = Optional.empty();
        return this;
    }

    public DataProductYaml description(String description)
    {
        this.description = Optional.of(description);
        return this;
    }

    /**
     * @param sla the value of sla:, such as {freshness: 1 hour}
     */
    public DataProductYaml sla(String sla)
    {
        this.sla = Optional.of(sla);
        return this;
    }

    /**
     * @param catalog the value of iceberg_catalog: a catalog's name, a flow mapping, or the lines of
     * a block mapping (starting with a line break, each line indented by two spaces)
     */
    public DataProductYaml icebergCatalog(String catalog)
    {
        this.icebergCatalog = Optional.of(catalog);
        return this;
    }

    /**
     * The product's own Iceberg catalog in a SQLite file, its tables in the warehouse folder, in
     * block style as the sample writes it: type, uri and warehouse on the lines after iceberg_catalog.
     */
    public DataProductYaml sqliteCatalog(Path database, Path warehouse)
    {
        return icebergCatalog("\n  type: jdbc\n  uri: jdbc:sqlite:%s\n  warehouse: file://%s".formatted(database, warehouse));
    }

    public DataProductYaml storage(String profile)
    {
        this.storage = Optional.of(profile);
        return this;
    }

    public DataProductYaml asset(Asset... assets)
    {
        for (Asset asset : assets) {
            this.assets.add(requireNonNull(asset, "asset is null"));
        }
        return this;
    }

    public DataProductYaml grant(String role, String permissions)
    {
        grants.add("  - role: %s\n    permissions: %s\n".formatted(role, permissions));
        return this;
    }

    public DataProductYaml grantRead(String... roles)
    {
        for (String role : roles) {
            grant(role, "read");
        }
        return this;
    }

    public String yaml()
    {
        StringBuilder yaml = new StringBuilder();
        line(yaml, "", "name", Optional.of(name));
        line(yaml, "", "domain", Optional.of(domain));
        line(yaml, "", "owner", Optional.of(owner));
        line(yaml, "", "version", version);
        line(yaml, "", "description", description);
        line(yaml, "", "sla", sla);
        line(yaml, "", "iceberg_catalog", icebergCatalog);
        line(yaml, "", "storage", storage);
        yaml.append("data_assets:\n");
        assets.forEach(asset -> asset.appendTo(yaml));
        if (!grants.isEmpty()) {
            yaml.append("access_control:\n");
            grants.forEach(yaml::append);
        }
        return yaml.toString();
    }

    /**
     * Writes the descriptor, creating the file's folder if it has none yet.
     *
     * @return the file
     */
    public Path writeTo(Path file)
            throws IOException
    {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, yaml());
    }

    @Override
    public String toString()
    {
        return yaml();
    }

    private static void line(StringBuilder yaml, String indent, String key, Optional<String> value)
    {
        value.ifPresent(text -> yaml.append(indent).append(key).append(text.startsWith("\n") ? ":" : ": ").append(text).append('\n'));
    }

    /**
     * A data asset of the product.
     */
    public static final class Asset
    {
        private final String name;
        private final String format;
        private Optional<String> location = Optional.empty();
        private Optional<String> table = Optional.empty();
        private Optional<String> catalog = Optional.empty();
        private Optional<String> schema = Optional.empty();
        private Optional<String> description = Optional.empty();
        private Optional<String> updateFrequency = Optional.empty();
        private Optional<String> storage = Optional.empty();
        private Optional<String> sharedFrom = Optional.empty();
        private Optional<String> sharedWith = Optional.empty();

        private Asset(String name, String format)
        {
            this.name = requireNonNull(name, "name is null");
            this.format = requireNonNull(format, "format is null");
        }

        public Asset location(String location)
        {
            this.location = Optional.of(location);
            return this;
        }

        public Asset table(String table)
        {
            this.table = Optional.of(table);
            return this;
        }

        /**
         * @param catalog the value of catalog: a catalog's name, or a flow mapping
         */
        public Asset catalog(String catalog)
        {
            this.catalog = Optional.of(catalog);
            return this;
        }

        /**
         * @param schema the column contract's file, relative to the descriptor
         */
        public Asset schema(String schema)
        {
            this.schema = Optional.of(schema);
            return this;
        }

        public Asset description(String description)
        {
            this.description = Optional.of(description);
            return this;
        }

        public Asset updateFrequency(String updateFrequency)
        {
            this.updateFrequency = Optional.of(updateFrequency);
            return this;
        }

        public Asset storage(String profile)
        {
            this.storage = Optional.of(profile);
            return this;
        }

        /**
         * Published as its owner publishes it: the asset of another product, which shares it.
         */
        public Asset sharedFrom(String product, String asset)
        {
            this.sharedFrom = Optional.of("{product: %s, asset: %s}".formatted(product, asset));
            return this;
        }

        /**
         * @param products the products, as domain/product, that may publish this asset
         */
        public Asset sharedWith(String... products)
        {
            this.sharedWith = Optional.of("[" + String.join(", ", products) + "]");
            return this;
        }

        private void appendTo(StringBuilder yaml)
        {
            yaml.append("  - name: ").append(name).append('\n');
            line(yaml, "    ", "format", Optional.of(format));
            line(yaml, "    ", "location", location);
            line(yaml, "    ", "table", table);
            line(yaml, "    ", "catalog", catalog);
            line(yaml, "    ", "schema", schema);
            line(yaml, "    ", "description", description);
            line(yaml, "    ", "update_frequency", updateFrequency);
            line(yaml, "    ", "storage", storage);
            line(yaml, "    ", "shared_from", sharedFrom);
            line(yaml, "    ", "shared_with", sharedWith);
        }
    }
}
