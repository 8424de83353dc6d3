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
 * validation, their assets addressed by schema and table, and the descriptors that did not, with
 * their problems.
 */
public final class MeshRegistry
{
    private final List<DataProductDescriptor> products;
    private final Map<String, Map<String, RegisteredAsset>> assetsBySchema;
    private final List<DescriptorProblem> folderProblems;
    private final List<RejectedDescriptor> rejectedDescriptors;

    /**
     * @param folderProblems problems of the descriptor folder itself, which no descriptor has
     */
    public MeshRegistry(List<DataProductDescriptor> products, List<RegisteredAsset> assets, List<DescriptorProblem> folderProblems, List<RejectedDescriptor> rejectedDescriptors)
    {
        this.products = ImmutableList.copyOf(products);
        this.folderProblems = ImmutableList.copyOf(folderProblems);
        this.rejectedDescriptors = ImmutableList.copyOf(rejectedDescriptors);
        this.assetsBySchema = requireNonNull(assets, "assets is null").stream()
                .collect(groupingBy(RegisteredAsset::schemaName, TreeMap::new, toImmutableList()))
                .entrySet().stream()
                .collect(toImmutableMap(Map.Entry::getKey, entry -> entry.getValue().stream().collect(toImmutableMap(RegisteredAsset::tableName, identity()))));
    }

    public List<DataProductDescriptor> products()
    {
        return products;
    }

    /**
     * Every problem: the folder's, then each rejected descriptor's.
     */
    public List<DescriptorProblem> problems()
    {
        return ImmutableList.<DescriptorProblem>builder()
                .addAll(folderProblems)
                .addAll(rejectedDescriptors.stream().flatMap(rejected -> rejected.problems().stream()).iterator())
                .build();
    }

    public List<DescriptorProblem> folderProblems()
    {
        return folderProblems;
    }

    public List<RejectedDescriptor> rejectedDescriptors()
    {
        return rejectedDescriptors;
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
