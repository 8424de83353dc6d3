package dev.datamesh.trino.statistics;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import com.google.common.util.concurrent.UncheckedExecutionException;
import com.google.inject.Inject;
import dev.datamesh.iceberg.IcebergSnapshot;
import dev.datamesh.registry.ParquetDataFile;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.MeshColumn;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.MeshFileSystemFactory;
import dev.datamesh.trino.MeshTable;
import dev.datamesh.trino.MeshTableHandle;
import dev.datamesh.trino.MeshTableResolver;
import dev.datamesh.trino.PartitionValues;
import dev.datamesh.trino.delta.DeltaDataFile;
import dev.datamesh.trino.delta.DeltaExtendedStatistics;
import dev.datamesh.trino.delta.DeltaStatistics;
import dev.datamesh.trino.iceberg.IcebergPlanningExecutor;
import dev.datamesh.trino.iceberg.IcebergPredicates;
import dev.datamesh.trino.iceberg.IcebergStatistics;
import dev.datamesh.trino.parquet.ParquetStatistics;
import io.airlift.log.Logger;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.io.CloseableIterable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.HOURS;

/**
 * The statistics the optimizer plans a read of an asset with, from the metadata its format keeps:
 * Parquet footers, the Delta log's file statistics and the extended statistics Trino's Delta Lake
 * connector writes beside it, Iceberg manifests and Puffin files. Delta versions and Iceberg
 * snapshots never change, so their statistics are kept by version and constraint and a table is
 * summed once however many queries plan with it; Parquet footers are kept by file, as the
 * folder's files may change between queries, and so are Trino's extended statistics files.
 */
public class MetadataStatistics
{
    private static final Logger log = Logger.get(MetadataStatistics.class);

    private final MeshTableResolver tableResolver;
    private final MeshFileSystemFactory fileSystemFactory;
    private final DeltaExtendedStatistics extendedStatistics = new DeltaExtendedStatistics();
    private final Cache<VersionKey, TableStatistics> versions = CacheBuilder.newBuilder()
            .maximumSize(1_000)
            .expireAfterAccess(1, HOURS)
            .build();

    private final IcebergPlanningExecutor icebergPlanning;

    @Inject
    public MetadataStatistics(MeshTableResolver tableResolver, MeshFileSystemFactory fileSystemFactory, IcebergPlanningExecutor icebergPlanning)
    {
        this.icebergPlanning = requireNonNull(icebergPlanning, "icebergPlanning is null");
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
        this.fileSystemFactory = requireNonNull(fileSystemFactory, "fileSystemFactory is null");
    }

    public TableStatistics statistics(ConnectorSession session, MeshTable table, MeshTableHandle handle)
    {
        RegisteredAsset asset = table.asset();
        List<MeshColumnHandle> columns = table.columns().stream().map(MeshColumn::handle).collect(toImmutableList());
        TrinoFileSystem fileSystem = fileSystemFactory.create(session, asset.storage());
        return switch (asset.asset().format()) {
            case PARQUET -> parquetStatistics(fileSystem, asset, handle, columns);
            case DELTA -> deltaStatistics(fileSystem, asset, handle, columns);
            case ICEBERG -> {
                // a table never written has no snapshot and no rows
                if (handle.version().isEmpty()) {
                    yield TableStatistics.builder().setRowCount(Estimate.zero()).build();
                }
                // by the table's name in the mesh, as its catalog may move it
                VersionKey key = new VersionKey(asset.displayName(), handle.version().getAsLong(), handle.schemaId(), handle.partitionConstraint(), handle.dataConstraint(), columns);
                yield cached(asset, key, () -> icebergStatistics(asset, handle, columns));
            }
        };
    }

    /**
     * From the log, of the rows the handle reads, kept by version; with the distinct values and
     * sizes of Trino's extended statistics when the table has them, which can change without a
     * commit (Trino's ANALYZE) and so are looked up each time.
     */
    private TableStatistics deltaStatistics(TrinoFileSystem fileSystem, RegisteredAsset asset, MeshTableHandle handle, List<MeshColumnHandle> columns)
    {
        TableStatistics fromLog = deltaLogStatistics(fileSystem, asset, handle.version().orElseThrow(), handle.partitionConstraint(), handle.dataConstraint(), columns);
        Optional<DeltaExtendedStatistics.TableSketches> sketches = extendedStatistics.read(fileSystem, asset.storageLocation());
        if (sketches.isEmpty()) {
            return fromLog;
        }
        // the sizes describe the whole table
        OptionalDouble share = OptionalDouble.of(1);
        if (!handle.partitionConstraint().isAll() || !handle.dataConstraint().isAll()) {
            Estimate wholeTable = deltaLogStatistics(fileSystem, asset, handle.version().orElseThrow(), TupleDomain.all(), TupleDomain.all(), columns).getRowCount();
            share = fromLog.getRowCount().isUnknown() || wholeTable.isUnknown() || wholeTable.getValue() == 0
                    ? OptionalDouble.empty()
                    : OptionalDouble.of(Math.min(1, fromLog.getRowCount().getValue() / wholeTable.getValue()));
        }
        return DeltaStatistics.withSketches(fromLog, columns, sketches.orElseThrow(), share);
    }

    private TableStatistics deltaLogStatistics(TrinoFileSystem fileSystem, RegisteredAsset asset, long version, TupleDomain<MeshColumnHandle> partitionConstraint, TupleDomain<MeshColumnHandle> dataConstraint, List<MeshColumnHandle> columns)
    {
        return cached(asset, new VersionKey(asset.storageLocation().toString(), version, OptionalInt.empty(), partitionConstraint, dataConstraint, columns), () -> {
            List<DeltaDataFile> files = tableResolver.loadDelta(fileSystem, asset, new TableVersion.AtVersion(version)).files().stream()
                    .filter(file -> PartitionValues.matches(PartitionValues.bySqlName(file.partitionValues()), partitionConstraint, file.location().toString()))
                    .filter(file -> DeltaStatistics.mayMatch(file, dataConstraint))
                    .collect(toImmutableList());
            return DeltaStatistics.tableStatistics(files, columns);
        });
    }

    private TableStatistics parquetStatistics(TrinoFileSystem fileSystem, RegisteredAsset asset, MeshTableHandle handle, List<MeshColumnHandle> columns)
    {
        List<ParquetDataFile> files = tableResolver.listFiles(fileSystem, asset).files().stream()
                .filter(file -> PartitionValues.matches(file.partitionValues(), handle.partitionConstraint(), file.location().toString()))
                .collect(toImmutableList());
        return tableResolver.fileStatistics(fileSystem, asset, files)
                .map(statistics -> ParquetStatistics.tableStatistics(statistics, columns))
                .orElseGet(TableStatistics::empty);
    }

    private TableStatistics icebergStatistics(RegisteredAsset asset, MeshTableHandle handle, List<MeshColumnHandle> columns)
    {
        long snapshotId = handle.version().getAsLong();
        IcebergSnapshot snapshot = tableResolver.loadIceberg(asset, new TableVersion.AtVersion(snapshotId), handle.schemaId().orElseThrow());
        try (CloseableIterable<FileScanTask> tasks = icebergPlanning.planWith(snapshot.table().newScan()
                        .useSnapshot(snapshotId)
                        .filter(IcebergPredicates.toExpression(handle.dataConstraint(), snapshot.schema()))
                        .includeColumnStats())
                .planFiles()) {
            return IcebergStatistics.tableStatistics(tasks, snapshot.schema(), columns, IcebergStatistics.distinctValues(snapshot.table(), snapshotId));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TableStatistics cached(RegisteredAsset asset, VersionKey key, Callable<TableStatistics> reader)
    {
        try {
            return versions.get(key, reader);
        }
        catch (ExecutionException | UncheckedExecutionException e) {
            if (e.getCause() instanceof TrinoException trinoException) {
                // the asset itself cannot be read: the query fails with the reason, as its read would
                throw trinoException;
            }
            // without statistics the query is planned blind, but it runs
            log.warn(e.getCause(), "No statistics for %s", asset.displayName());
            return TableStatistics.empty();
        }
    }

    private record VersionKey(String table, long version, OptionalInt schemaId, TupleDomain<MeshColumnHandle> partitionConstraint, TupleDomain<MeshColumnHandle> dataConstraint, List<MeshColumnHandle> columns)
    {
        VersionKey
        {
            requireNonNull(table, "table is null");
            requireNonNull(schemaId, "schemaId is null");
            requireNonNull(partitionConstraint, "partitionConstraint is null");
            requireNonNull(dataConstraint, "dataConstraint is null");
            columns = ImmutableList.copyOf(columns);
        }
    }
}
