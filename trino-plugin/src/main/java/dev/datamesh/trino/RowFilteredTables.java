package dev.datamesh.trino;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import io.trino.spi.connector.SchemaTableName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * The mesh tables each query reads under a row filter, with the filters' SQL, noted by the access
 * control as it hands Trino the filters, before the query is planned. The connector then withholds
 * their statistics (the whole table's value ranges and counts would describe rows the filter
 * hides) and prunes their reads by the filters alone, never by the query's own predicates. One
 * instance per plugin, shared by its connectors and access control.
 */
public final class RowFilteredTables
{
    private record QueryCatalog(String queryId, String catalogName) {}

    // a query that never completes must not keep its notes forever
    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<QueryCatalog, Map<SchemaTableName, List<String>>> tables = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(6))
            .maximumSize(100_000)
            .build();

    public void record(String queryId, String catalogName, SchemaTableName table, List<String> filters)
    {
        requireNonNull(table, "table is null");
        try {
            tables.get(new QueryCatalog(queryId, catalogName), ConcurrentHashMap::new).put(table, ImmutableList.copyOf(filters));
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The SQL of the row filters the query reads the table under, all of which apply; none when
     * the query reads the table without a row filter.
     */
    public Optional<List<String>> filters(String queryId, String catalogName, SchemaTableName table)
    {
        return Optional.ofNullable(tables.getIfPresent(new QueryCatalog(queryId, catalogName))).map(filtered -> filtered.get(table));
    }

    public boolean isFiltered(String queryId, String catalogName, SchemaTableName table)
    {
        return filters(queryId, catalogName, table).isPresent();
    }
}
