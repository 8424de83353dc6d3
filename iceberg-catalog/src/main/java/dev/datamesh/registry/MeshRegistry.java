package dev.datamesh.registry;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedSet;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DescriptorProblem;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.Objects.requireNonNull;
import static java.util.function.Function.identity;
import static java.util.stream.Collectors.groupingBy;

/**
 * The mesh as loaded from one scan of the descriptor directory: the products that passed
 * validation, their assets addressed by schema and table, and the problems of those that did not.
 */
public final class MeshRegistry
{
    private final List<DataProductDescriptor> products;
    private final Map<String, Map<String, RegisteredAsset>> assetsBySchema;
    private final List<DescriptorProblem> problems;

    public MeshRegistry(List<DataProductDescriptor> products, List<RegisteredAsset> assets, List<DescriptorProblem> problems)
    {
        this.products = ImmutableList.copyOf(products);
        this.problems = ImmutableList.copyOf(problems);
        this.assetsBySchema = requireNonNull(assets, "assets is null").stream()
                .collect(groupingBy(RegisteredAsset::schemaName, TreeMap::new, toImmutableList()))
                .entrySet().stream()
                .collect(toImmutableMap(Map.Entry::getKey, entry -> entry.getValue().stream().collect(toImmutableMap(RegisteredAsset::tableName, identity()))));
    }

    public List<DataProductDescriptor> products()
    {
        return products;
    }

    public List<DescriptorProblem> problems()
    {
        return problems;
    }

    public Set<String> schemaNames()
    {
        return ImmutableSortedSet.copyOf(assetsBySchema.keySet());
    }

    public List<RegisteredAsset> assets(String schemaName)
    {
        return ImmutableList.copyOf(assetsBySchema.getOrDefault(schemaName, ImmutableMap.of()).values());
    }

    public List<RegisteredAsset> assets()
    {
        return assetsBySchema.values().stream()
                .flatMap(tables -> tables.values().stream())
                .collect(toImmutableList());
    }

    public Optional<RegisteredAsset> asset(String schemaName, String tableName)
    {
        return Optional.ofNullable(assetsBySchema.getOrDefault(schemaName, ImmutableMap.of()).get(tableName));
    }
}
