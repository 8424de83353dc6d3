package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DescriptorIdentity;
import dev.datamesh.policies.GovernedAsset;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.Principal;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.RejectedDescriptor;
import io.airlift.log.Logger;
import io.trino.spi.connector.SchemaTableName;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.Objects.requireNonNull;

/**
 * A mesh catalog as governance sees it: every table its registry serves, as the asset it is
 * (product, owner, grants, column classifications), and the products the descriptors it left
 * out say they publish, by descriptor file, to decide who hears of their problems.
 */
public record GovernedCatalog(Map<SchemaTableName, GovernedAsset> assets, ImmutableListMultimap<String, GovernedAsset> assetsBySchema, Map<String, GovernedAsset> rejectedProducts)
{
    private static final Logger log = Logger.get(GovernedCatalog.class);

    public GovernedCatalog
    {
        assets = ImmutableMap.copyOf(assets);
        requireNonNull(assetsBySchema, "assetsBySchema is null");
        rejectedProducts = ImmutableMap.copyOf(rejectedProducts);
    }

    public static GovernedCatalog of(String catalogName, MeshRegistry registry)
    {
        ImmutableMap.Builder<SchemaTableName, GovernedAsset> assets = ImmutableMap.builder();
        ImmutableListMultimap.Builder<String, GovernedAsset> bySchema = ImmutableListMultimap.builder();
        for (RegisteredAsset registered : registry.assets()) {
            DataProductDescriptor product = registered.product();
            if (registered.declaredSchema().isEmpty()) {
                log.warn("%s.%s.%s declares no schema: its columns carry no classification, so only policies naming columns or selecting 'unclassified' columns cover them",
                        catalogName, registered.schemaName(), registered.tableName());
            }
            GovernedAsset asset = new GovernedAsset(
                    product.domain(),
                    product.name(),
                    registered.asset().name(),
                    // the owner's exemptions (owner: true) belong to the data's owning team, not to a consumer's
                    registered.sharedFrom().map(owner -> owner.product().owner()).orElse(product.owner()),
                    product.accessControl(),
                    registered.declaredSchema()
                            .map(schema -> schema.columns().stream()
                                    .collect(toImmutableMap(column -> column.name().toLowerCase(Locale.ROOT), column -> (Set<String>) ImmutableSet.copyOf(column.tags()))))
                            .orElse(ImmutableMap.of()),
                    registered.sharedFrom().map(owner -> new GovernedAsset.SharedFrom(owner.product().domain(), owner.product().name(), owner.asset().name())));
            assets.put(new SchemaTableName(registered.schemaName(), registered.tableName()), asset);
            bySchema.put(registered.schemaName(), asset);
        }
        Map<String, GovernedAsset> rejected = new HashMap<>();
        for (RejectedDescriptor descriptor : registry.rejectedDescriptors()) {
            DescriptorIdentity identity = descriptor.identity();
            if (identity.domain().isPresent() || identity.owner().isPresent()) {
                // a file that failed grants nothing: its owner and domain decide who hears of its problems
                rejected.put(descriptor.file().toAbsolutePath().normalize().toString(),
                        new GovernedAsset(identity.domain().orElse(""), identity.product().orElse(""), "", identity.owner().orElse(""), ImmutableList.of(), ImmutableMap.of()));
            }
        }
        return new GovernedCatalog(assets.buildOrThrow(), bySchema.build(), rejected);
    }

    public Optional<GovernedAsset> asset(SchemaTableName table)
    {
        return Optional.ofNullable(assets.get(table));
    }

    /**
     * Whether the principal may read some table of the schema: the schemas a user sees.
     */
    public boolean hasReadableTable(PolicyEvaluator evaluator, Principal principal, String schema)
    {
        List<GovernedAsset> schemaAssets = assetsBySchema.get(schema);
        for (GovernedAsset asset : schemaAssets) {
            if (evaluator.mayRead(principal, asset)) {
                return true;
            }
        }
        return false;
    }
}
