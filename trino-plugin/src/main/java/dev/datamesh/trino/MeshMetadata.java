package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.statistics.MeshAnalyzeHandle;
import dev.datamesh.trino.statistics.MeshStatistics;
import dev.datamesh.trino.statistics.MetadataStatistics;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorAnalyzeMetadata;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.ConstraintApplicationResult;
import io.trino.spi.connector.RelationColumnsMetadata;
import io.trino.spi.connector.RelationCommentMetadata;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.statistics.ComputedStatistics;
import io.trino.spi.statistics.TableStatistics;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static dev.datamesh.trino.MeshErrorCode.MESH_ASSET_UNAVAILABLE;
import static io.trino.spi.StandardErrorCode.NOT_SUPPORTED;
import static java.util.Objects.requireNonNull;

/**
 * Metadata of one transaction. Trino asks for it once per transaction, so the tables it resolves
 * are kept for the transaction: a query resolves each asset once and sees one version of it.
 */
public class MeshMetadata
        implements ConnectorMetadata
{
    private final Function<String, MeshRegistry> registries;
    private final BiFunction<String, SchemaTableName, Optional<List<String>>> rowFilters;
    private final BiConsumer<ConnectorSession, SchemaTableName> readCheck;
    private final MeshTableResolver tableResolver;
    private final MeshFormats formats;
    private final MetadataStatistics tableStatistics;
    private final MetadataListing listing;
    private final MeshStatistics statistics;
    private final Map<TableVersionKey, MeshTable> resolvedTables = new ConcurrentHashMap<>();

    /**
     * Trino keeps one metadata for a whole transaction, whose statements are queries of their own:
     * each call takes the registry and the row filters of the query it serves, the ones that
     * query's governance and splits take.
     *
     * @param registries the registry of a query, by query id
     * @param rowFilters the SQL of the row filters a query, by id, reads the table under; none without
     * @param readCheck denies a table to the session's user who may not read it
     */
    public MeshMetadata(Function<String, MeshRegistry> registries, MeshTableResolver tableResolver, MeshFormats formats, MetadataStatistics tableStatistics, MetadataListing listing, MeshStatistics statistics, BiFunction<String, SchemaTableName, Optional<List<String>>> rowFilters, BiConsumer<ConnectorSession, SchemaTableName> readCheck)
    {
        this.statistics = requireNonNull(statistics, "statistics is null");
        this.readCheck = requireNonNull(readCheck, "readCheck is null");
        this.rowFilters = requireNonNull(rowFilters, "rowFilters is null");
        this.tableStatistics = requireNonNull(tableStatistics, "tableStatistics is null");
        this.listing = requireNonNull(listing, "listing is null");
        this.registries = requireNonNull(registries, "registries is null");
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
        this.formats = requireNonNull(formats, "formats is null");
    }

    @Override
    public List<String> listSchemaNames(ConnectorSession session)
    {
        return ImmutableList.copyOf(registry(session).schemaNames());
    }

    @Override
    public boolean schemaExists(ConnectorSession session, String schemaName)
    {
        return registry(session).schemaNames().contains(schemaName);
    }

    @Override
    public ConnectorTableHandle getTableHandle(ConnectorSession session, SchemaTableName tableName, Optional<ConnectorTableVersion> startVersion, Optional<ConnectorTableVersion> endVersion)
    {
        Optional<RegisteredAsset> asset = registry(session).asset(tableName.getSchemaName(), tableName.getTableName());
        if (asset.isEmpty()) {
            return null;
        }
        // denied before anything of the table is read: its versions, its files, its failures
        readCheck.accept(session, tableName);
        if (startVersion.isPresent()) {
            throw new TrinoException(NOT_SUPPORTED, "Table %s has no change feed to read between versions".formatted(tableName));
        }
        TableVersion version = endVersion.map(requested -> formats.of(asset.orElseThrow()).tableVersion(asset.orElseThrow(), requested)).orElse(TableVersion.LATEST);
        return resolve(session, asset.orElseThrow(), version).handle();
    }

    @Override
    public ConnectorTableMetadata getTableMetadata(ConnectorSession session, ConnectorTableHandle table)
    {
        return resolve(session, (MeshTableHandle) table).metadata();
    }

    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, Optional<String> schemaName)
    {
        MeshRegistry registry = registry(session);
        return schemaNames(registry, schemaName).stream()
                .flatMap(schema -> registry.assets(schema).stream())
                .map(asset -> new SchemaTableName(asset.schemaName(), asset.tableName()))
                .collect(toImmutableList());
    }

    @Override
    public Map<String, ColumnHandle> getColumnHandles(ConnectorSession session, ConnectorTableHandle tableHandle)
    {
        return resolve(session, (MeshTableHandle) tableHandle).columns().stream()
                .collect(toImmutableMap(column -> column.handle().name(), MeshColumn::handle));
    }

    @Override
    public ColumnMetadata getColumnMetadata(ConnectorSession session, ConnectorTableHandle tableHandle, ColumnHandle columnHandle)
    {
        MeshColumnHandle handle = (MeshColumnHandle) columnHandle;
        return resolve(session, (MeshTableHandle) tableHandle).columns().stream()
                .filter(column -> column.handle().equals(handle))
                .findFirst()
                .map(MeshColumn::metadata)
                .orElseGet(() -> handle.toColumnMetadata(null));
    }

    @Override
    public Iterator<RelationColumnsMetadata> streamRelationColumns(ConnectorSession session, Optional<String> schemaName, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        return listedTables(session, schemaName, relationFilter).stream()
                .map(table -> RelationColumnsMetadata.forTable(table.schemaTableName(), table.metadata().getColumns()))
                .iterator();
    }

    @Override
    public Iterator<RelationCommentMetadata> streamRelationComments(ConnectorSession session, Optional<String> schemaName, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        return listedTables(session, schemaName, relationFilter).stream()
                .map(table -> RelationCommentMetadata.forRelation(table.schemaTableName(), table.metadata().getComment()))
                .iterator();
    }

    @Override
    public Optional<ConstraintApplicationResult<ConnectorTableHandle>> applyFilter(ConnectorSession session, ConnectorTableHandle handle, Constraint constraint)
    {
        MeshTableHandle table = (MeshTableHandle) handle;
        // under a row filter the predicate holds the user's own conditions: pruning by them would
        // make what the scan reads (rows, files, partitions) answer questions about hidden rows
        Optional<List<String>> filters = rowFilters.apply(session.getQueryId(), table.schemaTableName());
        if (filters.isPresent()) {
            return pruneByRowFilters(session, table, filters.orElseThrow(), constraint);
        }
        TupleDomain<MeshColumnHandle> summary = constraint.getSummary().transformKeys(MeshColumnHandle.class::cast);
        if (summary.isNone()) {
            TupleDomain<MeshColumnHandle> none = TupleDomain.none();
            MeshTableHandle empty = table.withConstraints(none, none);
            return empty.equals(table) ? Optional.empty() : Optional.of(new ConstraintApplicationResult<>(empty, TupleDomain.all(), constraint.getExpression(), false));
        }
        Map<MeshColumnHandle, Domain> domains = summary.getDomains().orElseThrow();
        TupleDomain<MeshColumnHandle> partitionConstraint = TupleDomain.withColumnDomains(domains.entrySet().stream()
                .filter(entry -> entry.getKey().partitionKey())
                .collect(toImmutableMap(Map.Entry::getKey, Map.Entry::getValue)));
        TupleDomain<MeshColumnHandle> dataConstraint = TupleDomain.withColumnDomains(domains.entrySet().stream()
                .filter(entry -> !entry.getKey().partitionKey())
                .collect(toImmutableMap(Map.Entry::getKey, Map.Entry::getValue)));

        MeshTableHandle narrowed = table.withConstraints(
                table.partitionConstraint().intersect(partitionConstraint),
                table.dataConstraint().intersect(dataConstraint));
        if (narrowed.equals(table)) {
            return Optional.empty();
        }
        // partition keys are pruned exactly by split generation; data columns only skip row groups
        return Optional.of(new ConstraintApplicationResult<>(narrowed, dataConstraint.transformKeys(ColumnHandle.class::cast), constraint.getExpression(), false));
    }

    private Optional<ConstraintApplicationResult<ConnectorTableHandle>> pruneByRowFilters(ConnectorSession session, MeshTableHandle table, List<String> filters, Constraint constraint)
    {
        TupleDomain<MeshColumnHandle> filtered = RowFilterPruning.domain(filters, resolve(session, table).columns().stream().map(MeshColumn::handle).toList());
        MeshTableHandle narrowed = table.withConstraints(
                table.partitionConstraint().intersect(filtered.filter((column, _) -> column.partitionKey())),
                table.dataConstraint().intersect(filtered.filter((column, _) -> !column.partitionKey())));
        if (narrowed.equals(table)) {
            return Optional.empty();
        }
        // the engine still applies all of the query's predicate: none of it is enforced here
        return Optional.of(new ConstraintApplicationResult<>(narrowed, constraint.getSummary(), constraint.getExpression(), false));
    }

    @Override
    public TableStatistics getTableStatistics(ConnectorSession session, ConnectorTableHandle tableHandle)
    {
        MeshTableHandle table = (MeshTableHandle) tableHandle;
        return statistics.withStored(session, resolve(session, table), table, statisticsFromMetadata(session, table));
    }

    private TableStatistics statisticsFromMetadata(ConnectorSession session, MeshTableHandle table)
    {
        if (rowFilters.apply(session.getQueryId(), table.schemaTableName()).isPresent()) {
            return TableStatistics.empty();
        }
        return tableStatistics.statistics(session, resolve(session, table), table);
    }

    @Override
    public ConnectorAnalyzeMetadata getStatisticsCollectionMetadata(ConnectorSession session, ConnectorTableHandle tableHandle, Map<String, Object> analyzeProperties)
    {
        MeshTableHandle table = (MeshTableHandle) tableHandle;
        return statistics.analyzeMetadata(session, resolve(session, table), table);
    }

    @Override
    public ConnectorTableHandle beginStatisticsCollection(ConnectorSession session, ConnectorTableHandle tableHandle)
    {
        MeshTableHandle table = (MeshTableHandle) tableHandle;
        return statistics.beginAnalyze(session, resolve(session, table), table);
    }

    @Override
    public void finishStatisticsCollection(ConnectorSession session, ConnectorTableHandle tableHandle, Collection<ComputedStatistics> computedStatistics)
    {
        statistics.finishAnalyze(session, (MeshAnalyzeHandle) tableHandle, computedStatistics);
    }

    private MeshTable resolve(ConnectorSession session, MeshTableHandle handle)
    {
        RegisteredAsset asset = registry(session).asset(handle.schemaName(), handle.tableName())
                .orElseThrow(() -> new TrinoException(MESH_ASSET_UNAVAILABLE, "Table %s is no longer in the mesh".formatted(handle.schemaTableName())));
        if (handle.version().isEmpty()) {
            return resolve(session, asset, TableVersion.LATEST, OptionalInt.empty());
        }
        return resolve(session, asset, new TableVersion.AtVersion(handle.version().getAsLong()), handle.schemaId());
    }

    private MeshTable resolve(ConnectorSession session, RegisteredAsset asset, TableVersion version)
    {
        return resolve(session, asset, version, OptionalInt.empty());
    }

    /**
     * @param schemaId the Iceberg schema to resolve with; empty for the one the version has
     */
    private MeshTable resolve(ConnectorSession session, RegisteredAsset asset, TableVersion version, OptionalInt schemaId)
    {
        TableVersionKey key = new TableVersionKey(asset, version, schemaId);
        MeshTable table = resolvedTables.get(key);
        if (table == null) {
            // not computeIfAbsent: resolving reads files, and a failure must not be remembered
            resolvedTables.putIfAbsent(key, tableResolver.resolve(session, asset, version, schemaId));
            MeshTable resolved = resolvedTables.get(key);
            // a version, once resolved, is also that numbered version with that schema: what its handle asks for
            resolved.version().ifPresent(number -> resolvedTables.putIfAbsent(new TableVersionKey(key.asset(), new TableVersion.AtVersion(number), resolved.schemaId()), resolved));
            table = resolved;
        }
        return table;
    }

    // by asset, not name: statements of one transaction may be served by different registries
    private record TableVersionKey(RegisteredAsset asset, TableVersion version, OptionalInt schemaId) {}

    private List<MeshTable> listedTables(ConnectorSession session, Optional<String> schemaName, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        return listing.read(visibleAssets(registry(session), schemaName, relationFilter), asset -> resolve(session, asset, TableVersion.LATEST));
    }

    private List<RegisteredAsset> visibleAssets(MeshRegistry registry, Optional<String> schemaName, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        Map<SchemaTableName, RegisteredAsset> assets = schemaNames(registry, schemaName).stream()
                .flatMap(schema -> registry.assets(schema).stream())
                .collect(toImmutableMap(asset -> new SchemaTableName(asset.schemaName(), asset.tableName()), asset -> asset));
        Set<SchemaTableName> visible = relationFilter.apply(assets.keySet());
        return assets.entrySet().stream()
                .filter(entry -> visible.contains(entry.getKey()))
                .map(Map.Entry::getValue)
                .collect(toImmutableList());
    }

    private MeshRegistry registry(ConnectorSession session)
    {
        return registries.apply(session.getQueryId());
    }

    private static Set<String> schemaNames(MeshRegistry registry, Optional<String> schemaName)
    {
        return schemaName
                .map(name -> registry.schemaNames().contains(name) ? Set.of(name) : Set.<String>of())
                .orElseGet(registry::schemaNames)
                .stream()
                .collect(toImmutableSet());
    }
}
