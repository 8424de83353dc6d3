package dev.datamesh.trino.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.airlift.log.Logger;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.security.SystemSecurityContext;

import java.time.Duration;
import java.time.Instant;
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
 * <p>
 * With an audit log, the first decision for a query also writes its {@code started} line, before
 * the decision is returned: the access control decides before a query reads or lists anything, so
 * a coordinator killed at any moment leaves a line for every query whose result reached its client,
 * even when it dies between the query's end and its completed line.
 */
public final class AuditTrail
{
    private static final Logger log = Logger.get(AuditTrail.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean recording;
    private final Optional<AuditLog> startedLines;
    // a query that never completes (a coordinator failure) must not keep its record forever
    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<QueryId, QueryRecord> queries = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(6))
            .maximumSize(100_000)
            .build();

    /**
     * A trail that writes no line itself, the listener writing each query's at its end.
     */
    public AuditTrail()
    {
        this(true, Optional.empty());
    }

    /**
     * A trail that writes each query's started line to the log as governance first decides for it.
     */
    public AuditTrail(AuditLog auditLog)
    {
        this(true, Optional.of(auditLog));
    }

    private AuditTrail(boolean recording, Optional<AuditLog> startedLines)
    {
        this.recording = recording;
        this.startedLines = requireNonNull(startedLines, "startedLines is null");
    }

    /**
     * A trail that keeps nothing, for a server without an audit file.
     */
    public static AuditTrail notRecording()
    {
        return new AuditTrail(false, Optional.empty());
    }

    /**
     * Notes the roles the query is decided with: those of the policy it first met, which a
     * reload before it completes does not change.
     */
    public void recordRoles(SystemSecurityContext context, Set<String> roles)
    {
        if (!recording) {
            return;
        }
        QueryRecord record = record(context);
        synchronized (record) {
            if (record.roles.isEmpty()) {
                record.roles = Optional.of(ImmutableSet.copyOf(roles));
            }
        }
    }

    public void recordTable(SystemSecurityContext context, CatalogSchemaTableName table, String product, String domain, List<String> rowFilterRules)
    {
        if (!recording) {
            return;
        }
        QueryRecord record = record(context);
        synchronized (record) {
            record.tables.computeIfAbsent(table, _ -> new TableRecord(product, domain)).rowFilterRules.addAll(rowFilterRules);
        }
    }

    public void recordMask(SystemSecurityContext context, CatalogSchemaTableName table, String product, String domain, String column, String rule)
    {
        if (!recording) {
            return;
        }
        QueryRecord record = record(context);
        synchronized (record) {
            record.tables.computeIfAbsent(table, _ -> new TableRecord(product, domain)).maskRules.put(column, rule);
        }
    }

    /**
     * Notes that the query looked at the mesh (listed schemas, tables or columns).
     */
    public void touch(SystemSecurityContext context)
    {
        if (!recording) {
            return;
        }
        record(context);
    }

    public void recordDenial(SystemSecurityContext context, String reason)
    {
        if (!recording) {
            return;
        }
        QueryRecord record = record(context);
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

    private QueryRecord record(SystemSecurityContext context)
    {
        QueryId queryId = requireNonNull(context.getQueryId(), "queryId is null");
        try {
            // written while the record is made: the query's other decisions wait for it
            return queries.get(queryId, () -> {
                startedLines.ifPresent(auditLog -> writeStarted(auditLog, context));
                return new QueryRecord();
            });
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeStarted(AuditLog auditLog, SystemSecurityContext context)
    {
        ObjectNode line = JSON.createObjectNode();
        line.put("query_id", context.getQueryId().toString());
        line.put("event", "started");
        line.put("user", context.getIdentity().getUser());
        line.put("time", Instant.now().toString());
        try {
            auditLog.append(line.toString());
        }
        catch (RuntimeException e) {
            // as for completed lines: operators must see it, the query goes on
            log.error(e, "Cannot write the started audit line of query %s", context.getQueryId());
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
