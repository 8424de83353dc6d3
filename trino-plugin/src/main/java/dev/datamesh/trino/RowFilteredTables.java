package dev.datamesh.trino;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.trino.spi.connector.SchemaTableName;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * The mesh tables each query reads under a row filter, noted by the access control as it hands
 * Trino the filters, before the query is planned. The connector then withholds their statistics:
 * the whole table's value ranges and counts would describe rows the filter hides (SHOW STATS, the
 * plans EXPLAIN prints). One instance per plugin, shared by its connectors and access control.
 */
public final class RowFilteredTables
{
    private record QueryCatalog(String queryId, String catalogName) {}

    // a query that never completes must not keep its notes forever
    private final Cache<QueryCatalog, Set<SchemaTableName>> tables = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(6))
            .maximumSize(100_000)
            .build();

    public void record(String queryId, String catalogName, SchemaTableName table)
    {
        requireNonNull(table, "table is null");
        try {
            tables.get(new QueryCatalog(queryId, catalogName), ConcurrentHashMap::newKeySet).add(table);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public boolean isFiltered(String queryId, String catalogName, SchemaTableName table)
    {
        Set<SchemaTableName> filtered = tables.getIfPresent(new QueryCatalog(queryId, catalogName));
        return filtered != null && filtered.contains(table);
    }
}
