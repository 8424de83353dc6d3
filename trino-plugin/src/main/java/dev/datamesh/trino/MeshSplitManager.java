package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import dev.datamesh.registry.RegisteredAsset;
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

import static dev.datamesh.trino.MeshErrorCode.MESH_ASSET_UNAVAILABLE;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * Has the reader of an asset's format list its files (a folder listing for Parquet, the snapshot's
 * live files for Delta, the snapshot's manifests for Iceberg), dropping those whose partition values
 * or recorded statistics cannot match the query, and hands them to a
 * {@link MeshSplitSource}, which cuts them into splits batch by batch and prunes them by the query's dynamic filters as well.
 * A table read under a row filter is pruned by that filter alone (the constraints its handle got),
 * never by the query's predicate or dynamic filters: which files hold values the query names,
 * among the rows the filter hides, is no business of its reader.
 */
public class MeshSplitManager
        implements ConnectorSplitManager
{
    private final MeshRegistrySource registrySource;
    private final MeshFormats formats;
    private final long maxSplitSize;
    private final RowFilteredTables rowFilteredTables;
    private final String catalogName;

    @Inject
    public MeshSplitManager(MeshRegistrySource registrySource, MeshFormats formats, MeshConfig config, RowFilteredTables rowFilteredTables, CatalogName catalogName)
    {
        this.rowFilteredTables = requireNonNull(rowFilteredTables, "rowFilteredTables is null");
        this.catalogName = catalogName.toString();
        this.registrySource = requireNonNull(registrySource, "registrySource is null");
        this.formats = requireNonNull(formats, "formats is null");
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
        long dynamicFilteringWait = MeshSessionProperties.getDynamicFilteringWaitTimeout(session).roundTo(NANOSECONDS);
        // a format that skips files by a join's values only where they are partition keys waits for
        // those filters alone: waiting for a filter on other columns would only hold the scan back;
        // the filters that arrive meanwhile still prune
        long partitionFilterWait = dynamicFilter.getColumnsCovered().stream().anyMatch(column -> ((MeshColumnHandle) column).partitionKey()) ? dynamicFilteringWait : 0;

        MeshFormat format = formats.of(asset);
        if (format.neverWritten(table)) {
            return new FixedSplitSource(ImmutableList.of());
        }
        MeshFormat.FileScan scan = format.scan(session, asset, table, pruning, dynamicFilter, !rowFiltered);
        long wait = scan.waitForDataColumnFilters() ? dynamicFilteringWait : partitionFilterWait;
        return new MeshSplitSource(scan.files(), scan.resources(), dynamicFilter, !rowFiltered, wait, maxSplitSize);
    }
}
