package dev.datamesh.trino.security;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaTableName;

import java.time.Duration;

/**
 * The mesh table each ANALYZE computes statistics of, once its connector found that its user
 * may. Trino then asks the statement for the insert privilege, whose denial it words itself
 * without the policy's reason: that privilege is granted to this query and table only.
 */
final class StatisticsCollections
{
    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<QueryId, CatalogSchemaTableName> collections = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .maximumSize(100_000)
            .build();

    void allow(QueryId queryId, CatalogSchemaTableName table)
    {
        collections.put(queryId, table);
    }

    boolean isAllowed(QueryId queryId, CatalogSchemaTableName table)
    {
        return table.equals(collections.getIfPresent(queryId));
    }
}
