package dev.datamesh.trino;

import com.google.common.cache.Cache;
import com.google.common.collect.ImmutableList;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.inject.Inject;
import dev.datamesh.registry.RegisteredAsset;
import io.airlift.log.Logger;
import io.airlift.units.Duration;
import io.trino.cache.EvictableCacheBuilder;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.SchemaTableName;
import jakarta.annotation.PreDestroy;

import java.io.Closeable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static com.google.common.base.Throwables.throwIfUnchecked;
import static io.trino.cache.CacheUtils.uncheckedCacheGet;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.Executors.newFixedThreadPool;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * Reads the tables that a listing of columns or comments shows (information_schema, JDBC
 * metadata, the navigators of SQL tools), several at a time and within a deadline: a store that
 * is slow or does not answer costs a listing at most mesh.metadata.listing-timeout, however many
 * tables it holds, and the tables of every other store are listed. A table whose latest read for
 * a listing failed, or was not done in time, is left out of listings for
 * mesh.metadata.listing-failure-ttl without being read; queries on it always read it, and fail
 * with the store's reason.
 */
public final class MetadataListing
        implements Closeable
{
    private static final Logger log = Logger.get(MetadataListing.class);
    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final AssetErrors assetErrors;
    private final Duration timeout;
    private final Duration failureTtl;
    private final ExecutorService executor;
    // a read that hangs keeps its thread until the store's client gives up: later listings wait for it rather than start another
    private final ConcurrentMap<RegisteredAsset, Reading> readings = new ConcurrentHashMap<>();
    // by asset, not table name: a descriptor that moves the table elsewhere is read at once
    private final Cache<RegisteredAsset, Boolean> failed;

    @Inject
    public MetadataListing(MeshConfig config, AssetErrors assetErrors)
    {
        this.assetErrors = requireNonNull(assetErrors, "assetErrors is null");
        this.timeout = config.getListingTimeout();
        this.failureTtl = config.getListingFailureTtl();
        this.failed = EvictableCacheBuilder.newBuilder()
                .expireAfterWrite(failureTtl.toMillis(), MILLISECONDS)
                // a TTL of zero keeps no failure, as with Guava's builder
                .shareResultsAndFailuresEvenIfDisabled()
                .build();
        this.executor = newFixedThreadPool(config.getMetadataParallelism(), new ThreadFactoryBuilder()
                .setDaemon(true)
                .setNameFormat("mesh-metadata-%s")
                .build());
    }

    /**
     * The tables of the given assets that could be read in time, in the order of the assets.
     *
     * @param reader reads an asset's table, throwing a TrinoException when its data cannot be read
     */
    public List<MeshTable> read(List<RegisteredAsset> assets, Function<RegisteredAsset, MeshTable> reader)
    {
        long deadline = System.nanoTime() + timeout.roundTo(NANOSECONDS);
        Map<RegisteredAsset, Reading> pending = new LinkedHashMap<>();
        for (RegisteredAsset asset : assets) {
            if (failed.getIfPresent(asset) != null) {
                log.debug("Leaving %s out of the listing: its latest read failed", tableName(asset));
                continue;
            }
            pending.put(asset, readings.computeIfAbsent(asset, _ -> start(asset, reader)));
        }
        ImmutableList.Builder<MeshTable> tables = ImmutableList.builder();
        for (Map.Entry<RegisteredAsset, Reading> entry : pending.entrySet()) {
            Reading reading = entry.getValue();
            try {
                tables.add(reading.result.get(Math.max(0, deadline - System.nanoTime()), NANOSECONDS));
            }
            catch (ExecutionException e) {
                // a TrinoException is the asset's own failure, logged where it was met; anything else is a bug
                if (!(e.getCause() instanceof TrinoException)) {
                    throwIfUnchecked(e.getCause());
                    throw new RuntimeException(e.getCause());
                }
            }
            catch (TimeoutException e) {
                // a read that waited behind others and ran for less than half the deadline says
                // nothing of its store: it is left out of this listing only
                long startedAt = reading.startedAt;
                if (startedAt != NOT_STARTED && System.nanoTime() - startedAt >= timeout.roundTo(NANOSECONDS) / 2) {
                    timedOut(entry.getKey());
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeException(e);
            }
        }
        return tables.build();
    }

    private Reading start(RegisteredAsset asset, Function<RegisteredAsset, MeshTable> reader)
    {
        Reading reading = new Reading();
        executor.execute(() -> {
            reading.startedAt = System.nanoTime();
            try {
                MeshTable table = reader.apply(asset);
                failed.invalidate(asset);
                reading.result.complete(table);
            }
            catch (Throwable e) {
                if (e instanceof TrinoException) {
                    // one unreadable asset must not hide the columns of every other table from SQL tools
                    log.warn("Leaving %s out of listings for %s: %s", tableName(asset), failureTtl.convertToMostSuccinctTimeUnit(), e.getMessage());
                    markFailed(asset);
                }
                reading.result.completeExceptionally(e);
            }
            finally {
                readings.remove(asset, reading);
            }
        });
        return reading;
    }

    // an EvictableCache has no put: a failure marked again is kept for the whole TTL from now, as a put would
    private void markFailed(RegisteredAsset asset)
    {
        failed.invalidate(asset);
        uncheckedCacheGet(failed, asset, () -> true);
    }

    private void timedOut(RegisteredAsset asset)
    {
        String message = "%s was not read within %s (mesh.metadata.listing-timeout) for a listing of its columns: its store is slow or does not answer; listings leave it out for %s, queries on it still read it"
                .formatted(asset.displayName(), timeout.convertToMostSuccinctTimeUnit(), failureTtl.convertToMostSuccinctTimeUnit());
        log.warn("Leaving %s out of listings: %s", tableName(asset), message);
        markFailed(asset);
        // the service level shows why the product's tables are missing from SQL tools
        assetErrors.record(tableName(asset), message);
    }

    private static SchemaTableName tableName(RegisteredAsset asset)
    {
        return new SchemaTableName(asset.schemaName(), asset.tableName());
    }

    @PreDestroy
    @Override
    public void close()
    {
        executor.shutdownNow();
    }

    private static final class Reading
    {
        private final CompletableFuture<MeshTable> result = new CompletableFuture<>();
        private volatile long startedAt = NOT_STARTED;
    }
}
