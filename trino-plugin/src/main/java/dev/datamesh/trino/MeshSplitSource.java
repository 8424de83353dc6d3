package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.formats.delta.DeltaDeletionVector;
import dev.datamesh.trino.iceberg.IcebergDeletes;
import io.trino.spi.connector.ConnectorSplit;
import io.trino.spi.connector.ConnectorSplitSource;
import io.trino.spi.connector.DynamicFilter;
import io.trino.spi.predicate.TupleDomain;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * The splits of one table scan, made batch by batch as the engine asks for them: the files are
 * walked lazily (an Iceberg scan plan is read manifest by manifest), so planning holds one batch,
 * not every split, and the first splits run while the rest are still being planned. Before the
 * first batch it can wait, up to the time the split manager gives it, for the dynamic filters of
 * the query's joins, and each file is then checked against what they know so far: a file whose
 * partition values or recorded statistics cannot match the join is never read.
 */
public class MeshSplitSource
        implements ConnectorSplitSource
{
    private static final ConnectorSplitBatch EMPTY_BATCH = new ConnectorSplitBatch(List.of(), false);

    private final Iterator<DataFile> files;
    private final Closeable resources;
    private final DynamicFilter dynamicFilter;
    private final boolean dynamicFiltering;
    private final long dynamicFilteringDeadline;
    private final long maxSplitSize;
    private final Queue<MeshSplit> pending = new ArrayDeque<>();
    private boolean noMoreFiles;

    /**
     * A data file of the table, before it is cut into splits.
     *
     * @param mayMatch whether the file can hold rows the dynamic filters let through
     */
    public record DataFile(
            String path,
            long size,
            Map<String, Optional<String>> partitionValues,
            Optional<DeltaDeletionVector> deletionVector,
            Optional<IcebergDeletes> icebergDeletes,
            Predicate<TupleDomain<MeshColumnHandle>> mayMatch)
    {
        public DataFile
        {
            requireNonNull(path, "path is null");
            partitionValues = ImmutableMap.copyOf(partitionValues);
            requireNonNull(deletionVector, "deletionVector is null");
            requireNonNull(icebergDeletes, "icebergDeletes is null");
            requireNonNull(mayMatch, "mayMatch is null");
        }
    }

    /**
     * @param resources closed with the source: what the file iterator reads from
     * @param dynamicFiltering false for a table read under a row filter: which of its files and
     * row groups are read must not depend on the values the query's joins name
     */
    public MeshSplitSource(Iterator<DataFile> files, Closeable resources, DynamicFilter dynamicFilter, boolean dynamicFiltering, long dynamicFilteringWaitNanos, long maxSplitSize)
    {
        this.files = requireNonNull(files, "files is null");
        this.resources = requireNonNull(resources, "resources is null");
        this.dynamicFilter = dynamicFiltering ? requireNonNull(dynamicFilter, "dynamicFilter is null") : DynamicFilter.EMPTY;
        this.dynamicFiltering = dynamicFiltering;
        this.dynamicFilteringDeadline = System.nanoTime() + dynamicFilteringWaitNanos;
        this.maxSplitSize = maxSplitSize;
    }

    @Override
    public CompletableFuture<ConnectorSplitBatch> getNextBatch(int maxSize)
    {
        long wait = dynamicFilteringDeadline - System.nanoTime();
        if (dynamicFilter.isAwaitable() && wait > 0) {
            // an empty batch that is not the last: the engine asks again once a filter arrives or the wait is over
            return dynamicFilter.isBlocked()
                    .thenApply(_ -> EMPTY_BATCH)
                    .completeOnTimeout(EMPTY_BATCH, wait, NANOSECONDS);
        }
        TupleDomain<MeshColumnHandle> filter = dynamicFilter.getCurrentPredicate().transformKeys(MeshColumnHandle.class::cast);
        if (filter.isNone()) {
            // the join's other side is empty: no row of this table can join
            pending.clear();
            noMoreFiles = true;
        }
        List<ConnectorSplit> batch = new ArrayList<>(Math.min(maxSize, 1024));
        while (batch.size() < maxSize) {
            if (!pending.isEmpty()) {
                batch.add(pending.remove());
                continue;
            }
            if (noMoreFiles || !files.hasNext()) {
                noMoreFiles = true;
                break;
            }
            DataFile file = files.next();
            if (file.mayMatch().test(filter)) {
                addSplits(file);
            }
        }
        return completedFuture(new ConnectorSplitBatch(batch, isFinished()));
    }

    /**
     * Byte ranges of at most mesh.max-split-size, so that a big file keeps every core busy.
     */
    private void addSplits(DataFile file)
    {
        long start = 0;
        do {
            long length = Math.min(maxSplitSize, file.size() - start);
            pending.add(new MeshSplit(file.path(), start, length, file.size(), file.partitionValues(), file.deletionVector(), file.icebergDeletes(), dynamicFiltering));
            start += length;
        }
        while (start < file.size());
    }

    @Override
    public boolean isFinished()
    {
        return noMoreFiles && pending.isEmpty();
    }

    @Override
    public void close()
    {
        try {
            resources.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
