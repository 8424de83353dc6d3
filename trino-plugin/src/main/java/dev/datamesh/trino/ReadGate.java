package dev.datamesh.trino;

import com.google.common.collect.ImmutableSet;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.SchemaTableName;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * What a user may read, asked by the connector before it reads. Trino resolves a table (the
 * version a time-travel clause names, the table's metadata and files) before it asks the access
 * control, so whatever that resolution reads, or fails with, would describe the table to a user
 * who may not read it; and the catalog tables must not make rows for what a user may not see.
 * Statistics are the connector's too: it asks who may compute them, which Trino only asks as an
 * insert privilege, and which columns' statistics would describe values a user reads masked. The
 * mesh's access control lends its decisions here; without it, everything is read as it is. One
 * instance per plugin, shared by its connectors and access control.
 */
public final class ReadGate
{
    /**
     * Throws Trino's access denial, the one the access control gives the same user for the table.
     */
    public interface Decision
    {
        void checkCanRead(String queryId, String user, Set<String> groups, CatalogSchemaTableName table);

        CatalogVisibility catalogVisibility(String queryId, String user, Set<String> groups, String catalogName);

        /**
         * Throws Trino's access denial, naming the policy, unless the user may compute statistics
         * of the table: ANALYZE reads every row and column as stored, whatever masks and row
         * filters its user's queries get.
         */
        void checkCanComputeStatistics(String queryId, String user, Set<String> groups, CatalogSchemaTableName table, Set<String> columns);

        /**
         * The columns, of those given, whose values the user reads masked, or may not read at all.
         */
        Set<String> hiddenColumns(String queryId, String user, Set<String> groups, CatalogSchemaTableName table, Set<String> columns);
    }

    private final AtomicReference<Optional<Decision>> decision = new AtomicReference<>(Optional.empty());

    public void decideWith(Decision decision)
    {
        this.decision.set(Optional.of(requireNonNull(decision, "decision is null")));
    }

    public CatalogVisibility catalogVisibility(ConnectorSession session, String catalogName)
    {
        return decision.get()
                .map(gate -> gate.catalogVisibility(session.getQueryId(), session.getIdentity().getUser(), session.getIdentity().getGroups(), catalogName))
                .orElse(CatalogVisibility.EVERYTHING);
    }

    public void checkCanRead(ConnectorSession session, String catalogName, String schemaName, String tableName)
    {
        decision.get().ifPresent(gate -> gate.checkCanRead(
                session.getQueryId(),
                session.getIdentity().getUser(),
                session.getIdentity().getGroups(),
                new CatalogSchemaTableName(catalogName, schemaName, tableName)));
    }

    public void checkCanComputeStatistics(ConnectorSession session, String catalogName, SchemaTableName table, Set<String> columns)
    {
        decision.get().ifPresent(gate -> gate.checkCanComputeStatistics(
                session.getQueryId(),
                session.getIdentity().getUser(),
                session.getIdentity().getGroups(),
                new CatalogSchemaTableName(catalogName, table),
                columns));
    }

    public Set<String> hiddenColumns(ConnectorSession session, String catalogName, SchemaTableName table, Set<String> columns)
    {
        return decision.get()
                .map(gate -> gate.hiddenColumns(
                        session.getQueryId(),
                        session.getIdentity().getUser(),
                        session.getIdentity().getGroups(),
                        new CatalogSchemaTableName(catalogName, table),
                        columns))
                .orElseGet(ImmutableSet::of);
    }
}
