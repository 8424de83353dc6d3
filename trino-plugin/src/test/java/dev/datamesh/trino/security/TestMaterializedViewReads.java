package dev.datamesh.trino.security;

import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query that reads the mesh creates no materialized view, and one that refreshes a view reads
 * no mesh table, whichever Trino checks first; other queries are not concerned.
 */
final class TestMaterializedViewReads
{
    private static final CatalogSchemaTableName ORDERS = new CatalogSchemaTableName("mesh", "sales", "orders");
    private static final CatalogSchemaTableName VIEW = new CatalogSchemaTableName("memory", "default", "mv");
    private static final String DENIAL = "materialized view memory.default.mv cannot read mesh.sales.orders: its storage table would keep the rows and columns the refreshing user may read, in clear, for every reader of the view; query the mesh table, or a view with SECURITY INVOKER";

    @Test
    void testCreatedOverTheMesh()
    {
        MaterializedViewReads reads = new MaterializedViewReads();
        QueryId creating = QueryId.valueOf("q1");
        assertThat(reads.creationDenial(creating, VIEW)).isEmpty();
        assertThat(reads.read(creating, ORDERS)).isEmpty();
        assertThat(reads.creationDenial(creating, VIEW)).contains(DENIAL);
        assertThat(reads.creationDenial(QueryId.valueOf("q2"), VIEW)).isEmpty();
    }

    @Test
    void testRefreshedOverTheMesh()
    {
        MaterializedViewReads reads = new MaterializedViewReads();
        QueryId refreshing = QueryId.valueOf("q1");
        reads.refreshing(refreshing, VIEW);
        assertThat(reads.read(refreshing, ORDERS)).contains(DENIAL);
        assertThat(reads.read(QueryId.valueOf("q2"), ORDERS)).isEmpty();
    }
}
