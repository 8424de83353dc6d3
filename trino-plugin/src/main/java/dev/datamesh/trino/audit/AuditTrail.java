package dev.datamesh.trino.audit;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * What governance decided for each running query: the tables it read as which data products,
 * the masks and row filters put on them, and the denials it met. The access control writes
 * here as it decides; the audit listener takes a query's record when the query completes.
 */
public final class AuditTrail
{
    private final boolean recording;
    // a query that never completes (a coordinator failure) must not keep its record forever
    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<QueryId, QueryRecord> queries = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(6))
            .maximumSize(100_000)
            .build();

    public AuditTrail()
    {
        this(true);
    }

    private AuditTrail(boolean recording)
    {
        this.recording = recording;
    }

    /**
     * A trail that keeps nothing, for a server without an audit file.
     */
    public static AuditTrail notRecording()
    {
        return new AuditTrail(false);
    }

    /**
     * Notes the roles the query is decided with: those of the policy it first met, which a
     * reload before it completes does not change.
     */
    public void recordRoles(QueryId queryId, Set<String> roles)
    {
        if (!recording) {
            return;
        }
        QueryRecord record = record(queryId);
        synchronized (record) {
            if (record.roles.isEmpty()) {
                record.roles = Optional.of(ImmutableSet.copyOf(roles));
            }
        }
    }

    public void recordTable(QueryId queryId, CatalogSchemaTableName table, String product, String domain, List<String> rowFilterRules)
    {
        if (!recording) {
            return;
        }
        QueryRecord record = record(queryId);
        synchronized (record) {
            record.tables.computeIfAbsent(table, _ -> new TableRecord(product, domain)).rowFilterRules.addAll(rowFilterRules);
        }
    }

    public void recordMask(QueryId queryId, CatalogSchemaTableName table, String product, String domain, String column, String rule)
    {
        if (!recording) {
            return;
        }
        QueryRecord record = record(queryId);
        synchronized (record) {
            record.tables.computeIfAbsent(table, _ -> new TableRecord(product, domain)).maskRules.put(column, rule);
        }
    }

    /**
     * Notes that the query looked at the mesh (listed schemas, tables or columns).
     */
    public void touch(QueryId queryId)
    {
        if (!recording) {
            return;
        }
        record(queryId);
    }

    public void recordDenial(QueryId queryId, String reason)
    {
        if (!recording) {
            return;
        }
        QueryRecord record = record(queryId);
        synchronized (record) {
            record.denials.add(reason);
        }
    }

    /**
     * The query's record, removed from the trail; empty when governance decided nothing for it.
     */
    public Optional<QueryGovernance> take(String queryId)
    {
        QueryId id = QueryId.valueOf(queryId);
        QueryRecord record = queries.getIfPresent(id);
        if (record == null) {
            return Optional.empty();
        }
        queries.invalidate(id);
        synchronized (record) {
            ImmutableMap.Builder<CatalogSchemaTableName, QueryGovernance.TableGovernance> tables = ImmutableMap.builder();
            record.tables.forEach((table, tableRecord) -> tables.put(table, new QueryGovernance.TableGovernance(
                    tableRecord.product,
                    tableRecord.domain,
                    ImmutableMap.copyOf(tableRecord.maskRules),
                    ImmutableList.copyOf(tableRecord.rowFilterRules))));
            return Optional.of(new QueryGovernance(record.roles, tables.buildOrThrow(), ImmutableList.copyOf(record.denials)));
        }
    }

    private QueryRecord record(QueryId queryId)
    {
        requireNonNull(queryId, "queryId is null");
        try {
            return queries.get(queryId, QueryRecord::new);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class QueryRecord
    {
        private final Map<CatalogSchemaTableName, TableRecord> tables = new LinkedHashMap<>();
        private final Set<String> denials = new LinkedHashSet<>();
        private Optional<Set<String>> roles = Optional.empty();
    }

    private static final class TableRecord
    {
        private final String product;
        private final String domain;
        private final Map<String, String> maskRules = new LinkedHashMap<>();
        private final Set<String> rowFilterRules = new LinkedHashSet<>();

        private TableRecord(String product, String domain)
        {
            this.product = product;
            this.domain = domain;
        }
    }
}
