package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.policies.GovernedAsset;
import dev.datamesh.policies.Principal;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RegisteredAsset;
import io.trino.spi.connector.SchemaTableName;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.Objects.requireNonNull;

/**
 * The mesh as governance sees it at one moment: the evaluator of the policy in force, and every
 * table of the mesh as the asset it serves. The generation tells one load from the next.
 */
public record GovernedMesh(long generation, PolicyEvaluator evaluator, Map<SchemaTableName, GovernedAsset> assets, ImmutableListMultimap<String, GovernedAsset> assetsBySchema)
{
    public GovernedMesh
    {
        requireNonNull(evaluator, "evaluator is null");
        assets = ImmutableMap.copyOf(assets);
        requireNonNull(assetsBySchema, "assetsBySchema is null");
    }

    public static GovernedMesh of(long generation, PolicyEvaluator evaluator, MeshRegistry registry)
    {
        ImmutableMap.Builder<SchemaTableName, GovernedAsset> assets = ImmutableMap.builder();
        ImmutableListMultimap.Builder<String, GovernedAsset> bySchema = ImmutableListMultimap.builder();
        for (RegisteredAsset registered : registry.assets()) {
            DataProductDescriptor product = registered.product();
            GovernedAsset asset = new GovernedAsset(
                    product.domain(),
                    product.name(),
                    registered.asset().name(),
                    product.owner(),
                    product.accessControl(),
                    registered.declaredSchema()
                            .map(schema -> schema.columns().stream()
                                    .collect(toImmutableMap(column -> column.name().toLowerCase(Locale.ROOT), column -> (Set<String>) ImmutableSet.copyOf(column.tags()))))
                            .orElse(ImmutableMap.of()));
            assets.put(new SchemaTableName(registered.schemaName(), registered.tableName()), asset);
            bySchema.put(registered.schemaName(), asset);
        }
        return new GovernedMesh(generation, evaluator, assets.buildOrThrow(), bySchema.build());
    }

    public Optional<GovernedAsset> asset(SchemaTableName table)
    {
        return Optional.ofNullable(assets.get(table));
    }

    /**
     * Whether the principal may read some table of the schema: the schemas a user sees.
     */
    public boolean hasReadableTable(Principal principal, String schema)
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
