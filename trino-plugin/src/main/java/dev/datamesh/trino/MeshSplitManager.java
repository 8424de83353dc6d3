package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.ParquetDataFile;
import dev.datamesh.registry.ParquetFileListing;
import dev.datamesh.registry.RegisteredAsset;
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
import static java.util.Objects.requireNonNull;

/**
 * Lists an asset's files, drops those whose partition folders cannot match the query, and cuts
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
        ParquetFileListing listing = tableResolver.listFiles(fileSystemFactory.create(session), asset);

        ImmutableList.Builder<ConnectorSplit> splits = ImmutableList.builder();
        for (ParquetDataFile file : listing.files()) {
            if (!partitionMatches(file, table.partitionConstraint(), constraint)) {
                continue;
            }
            long start = 0;
            do {
                long length = Math.min(maxSplitSize, file.length() - start);
                splits.add(new MeshSplit(file.location().toString(), start, length, file.length(), file.partitionValues()));
                start += length;
            }
            while (start < file.length());
        }
        return new FixedSplitSource(splits.build());
    }

    private static boolean partitionMatches(ParquetDataFile file, TupleDomain<MeshColumnHandle> partitionConstraint, Constraint constraint)
    {
        if (!PartitionValues.matches(file.partitionValues(), partitionConstraint, file.location().toString())) {
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
            bindings.computeIfAbsent(handle, _ -> partitionValue(file, handle));
        }
        return constraint.predicate().get().test(bindings);
    }

    private static NullableValue partitionValue(ParquetDataFile file, MeshColumnHandle column)
    {
        return PartitionValues.parse(column, file.partitionValues().getOrDefault(column.name(), Optional.empty()), file.location().toString());
    }
}
