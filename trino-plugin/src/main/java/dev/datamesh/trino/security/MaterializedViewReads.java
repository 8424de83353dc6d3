package dev.datamesh.trino.security;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The mesh tables each query reads and the materialized view it refreshes, so that no storage
 * table of a materialized view keeps the mesh's rows (see MeshAccessControl's materialized view
 * checks). Trino checks the query of a view it creates before the view, and a view it refreshes
 * before the view's query: each side is remembered for the query until the other is checked.
 */
final class MaterializedViewReads
{
    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<QueryId, Set<CatalogSchemaTableName>> meshTablesRead = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .maximumSize(100_000)
            .build();
    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<QueryId, CatalogSchemaTableName> refreshes = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .maximumSize(100_000)
            .build();

    /**
     * Notes a mesh table the query reads; the denial, instead, when the query refreshes a
     * materialized view that would store its rows.
     */
    Optional<String> read(QueryId queryId, CatalogSchemaTableName table)
    {
        CatalogSchemaTableName refreshed = refreshes.getIfPresent(queryId);
        if (refreshed != null) {
            return Optional.of(denial(refreshed, table));
        }
        try {
            meshTablesRead.get(queryId, ConcurrentHashMap::newKeySet).add(table);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return Optional.empty();
    }

    /**
     * The denial of a materialized view created by a query that reads the mesh.
     */
    Optional<String> creationDenial(QueryId queryId, CatalogSchemaTableName materializedView)
    {
        Set<CatalogSchemaTableName> read = meshTablesRead.getIfPresent(queryId);
        if (read == null || read.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(denial(materializedView, read.iterator().next()));
    }

    /**
     * Notes the materialized view the query refreshes, whose query is read next under the same
     * query id.
     */
    void refreshing(QueryId queryId, CatalogSchemaTableName materializedView)
    {
        refreshes.put(queryId, materializedView);
    }

    private static String denial(CatalogSchemaTableName materializedView, CatalogSchemaTableName meshTable)
    {
        return "materialized view %s cannot read %s: its storage table would keep the rows and columns the refreshing user may read, in clear, for every reader of the view; query the mesh table, or a view with SECURITY INVOKER"
                .formatted(materializedView, meshTable);
    }
}
