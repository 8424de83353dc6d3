package dev.datamesh.trino.statistics;

import com.google.inject.Inject;
import dev.datamesh.trino.MeshColumn;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.MeshFormat;
import dev.datamesh.trino.MeshFormats;
import dev.datamesh.trino.MeshTable;
import dev.datamesh.trino.MeshTableHandle;
import dev.datamesh.trino.ReadGate;
import dev.datamesh.trino.RowFilteredTables;
import io.airlift.log.Logger;
import io.trino.spi.TrinoException;
import io.trino.spi.catalog.CatalogName;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ConnectorAnalyzeMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.statistics.ColumnStatistics;
import io.trino.spi.statistics.ComputedStatistics;
import io.trino.spi.statistics.DoubleRange;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static com.google.common.collect.MoreCollectors.onlyElement;
import static io.trino.spi.StandardErrorCode.NOT_SUPPORTED;
import static java.util.Objects.requireNonNull;

/**
 * Statistics the file metadata does not give (distinct values, the sizes of strings, and row
 * counts where files do not say), computed by ANALYZE and kept in the {@link StatisticsStore},
 * and what of all statistics a query's user is shown: none for a table the user reads under a row
 * filter, none of a column the user reads masked, since they would describe what is hidden.
 */
public class MeshStatistics
{
    private static final Logger log = Logger.get(MeshStatistics.class);

    private final StatisticsStore store;
    private final MeshFormats formats;
    private final ReadGate readGate;
    private final RowFilteredTables rowFilteredTables;
    private final String catalogName;
    private final Clock clock;

    @Inject
    public MeshStatistics(StatisticsStore store, MeshFormats formats, ReadGate readGate, RowFilteredTables rowFilteredTables, CatalogName catalogName, Clock clock)
    {
        this.store = requireNonNull(store, "store is null");
        this.formats = requireNonNull(formats, "formats is null");
        this.readGate = requireNonNull(readGate, "readGate is null");
        this.rowFilteredTables = requireNonNull(rowFilteredTables, "rowFilteredTables is null");
        this.catalogName = catalogName.toString();
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * What ANALYZE computes for the table, once the catalog keeps statistics and the session's
     * user may compute them. Trino reads the table with the handle given, through the split
     * manager and page sources, every row and column, without the user's masks and row filters.
     */
    public ConnectorAnalyzeMetadata analyzeMetadata(ConnectorSession session, MeshTable table, MeshTableHandle handle)
    {
        store.checkConfigured(handle.schemaTableName());
        readGate.checkCanComputeStatistics(session, catalogName, handle.schemaTableName(), columnNames(table));
        // only an Iceberg table exists without data (MeshFormat.neverWritten): the message names it
        if (formats.of(table.asset()).neverWritten(handle)) {
            throw new TrinoException(NOT_SUPPORTED, "Cannot analyze %s.%s: its Iceberg table has no snapshot yet, so there is nothing to compute statistics of".formatted(catalogName, handle.schemaTableName()));
        }
        return new ConnectorAnalyzeMetadata(handle, CollectedStatistics.metadata(columns(table)));
    }

    public MeshAnalyzeHandle beginAnalyze(ConnectorSession session, MeshTable table, MeshTableHandle handle)
    {
        return new MeshAnalyzeHandle(handle, identity(session, table, handle).orElseThrow(), columns(table));
    }

    public void finishAnalyze(ConnectorSession session, MeshAnalyzeHandle handle, Collection<ComputedStatistics> computed)
    {
        ComputedStatistics statistics = computed.stream().collect(onlyElement());
        store.write(handle.table().schemaTableName(), new StoredStatistics(
                handle.table().schemaTableName().toString(),
                handle.identity(),
                clock.instant(),
                session.getUser(),
                CollectedStatistics.rowCount(statistics),
                CollectedStatistics.columns(handle.columns(), statistics)));
    }

    /**
     * The statistics of the table as the handle reads it, shown to the session's user: those from
     * the file metadata, with the stored ones for the data it reads, and without what would
     * describe rows or values hidden from the user.
     *
     * @param fromMetadata what the data's own metadata says of the rows the handle reads
     */
    public TableStatistics withStored(ConnectorSession session, MeshTable table, MeshTableHandle handle, TableStatistics fromMetadata)
    {
        if (rowFilteredTables.isFiltered(session.getQueryId(), catalogName, handle.schemaTableName())) {
            return TableStatistics.empty();
        }
        TableStatistics statistics = store.read(handle.schemaTableName())
                .filter(stored -> describes(session, stored, table, handle))
                .map(stored -> overlay(stored, table, handle, fromMetadata))
                .orElse(fromMetadata);
        Set<String> hidden = readGate.hiddenColumns(session, catalogName, handle.schemaTableName(), columnNames(table));
        if (hidden.isEmpty()) {
            return statistics;
        }
        TableStatistics.Builder shown = TableStatistics.builder().setRowCount(statistics.getRowCount());
        statistics.getColumnStatistics().forEach((column, columnStatistics) -> {
            if (!hidden.contains(((MeshColumnHandle) column).name())) {
                shown.setColumnStatistics(column, columnStatistics);
            }
        });
        return shown.build();
    }

    private boolean describes(ConnectorSession session, StoredStatistics stored, MeshTable table, MeshTableHandle handle)
    {
        try {
            return identity(session, table, handle).map(stored.identity()::equals).orElse(false);
        }
        catch (RuntimeException e) {
            // statistics only help planning: a query must not fail for want of them
            log.warn(e, "Not using the stored statistics of %s.%s: the identity of the data read cannot be told", catalogName, handle.schemaTableName());
            return false;
        }
    }

    /**
     * The identity of the data the handle reads; none for a table never written.
     */
    private Optional<DataIdentity> identity(ConnectorSession session, MeshTable table, MeshTableHandle handle)
    {
        MeshFormat format = formats.of(table.asset());
        if (format.neverWritten(handle)) {
            return Optional.empty();
        }
        return Optional.of(format.dataIdentity(session, table.asset(), handle));
    }

    /**
     * The stored statistics describe the whole table; the handle may read part of it (a partition
     * constraint), whose row count the file metadata then gives: distinct values are capped by
     * it, sizes scaled to it; counts the file metadata gives are its own.
     */
    private static TableStatistics overlay(StoredStatistics stored, MeshTable table, MeshTableHandle handle, TableStatistics fromMetadata)
    {
        boolean wholeTable = handle.partitionConstraint().isAll() && handle.dataConstraint().isAll();
        Estimate rowCount = fromMetadata.getRowCount();
        if (rowCount.isUnknown() && wholeTable) {
            rowCount = Estimate.of(stored.rowCount());
        }
        OptionalDouble share;
        if (wholeTable) {
            share = OptionalDouble.of(1);
        }
        else if (rowCount.isUnknown() || stored.rowCount() == 0) {
            share = OptionalDouble.empty();
        }
        else {
            share = OptionalDouble.of(Math.min(1, rowCount.getValue() / stored.rowCount()));
        }

        TableStatistics.Builder merged = TableStatistics.builder().setRowCount(rowCount);
        Map<ColumnHandle, ColumnStatistics> metadataColumns = fromMetadata.getColumnStatistics();
        for (MeshColumn column : table.columns()) {
            MeshColumnHandle columnHandle = column.handle();
            ColumnStatistics base = metadataColumns.getOrDefault(columnHandle, ColumnStatistics.empty());
            // by name and type: a column renamed, retyped or added since ANALYZE has no stored statistics
            Optional<StoredStatistics.Column> storedColumn = Optional.ofNullable(stored.columns().get(columnHandle.name()))
                    .filter(candidate -> candidate.type().equals(columnHandle.type().getDisplayName()));
            if (storedColumn.isPresent()) {
                merged.setColumnStatistics(columnHandle, overlay(storedColumn.orElseThrow(), stored.rowCount(), base, rowCount, share));
            }
            else if (metadataColumns.containsKey(columnHandle)) {
                merged.setColumnStatistics(columnHandle, base);
            }
        }
        return merged.build();
    }

    /**
     * @param share the part of the whole table's rows the handle reads, when known
     */
    private static ColumnStatistics overlay(StoredStatistics.Column stored, long storedRows, ColumnStatistics base, Estimate rowCount, OptionalDouble share)
    {
        ColumnStatistics.Builder merged = ColumnStatistics.builder()
                .setNullsFraction(base.getNullsFraction())
                .setDistinctValuesCount(base.getDistinctValuesCount())
                .setDataSize(base.getDataSize())
                .setRange(base.getRange());
        if (stored.distinctValuesCount().isPresent()) {
            double distinct = stored.distinctValuesCount().getAsLong();
            merged.setDistinctValuesCount(Estimate.of(rowCount.isUnknown() ? distinct : Math.min(distinct, rowCount.getValue())));
        }
        if (stored.dataSize().isPresent() && share.isPresent()) {
            merged.setDataSize(Estimate.of(stored.dataSize().getAsLong() * share.getAsDouble()));
        }
        if (base.getNullsFraction().isUnknown() && stored.nonNullCount().isPresent() && storedRows > 0) {
            merged.setNullsFraction(Estimate.of(1 - (double) stored.nonNullCount().getAsLong() / storedRows));
        }
        if (base.getRange().isEmpty() && stored.min().isPresent()) {
            merged.setRange(new DoubleRange(stored.min().getAsDouble(), stored.max().getAsDouble()));
        }
        return merged.build();
    }

    private static List<MeshColumnHandle> columns(MeshTable table)
    {
        return table.columns().stream().map(MeshColumn::handle).collect(toImmutableList());
    }

    private static Set<String> columnNames(MeshTable table)
    {
        return table.columns().stream().map(column -> column.handle().name()).collect(toImmutableSet());
    }
}
