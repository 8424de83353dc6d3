package dev.datamesh.trino.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlift.log.Logger;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.eventlistener.ColumnInfo;
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.eventlistener.QueryCompletedEvent;
import io.trino.spi.eventlistener.QueryContext;
import io.trino.spi.eventlistener.TableInfo;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import static io.trino.spi.StandardErrorCode.PERMISSION_DENIED;
import static java.util.Objects.requireNonNull;

/**
 * Writes one JSON line per completed query that concerns the mesh: who ran it (user, groups,
 * roles), what it read (tables, their data products, columns), what governance did to it (masks,
 * row filters and their rules, denials), how it ended and why, and when. A query concerns the mesh
 * when governance decided anything for it on a mesh catalog, when it read a mesh table, when its
 * text names a mesh catalog or it failed in a session on one (so queries that fail before Trino
 * knows their tables are kept too), and when the access control refused it, identities included.
 */
public final class MeshAuditListener
        implements EventListener
{
    private static final Logger log = Logger.get(MeshAuditListener.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditTrail trail;
    private final AuditLog auditLog;
    private final Predicate<String> meshCatalog;
    private final Function<QueryContext, Collection<String>> roles;

    /**
     * @param meshCatalog whether a catalog is governed as the mesh
     * @param roles the roles of a query's user under the policy in force, for a query that governance decided nothing for
     */
    public MeshAuditListener(AuditTrail trail, AuditLog auditLog, Predicate<String> meshCatalog, Function<QueryContext, Collection<String>> roles)
    {
        this.trail = requireNonNull(trail, "trail is null");
        this.auditLog = requireNonNull(auditLog, "auditLog is null");
        this.meshCatalog = requireNonNull(meshCatalog, "meshCatalog is null");
        this.roles = requireNonNull(roles, "roles is null");
    }

    @Override
    public void queryCompleted(QueryCompletedEvent event)
    {
        Optional<QueryGovernance> governance = trail.take(event.getMetadata().getQueryId());
        if (governance.isEmpty() && !concernsMesh(event)) {
            return;
        }
        try {
            auditLog.append(JSON.writeValueAsString(auditLine(event, governance.orElse(QueryGovernance.NONE))));
        }
        catch (JsonProcessingException | RuntimeException e) {
            // an audit line that cannot be written must be seen by operators, not fail the query's completion
            log.error(e, "Cannot write the audit line of query %s", event.getMetadata().getQueryId());
        }
    }

    private boolean concernsMesh(QueryCompletedEvent event)
    {
        return event.getMetadata().getTables().stream().anyMatch(table -> meshCatalog.test(table.getCatalog()))
                || StatementNames.of(event.getMetadata().getQuery()).stream().anyMatch(meshCatalog)
                // EXECUTE names a prepared statement, whose text Trino hands over beside it
                || event.getMetadata().getPreparedQuery().map(StatementNames::of).orElse(Set.of()).stream().anyMatch(meshCatalog)
                || event.getFailureInfo().isPresent() && failureConcernsMesh(event);
    }

    /**
     * A failed query's unqualified names may be the mesh's: a session on a mesh catalog (as
     * jdbc:trino://host/mesh opens) makes its failures the mesh's. A refusal by the access
     * control, identities included, is a decision of the mesh's governance.
     */
    private boolean failureConcernsMesh(QueryCompletedEvent event)
    {
        return event.getContext().getCatalog().filter(meshCatalog).isPresent()
                || event.getFailureInfo().orElseThrow().getErrorCode().getName().equals(PERMISSION_DENIED.name());
    }

    private ObjectNode auditLine(QueryCompletedEvent event, QueryGovernance governance)
    {
        QueryContext context = event.getContext();
        ObjectNode line = JSON.createObjectNode();
        line.put("query_id", event.getMetadata().getQueryId());
        line.put("event", "completed");
        line.put("user", context.getUser());
        if (!context.getOriginalUser().equals(context.getUser())) {
            line.put("original_user", context.getOriginalUser());
        }
        context.getPrincipal().ifPresent(principal -> line.put("principal", principal));
        strings(line.putArray("groups"), context.getGroups().stream().sorted().toList());
        strings(line.putArray("roles"), governance.roles().map(Collection::stream).orElseGet(() -> roles.apply(context).stream()).sorted().toList());
        context.getSource().ifPresent(source -> line.put("source", source));
        line.put("query", event.getMetadata().getQuery());

        Map<CatalogSchemaTableName, TableInfo> tablesRead = new LinkedHashMap<>();
        for (TableInfo table : event.getMetadata().getTables()) {
            if (meshCatalog.test(table.getCatalog())) {
                tablesRead.putIfAbsent(new CatalogSchemaTableName(table.getCatalog(), table.getSchema(), table.getTable()), table);
            }
        }
        ArrayNode tables = line.putArray("tables");
        Map<CatalogSchemaTableName, QueryGovernance.TableGovernance> governed = new LinkedHashMap<>(governance.tables());
        tablesRead.keySet().forEach(name -> governed.putIfAbsent(name, null));
        governed.forEach((name, tableGovernance) -> {
            ObjectNode table = tables.addObject();
            table.put("table", name.toString());
            if (tableGovernance != null) {
                table.put("data_product", tableGovernance.product());
                table.put("domain", tableGovernance.domain());
            }
            TableInfo info = tablesRead.get(name);
            strings(table.putArray("columns"), info == null ? List.of() : info.getColumns().stream().map(ColumnInfo::getColumn).toList());
            ObjectNode masks = table.putObject("masked_columns");
            if (tableGovernance != null) {
                tableGovernance.maskRules().forEach(masks::put);
                strings(table.putArray("row_filters"), tableGovernance.rowFilterRules());
            }
        });

        strings(line.putArray("denials"), governance.denials());
        line.put("outcome", event.getFailureInfo()
                // a denial inside a view fails the query as an invalid view
                .map(failure -> !governance.denials().isEmpty() ? "denied" : failureOutcome(failure.getErrorCode().getName()))
                .orElse("succeeded"));
        event.getFailureInfo().ifPresent(failure -> {
            ObjectNode error = line.putObject("error");
            error.put("code", failure.getErrorCode().getName());
            failure.getFailureMessage().ifPresent(message -> error.put("message", message));
        });
        line.put("created", event.getCreateTime().toString());
        line.put("started", event.getExecutionStartTime().toString());
        line.put("ended", event.getEndTime().toString());
        line.put("wall_time_ms", event.getStatistics().getWallTime().toMillis());
        line.put("output_rows", event.getStatistics().getOutputRows());
        return line;
    }

    private static void strings(ArrayNode array, Collection<String> values)
    {
        values.forEach(array::add);
    }

    @Override
    public void shutdown()
    {
        auditLog.close();
    }

    private static String failureOutcome(String errorCode)
    {
        return switch (errorCode) {
            case "PERMISSION_DENIED" -> "denied";
            // a client that closes its result set before the end cancels the query
            case "USER_CANCELED" -> "canceled";
            default -> "failed";
        };
    }
}
