package dev.datamesh.trino;

import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.connector.ConnectorSession;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * What a user may read, asked by the connector before it reads. Trino resolves a table (the
 * version a time-travel clause names, the table's metadata and files) before it asks the access
 * control, so whatever that resolution reads, or fails with, would describe the table to a user
 * who may not read it; and the catalog tables must not make rows for what a user may not see. The
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
}
