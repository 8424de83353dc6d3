package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import dev.datamesh.trino.delta.DeltaDeletedRows;
import dev.datamesh.trino.iceberg.IcebergDeleteFilter;
import dev.datamesh.trino.parquet.ParquetPageSourceFactory;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoInputFile;
import io.trino.parquet.ParquetReaderOptions;
import io.trino.spi.block.Block;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.connector.ConnectorPageSourceProvider;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplit;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.DynamicFilter;
import io.trino.spi.connector.EmptyPageSource;
import io.trino.spi.predicate.NullableValue;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.type.TypeManager;

import java.util.List;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.trino.spi.predicate.Utils.nativeValueToBlock;
import static java.util.Objects.requireNonNull;

public class MeshPageSourceProvider
        implements ConnectorPageSourceProvider
{
    private final MeshFileSystemFactory fileSystemFactory;
    private final ParquetPageSourceFactory parquetPageSources;

    @Inject
    public MeshPageSourceProvider(MeshFileSystemFactory fileSystemFactory, TypeManager typeManager)
    {
        this.fileSystemFactory = requireNonNull(fileSystemFactory, "fileSystemFactory is null");
        this.parquetPageSources = new ParquetPageSourceFactory(ParquetReaderOptions.defaultOptions(), typeManager.getTypeOperators());
    }

    @Override
    public ConnectorPageSource createPageSource(
            ConnectorTransactionHandle transaction,
            ConnectorSession session,
            ConnectorSplit split,
            ConnectorTableHandle table,
            List<ColumnHandle> columns,
            DynamicFilter dynamicFilter)
    {
        MeshSplit meshSplit = (MeshSplit) split;
        MeshTableHandle meshTable = (MeshTableHandle) table;
        List<MeshColumnHandle> meshColumns = columns.stream().map(MeshColumnHandle.class::cast).collect(toImmutableList());

        TupleDomain<MeshColumnHandle> predicate = meshTable.dataConstraint();
        if (meshSplit.dynamicFiltering()) {
            predicate = predicate.intersect(dynamicFilter.getCurrentPredicate().transformKeys(MeshColumnHandle.class::cast));
        }
        if (!PartitionValues.matches(meshSplit.partitionValues(), predicate, meshSplit.path())) {
            return new EmptyPageSource();
        }

        ImmutableMap.Builder<String, Block> constants = ImmutableMap.builder();
        for (MeshColumnHandle column : meshColumns) {
            if (column.partitionKey()) {
                NullableValue value = partitionValue(meshSplit, column);
                constants.put(column.name(), nativeValueToBlock(column.type(), value.getValue()));
            }
        }

        TrinoFileSystem fileSystem = fileSystemFactory.create(session, meshTable.storage());
        String tableDescription = "table %s of data product '%s'".formatted(meshTable.schemaTableName(), meshTable.productName());
        String fileDescription = "%s (%s)".formatted(meshSplit.path(), tableDescription);
        TrinoInputFile inputFile = fileSystem.newInputFile(Location.of(meshSplit.path()), meshSplit.fileSize());
        RowDeletes deletes = rowDeletes(session, fileSystem, meshSplit, tableDescription, fileDescription);
        List<MeshColumnHandle> readColumns = deletes.readColumns(meshColumns);
        ConnectorPageSource source = parquetPageSources.createPageSource(
                inputFile,
                meshSplit.start(),
                meshSplit.length(),
                readColumns,
                constants.buildKeepingLast(),
                predicate,
                deletes.deletedPositions(),
                fileDescription);
        return deletes.apply(source, session, readColumns, meshColumns.size());
    }

    /**
     * What the split's format records as deleted from its file: an Iceberg file's delete files,
     * a Delta file's deletion vector.
     */
    private RowDeletes rowDeletes(ConnectorSession session, TrinoFileSystem fileSystem, MeshSplit split, String tableDescription, String fileDescription)
    {
        if (split.icebergDeletes().isPresent()) {
            return IcebergDeleteFilter.read(parquetPageSources, fileSystem, session, split.icebergDeletes().orElseThrow(), tableDescription);
        }
        if (split.deletionVector().isPresent()) {
            return DeltaDeletedRows.read(fileSystem, split.deletionVector().orElseThrow(), fileDescription);
        }
        return RowDeletes.NONE;
    }

    private static NullableValue partitionValue(MeshSplit split, MeshColumnHandle column)
    {
        return PartitionValues.parse(column, split.partitionValues().getOrDefault(column.name(), Optional.empty()), split.path());
    }
}
