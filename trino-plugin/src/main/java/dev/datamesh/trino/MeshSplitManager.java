package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import dev.datamesh.delta.DeltaDataFile;
import dev.datamesh.delta.DeltaDeletionVector;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.ParquetDataFile;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.delta.DeltaStatistics;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplit;
import io.trino.spi.connector.ConnectorSplitManager;
import io.trino.spi.connector.ConnectorSplitSource;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.DynamicFilter;
import io.trino.spi.connector.FixedSplitSource;
import io.trino.spi.predicate.NullableValue;
import io.trino.spi.predicate.TupleDomain;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.datamesh.trino.MeshErrorCode.MESH_ASSET_UNAVAILABLE;
import static dev.datamesh.trino.MeshErrorCode.MESH_UNSUPPORTED_ASSET;
import static java.util.Objects.requireNonNull;

/**
 * Lists an asset's files (a folder listing for Parquet, the snapshot's live files for Delta), drops
 * those whose partition values (or, for Delta, recorded statistics) cannot match the query, and cuts
 * the rest into byte ranges of at most mesh.max-split-size so that a big file keeps every core busy.
 */
public class MeshSplitManager
        implements ConnectorSplitManager
{
    private final MeshRegistry registry;
    private final MeshTableResolver tableResolver;
    private final TrinoFileSystemFactory fileSystemFactory;
    private final long maxSplitSize;

    @Inject
    public MeshSplitManager(MeshRegistry registry, MeshTableResolver tableResolver, TrinoFileSystemFactory fileSystemFactory, MeshConfig config)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
        this.fileSystemFactory = requireNonNull(fileSystemFactory, "fileSystemFactory is null");
        this.maxSplitSize = config.getMaxSplitSize().toBytes();
    }

    @Override
    public ConnectorSplitSource getSplits(ConnectorTransactionHandle transaction, ConnectorSession session, ConnectorTableHandle tableHandle, DynamicFilter dynamicFilter, Constraint constraint)
    {
        MeshTableHandle table = (MeshTableHandle) tableHandle;
        if (table.partitionConstraint().isNone() || table.dataConstraint().isNone()) {
            return new FixedSplitSource(ImmutableList.of());
        }
        RegisteredAsset asset = registry.asset(table.schemaName(), table.tableName())
                .orElseThrow(() -> new TrinoException(MESH_ASSET_UNAVAILABLE, "Table %s is no longer in the mesh".formatted(table.schemaTableName())));
        TrinoFileSystem fileSystem = fileSystemFactory.create(session);

        ImmutableList.Builder<ConnectorSplit> splits = ImmutableList.builder();
        switch (asset.asset().format()) {
            case PARQUET -> {
                for (ParquetDataFile file : tableResolver.listFiles(fileSystem, asset).files()) {
                    if (partitionMatches(file.partitionValues(), file.location().toString(), table.partitionConstraint(), constraint)) {
                        addSplits(splits, file.location().toString(), file.length(), file.partitionValues(), Optional.empty());
                    }
                }
            }
            case DELTA -> {
                TableVersion version = new TableVersion.AtVersion(table.version().orElseThrow());
                for (DeltaDataFile file : tableResolver.loadDelta(fileSystem, asset, version).files()) {
                    Map<String, Optional<String>> partitionValues = PartitionValues.bySqlName(file.partitionValues());
                    if (partitionMatches(partitionValues, file.location().toString(), table.partitionConstraint(), constraint)
                            && DeltaStatistics.mayMatch(file, table.dataConstraint())) {
                        addSplits(splits, file.location().toString(), file.size(), partitionValues, file.deletionVector());
                    }
                }
            }
            case ICEBERG -> throw new TrinoException(MESH_UNSUPPORTED_ASSET, "Cannot read %s: iceberg is not supported by this version of the mesh".formatted(asset.displayName()));
        }
        return new FixedSplitSource(splits.build());
    }

    private void addSplits(ImmutableList.Builder<ConnectorSplit> splits, String path, long fileSize, Map<String, Optional<String>> partitionValues, Optional<DeltaDeletionVector> deletionVector)
    {
        long start = 0;
        do {
            long length = Math.min(maxSplitSize, fileSize - start);
            splits.add(new MeshSplit(path, start, length, fileSize, partitionValues, deletionVector));
            start += length;
        }
        while (start < fileSize);
    }

    private static boolean partitionMatches(Map<String, Optional<String>> partitionValues, String file, TupleDomain<MeshColumnHandle> partitionConstraint, Constraint constraint)
    {
        if (!PartitionValues.matches(partitionValues, partitionConstraint, file)) {
            return false;
        }
        // an expression the summary cannot hold (year % 2 = 0) can still prune when it reads partition keys only
        Optional<Set<ColumnHandle>> predicateColumns = constraint.getPredicateColumns();
        if (constraint.predicate().isEmpty() || predicateColumns.isEmpty()) {
            return true;
        }
        Map<ColumnHandle, NullableValue> bindings = new HashMap<>();
        for (ColumnHandle column : predicateColumns.get()) {
            MeshColumnHandle handle = (MeshColumnHandle) column;
            if (!handle.partitionKey()) {
                return true;
            }
            bindings.computeIfAbsent(handle, _ -> PartitionValues.parse(handle, partitionValues.getOrDefault(handle.name(), Optional.empty()), file));
        }
        return constraint.predicate().get().test(bindings);
    }
}
