package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import com.google.inject.Binder;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Provider;
import com.google.inject.Scopes;
import com.google.inject.name.Names;
import dev.datamesh.descriptor.DescriptorParser;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import io.trino.spi.TrinoException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static io.airlift.configuration.ConfigBinder.configBinder;
import static io.trino.spi.StandardErrorCode.CONFIGURATION_INVALID;
import static java.util.Objects.requireNonNull;

/**
 * The Iceberg catalogs the platform declares for descriptors to name:
 * {@code mesh.iceberg-catalog.<name>.type}, {@code .uri}, {@code .warehouse}, {@code .catalog-name},
 * {@code .credential}, {@code .token}, and any other Iceberg catalog property as
 * {@code .property.<key>}. Their secrets come from the catalog file, where Trino substitutes
 * {@code ${ENV:...}} before the connector sees it; descriptors only choose among these by name.
 */
public class MeshIcebergCatalogModule
        implements Module
{
    public static final String PREFIX = DescriptorParser.PLATFORM_CATALOG_PREFIX;
    private static final String FREE_PROPERTY = "property.";
    // the names descriptors may give in iceberg_catalog: and catalog: (the icebergCatalog pattern of the descriptor schema)
    private static final Pattern CATALOG_PROPERTY = Pattern.compile(Pattern.quote(PREFIX) + "([a-z0-9][a-z0-9_-]*)\\.(type|uri|warehouse|catalog-name|credential|token|" + Pattern.quote(FREE_PROPERTY) + "(.+))");
    // Iceberg properties with a property of their own here: given twice, which one counts would be a guess
    private static final Set<String> OWN_PROPERTIES = Set.of("uri", "warehouse", "credential", "token");

    private final Map<String, Map<String, String>> catalogs;

    /**
     * @param catalogs each declared catalog's name, with its free Iceberg properties
     */
    public MeshIcebergCatalogModule(Map<String, Map<String, String>> catalogs)
    {
        this.catalogs = requireNonNull(catalogs, "catalogs is null").entrySet().stream()
                .collect(toImmutableMap(Map.Entry::getKey, entry -> ImmutableMap.copyOf(entry.getValue())));
    }

    /**
     * The catalogs the mesh catalog's properties declare.
     *
     * @throws TrinoException for a property under mesh.iceberg-catalog. that is not one of a catalog
     */
    public static MeshIcebergCatalogModule fromCatalogProperties(Map<String, String> config)
    {
        Map<String, Map<String, String>> catalogs = new TreeMap<>();
        for (Map.Entry<String, String> property : new TreeMap<>(config).entrySet()) {
            if (!property.getKey().startsWith(PREFIX)) {
                continue;
            }
            Matcher matcher = CATALOG_PROPERTY.matcher(property.getKey());
            if (!matcher.matches()) {
                throw new TrinoException(CONFIGURATION_INVALID, ("Catalog property '%s' declares no Iceberg catalog: write %s<name>.<property>, with a property among type, uri, warehouse, catalog-name, credential, token, " +
                        "or property.<key> for any other Iceberg catalog property, and a name of lowercase letters, digits, '-' and '_', as descriptors give it in iceberg_catalog: or catalog:").formatted(property.getKey(), PREFIX));
            }
            Map<String, String> freeProperties = catalogs.computeIfAbsent(matcher.group(1), _ -> new LinkedHashMap<>());
            if (matcher.group(3) != null) {
                String key = matcher.group(3);
                if (OWN_PROPERTIES.contains(key)) {
                    throw new TrinoException(CONFIGURATION_INVALID, "Catalog property '%s' sets the Iceberg property '%s', which has its own: write %s%s.%s".formatted(property.getKey(), key, PREFIX, matcher.group(1), key));
                }
                freeProperties.put(key, property.getValue());
            }
        }
        return new MeshIcebergCatalogModule(catalogs);
    }

    /**
     * The catalog's properties for airlift to bind: all but the free Iceberg properties, which this
     * module reads itself (airlift binds fixed names only, and would refuse them as unused).
     */
    public static Map<String, String> boundProperties(Map<String, String> config)
    {
        return config.entrySet().stream()
                .filter(property -> !isFreeProperty(property.getKey()))
                .collect(toImmutableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static boolean isFreeProperty(String name)
    {
        Matcher matcher = CATALOG_PROPERTY.matcher(name);
        return matcher.matches() && matcher.group(3) != null;
    }

    @Override
    public void configure(Binder binder)
    {
        ImmutableMap.Builder<String, Provider<MeshIcebergCatalogConfig>> configs = ImmutableMap.builder();
        for (String name : catalogs.keySet()) {
            configBinder(binder).bindConfig(MeshIcebergCatalogConfig.class, Names.named(name), PREFIX + name);
            configs.put(name, binder.getProvider(Key.get(MeshIcebergCatalogConfig.class, Names.named(name))));
        }
        Map<String, Provider<MeshIcebergCatalogConfig>> catalogConfigs = configs.buildOrThrow();
        binder.bind(DeclaredIcebergCatalogs.class).toProvider(() -> new DeclaredIcebergCatalogs(catalogConfigs.entrySet().stream()
                .collect(toImmutableMap(Map.Entry::getKey, entry -> descriptor(entry.getKey(), entry.getValue().get())))))
                .in(Scopes.SINGLETON);
    }

    private IcebergCatalogDescriptor descriptor(String name, MeshIcebergCatalogConfig config)
    {
        return new IcebergCatalogDescriptor(
                config.getType(),
                config.getCatalogName().orElse(name),
                Optional.of(config.getUri()),
                config.getWarehouse(),
                config.getCredential(),
                config.getToken(),
                catalogs.get(name),
                PREFIX + name);
    }
}
