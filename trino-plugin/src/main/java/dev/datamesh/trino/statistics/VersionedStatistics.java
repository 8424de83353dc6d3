package dev.datamesh.trino.statistics;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import com.google.common.util.concurrent.UncheckedExecutionException;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.MeshColumnHandle;
import io.airlift.log.Logger;
import io.trino.spi.TrinoException;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.statistics.TableStatistics;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.HOURS;

/**
 * Statistics of table versions that never change (Delta versions, Iceberg snapshots), kept by
 * version and constraint, so that a table is summed once however many queries plan with it.
 */
public class VersionedStatistics
{
    private static final Logger log = Logger.get(VersionedStatistics.class);

    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<VersionKey, TableStatistics> versions = CacheBuilder.newBuilder()
            .maximumSize(1_000)
            .expireAfterAccess(1, HOURS)
            .build();

    /**
     * The statistics kept for the key, read when there are none; empty statistics when they
     * cannot be read but the asset can.
     */
    public TableStatistics get(RegisteredAsset asset, VersionKey key, Callable<TableStatistics> reader)
    {
        try {
            return versions.get(key, reader);
        }
        catch (ExecutionException | UncheckedExecutionException e) {
            if (e.getCause() instanceof TrinoException trinoException) {
                // the asset itself cannot be read: the query fails with the reason, as its read would
                throw trinoException;
            }
            // without statistics the query is planned blind, but it runs
            log.warn(e.getCause(), "No statistics for %s", asset.displayName());
            return TableStatistics.empty();
        }
    }

    public record VersionKey(String table, long version, OptionalInt schemaId, TupleDomain<MeshColumnHandle> partitionConstraint, TupleDomain<MeshColumnHandle> dataConstraint, List<MeshColumnHandle> columns)
    {
        public VersionKey
        {
            requireNonNull(table, "table is null");
            requireNonNull(schemaId, "schemaId is null");
            requireNonNull(partitionConstraint, "partitionConstraint is null");
            requireNonNull(dataConstraint, "dataConstraint is null");
            columns = ImmutableList.copyOf(columns);
        }
    }
}
