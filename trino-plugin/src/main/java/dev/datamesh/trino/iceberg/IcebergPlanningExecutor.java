package dev.datamesh.trino.iceberg;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.inject.Inject;
import dev.datamesh.trino.MeshConfig;
import jakarta.annotation.PreDestroy;
import org.apache.iceberg.TableScan;

import java.io.Closeable;
import java.util.concurrent.ExecutorService;

import static java.util.concurrent.Executors.newFixedThreadPool;

/**
 * The threads that read an Iceberg snapshot's manifests while splits and statistics are planned.
 * Iceberg's own shared pool has one thread per core, but its planning keeps two manifests per
 * core in flight: the second waits for a thread, and a snapshot of thousands of manifests is
 * listed more slowly than by Trino's Iceberg connector, which plans with its own pool of twice as
 * many threads. With no threads, manifests are read in the planning thread, one at a time.
 */
public final class IcebergPlanningExecutor
        implements Closeable
{
    private final ExecutorService executor;

    @Inject
    public IcebergPlanningExecutor(MeshConfig config)
    {
        int threads = config.getIcebergPlanningThreads();
        this.executor = threads == 0
                ? MoreExecutors.newDirectExecutorService()
                : newFixedThreadPool(threads, new ThreadFactoryBuilder()
                        .setDaemon(true)
                        .setNameFormat("mesh-iceberg-planning-%s")
                        .build());
    }

    public TableScan planWith(TableScan scan)
    {
        return scan.planWith(executor);
    }

    @PreDestroy
    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
