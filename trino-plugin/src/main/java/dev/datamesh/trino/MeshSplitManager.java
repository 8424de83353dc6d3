package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import dev.datamesh.iceberg.IcebergSnapshot;
import dev.datamesh.registry.HadoopPaths;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.delta.DeltaStatistics;
import dev.datamesh.trino.iceberg.IcebergDeleteFile;
import dev.datamesh.trino.iceberg.IcebergDeletes;
import dev.datamesh.trino.iceberg.IcebergFileFilter;
import dev.datamesh.trino.iceberg.IcebergPlanningExecutor;
import dev.datamesh.trino.iceberg.IcebergPredicates;
import dev.datamesh.trino.iceberg.IcebergTypeConverter;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.spi.TrinoException;
import io.trino.spi.catalog.CatalogName;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplitManager;
import io.trino.spi.connector.ConnectorSplitSource;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.DynamicFilter;
import io.trino.spi.connector.FixedSplitSource;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.type.TypeManager;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static dev.datamesh.trino.MeshErrorCode.MESH_ASSET_UNAVAILABLE;
import static dev.datamesh.trino.MeshErrorCode.MESH_BAD_DATA;
import static dev.datamesh.trino.MeshErrorCode.MESH_UNSUPPORTED_ASSET;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * Lists an asset's files (a folder listing for Parquet, the snapshot's live files for Delta, the
 * snapshot's manifests for Iceberg), drops those whose partition values or recorded statistics
 * cannot match the query, and hands the rest to a {@link MeshSplitSource}, which cuts them into
 * splits batch by batch and prunes them by the query's dynamic filters as well.
 * A table read under a row filter is pruned by that filter alone (the constraints its handle got),
 * never by the query's predicate or dynamic filters: which files hold values the query names,
 * among the rows the filter hides, is no business of its reader.
 */
public class MeshSplitManager
        implements ConnectorSplitManager
{
    private final MeshRegistrySource registrySource;
    private final MeshTableResolver tableResolver;
    private final MeshFileSystemFactory fileSystemFactory;
    private final long maxSplitSize;
    private final IcebergTypeConverter icebergTypes;
    private final RowFilteredTables rowFilteredTables;
    private final String catalogName;
    private final IcebergPlanningExecutor icebergPlanning;

    @Inject
    public MeshSplitManager(MeshRegistrySource registrySource, MeshTableResolver tableResolver, MeshFileSystemFactory fileSystemFactory, MeshConfig config, TypeManager typeManager, RowFilteredTables rowFilteredTables, CatalogName catalogName, IcebergPlanningExecutor icebergPlanning)
    {
        this.icebergPlanning = requireNonNull(icebergPlanning, "icebergPlanning is null");
        this.rowFilteredTables = requireNonNull(rowFilteredTables, "rowFilteredTables is null");
        this.catalogName = catalogName.toString();
        this.icebergTypes = new IcebergTypeConverter(typeManager.getTypeOperators());
        this.registrySource = requireNonNull(registrySource, "registrySource is null");
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
        this.fileSystemFactory = requireNonNull(fileSystemFactory, "fileSystemFactory is null");
        this.maxSplitSize = config.getMaxSplitSize().toBytes();
    }

    @Override
    public ConnectorSplitSource getSplits(ConnectorTransactionHandle transaction, ConnectorSession session, ConnectorTableHandle tableHandle, DynamicFilter dynamicFilter, Constraint constraint)
    {
        MeshTableHandle table = (MeshTableHandle) tableHandle;
        boolean rowFiltered = rowFilteredTables.isFiltered(session.getQueryId(), catalogName, table.schemaTableName());
        Constraint pruning = rowFiltered ? Constraint.alwaysTrue() : constraint;
        if (table.partitionConstraint().isNone() || table.dataConstraint().isNone()) {
            return new FixedSplitSource(ImmutableList.of());
        }
        RegisteredAsset asset = registrySource.forQuery(session.getQueryId()).asset(table.schemaName(), table.tableName())
                .orElseThrow(() -> new TrinoException(MESH_ASSET_UNAVAILABLE, "Table %s is no longer in the mesh".formatted(table.schemaTableName())));
        TrinoFileSystem fileSystem = fileSystemFactory.create(session, asset.storage());
        long dynamicFilteringWait = MeshSessionProperties.getDynamicFilteringWaitTimeout(session).roundTo(NANOSECONDS);
        // Parquet and Delta files are skipped by a join's values only where they are partition keys
        // (Delta statistics rarely narrow one file to a join's values): waiting for a filter on other
        // columns would only hold the scan back; the filters that arrive meanwhile still prune
        long partitionFilterWait = dynamicFilter.getColumnsCovered().stream().anyMatch(column -> ((MeshColumnHandle) column).partitionKey()) ? dynamicFilteringWait : 0;

        return switch (asset.asset().format()) {
            case PARQUET -> {
                Iterator<MeshSplitSource.DataFile> files = tableResolver.listFiles(fileSystem, asset).files().stream()
                        .filter(file -> PartitionValues.matches(file.partitionValues(), file.location().toString(), table.partitionConstraint(), pruning))
                        .map(file -> new MeshSplitSource.DataFile(file.location().toString(), file.length(), file.partitionValues(), Optional.empty(), Optional.empty(),
                                filter -> PartitionValues.matches(file.partitionValues(), filter, file.location().toString())))
                        .iterator();
                yield new MeshSplitSource(files, () -> {}, dynamicFilter, !rowFiltered, partitionFilterWait, maxSplitSize);
            }
            case DELTA -> {
                TableVersion version = new TableVersion.AtVersion(table.version().orElseThrow());
                Iterator<MeshSplitSource.DataFile> files = tableResolver.loadDelta(fileSystem, asset, version).files().stream()
                        .filter(file -> PartitionValues.matches(PartitionValues.bySqlName(file.partitionValues()), file.location().toString(), table.partitionConstraint(), pruning)
                                && DeltaStatistics.mayMatch(file, table.dataConstraint()))
                        .map(file -> {
                            Map<String, Optional<String>> partitionValues = PartitionValues.bySqlName(file.partitionValues());
                            return new MeshSplitSource.DataFile(file.location().toString(), file.size(), partitionValues, file.deletionVector(), Optional.empty(),
                                    filter -> PartitionValues.matches(partitionValues, filter, file.location().toString()) && DeltaStatistics.mayMatch(file, filter));
                        })
                        .iterator();
                yield new MeshSplitSource(files, () -> {}, dynamicFilter, !rowFiltered, partitionFilterWait, maxSplitSize);
            }
            // a table never written has no snapshot and no rows
            case ICEBERG -> table.version().isEmpty()
                    ? new FixedSplitSource(ImmutableList.of())
                    : icebergSplits(asset, table, dynamicFilter, !rowFiltered, dynamicFilteringWait);
        };
    }

    /**
     * The files of an Iceberg snapshot, read from its manifests as the splits are asked for.
     */
    private ConnectorSplitSource icebergSplits(RegisteredAsset asset, MeshTableHandle table, DynamicFilter dynamicFilter, boolean dynamicFiltering, long dynamicFilteringWait)
    {
        long snapshotId = table.version().getAsLong();
        IcebergSnapshot snapshot = tableResolver.loadIceberg(asset, new TableVersion.AtVersion(snapshotId), table.schemaId().orElseThrow());
        TableScan scan = icebergPlanning.planWith(snapshot.table().newScan())
                .useSnapshot(snapshotId)
                .filter(IcebergPredicates.toExpression(table.dataConstraint(), snapshot.schema()));
        boolean pruneByDynamicFilters = dynamicFiltering && !dynamicFilter.getColumnsCovered().isEmpty();
        if (pruneByDynamicFilters) {
            // the files' column bounds, to check against the join's values once they are known
            scan = scan.includeColumnStats();
        }
        CloseableIterable<FileScanTask> tasks = scan.planFiles();
        IcebergFileFilter fileFilter = new IcebergFileFilter(snapshot.schema());
        Iterator<FileScanTask> taskIterator = tasks.iterator();
        Iterator<MeshSplitSource.DataFile> files = new Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                return planning(asset, snapshotId, taskIterator::hasNext);
            }

            @Override
            public MeshSplitSource.DataFile next()
            {
                FileScanTask task = planning(asset, snapshotId, taskIterator::next);
                return icebergFile(asset, snapshot, task, pruneByDynamicFilters ? filter -> fileFilter.mayMatch(task.file(), filter) : _ -> true);
            }
        };
        return new MeshSplitSource(files, tasks, dynamicFilter, dynamicFiltering, dynamicFilteringWait, maxSplitSize);
    }

    private <T> T planning(RegisteredAsset asset, long snapshotId, Supplier<T> step)
    {
        try {
            return step.get();
        }
        catch (TrinoException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: cannot plan the scan of snapshot %s: %s".formatted(asset.displayName(), snapshotId, tableResolver.explain(asset, e)), e);
        }
    }

    private MeshSplitSource.DataFile icebergFile(RegisteredAsset asset, IcebergSnapshot snapshot, FileScanTask task, Predicate<TupleDomain<MeshColumnHandle>> mayMatch)
    {
        DataFile file = task.file();
        checkParquet(asset, file.location(), file.format());
        tableResolver.checkInDomain(asset, file.location());
        ImmutableList.Builder<IcebergDeleteFile> deletes = ImmutableList.builder();
        for (DeleteFile delete : task.deletes()) {
            checkParquet(asset, delete.location(), delete.format());
            tableResolver.checkInDomain(asset, delete.location());
            deletes.add(switch (delete.content()) {
                case POSITION_DELETES -> new IcebergDeleteFile(delete.location(), delete.fileSizeInBytes(), IcebergDeleteFile.Kind.POSITION, ImmutableList.of());
                case EQUALITY_DELETES -> new IcebergDeleteFile(delete.location(), delete.fileSizeInBytes(), IcebergDeleteFile.Kind.EQUALITY, equalityColumns(asset, snapshot, delete));
                case DATA -> throw new IllegalStateException("data file listed as a delete file: " + delete.location());
            });
        }
        List<IcebergDeleteFile> deleteFiles = deletes.build();
        return new MeshSplitSource.DataFile(
                HadoopPaths.toLocation(file.location()).toString(),
                file.fileSizeInBytes(),
                ImmutableMap.of(),
                Optional.empty(),
                deleteFiles.isEmpty() ? Optional.empty() : Optional.of(new IcebergDeletes(file.location(), deleteFiles)),
                mayMatch);
    }

    private static void checkParquet(RegisteredAsset asset, String file, FileFormat format)
    {
        if (format != FileFormat.PARQUET) {
            throw new TrinoException(MESH_UNSUPPORTED_ASSET, "Cannot read %s: file %s is in %s format; the mesh reads Iceberg tables whose data and delete files are Parquet".formatted(asset.displayName(), file, format));
        }
    }

    private List<MeshColumnHandle> equalityColumns(RegisteredAsset asset, IcebergSnapshot snapshot, DeleteFile delete)
    {
        ImmutableList.Builder<MeshColumnHandle> columns = ImmutableList.builder();
        for (int fieldId : delete.equalityFieldIds()) {
            // the column may have been dropped since: its type is then in an older schema
            Types.NestedField field = Optional.ofNullable(snapshot.schema().findField(fieldId))
                    .or(() -> snapshot.table().schemas().values().stream()
                            .map(schema -> schema.findField(fieldId))
                            .filter(Objects::nonNull)
                            .findFirst())
                    .orElseThrow(() -> new TrinoException(MESH_BAD_DATA, "Cannot read %s: equality delete file %s names field id %s, which no schema of the table has".formatted(asset.displayName(), delete.location(), fieldId)));
            if (!field.type().isPrimitiveType()) {
                throw new TrinoException(MESH_UNSUPPORTED_ASSET, "Cannot read %s: equality delete file %s compares the nested field '%s'".formatted(asset.displayName(), delete.location(), field.name()));
            }
            columns.add(MeshColumnHandle.icebergColumn("$equality$" + fieldId, icebergTypes.toTrinoType(field.type(), field.name()), IcebergTypeConverter.identity(field)));
        }
        return columns.build();
    }
}
