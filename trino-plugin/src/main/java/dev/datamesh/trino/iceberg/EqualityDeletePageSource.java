package dev.datamesh.trino.iceberg;

import dev.datamesh.trino.MeshColumnHandle;
import io.trino.spi.Page;
import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.SourcePage;
import io.trino.spi.metrics.Metrics;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * Drops the rows whose equality columns match an equality delete, then hands on the query's
 * channels only (equality columns the query did not ask for were read just for this).
 */
final class EqualityDeletePageSource
        implements ConnectorPageSource
{
    private final ConnectorPageSource source;
    private final ConnectorSession session;
    private final List<IcebergDeleteFilter.EqualityDeletes> deletes;
    private final int[][] deleteChannels;
    private final int[] outputChannels;

    EqualityDeletePageSource(ConnectorPageSource source, ConnectorSession session, List<IcebergDeleteFilter.EqualityDeletes> deletes, List<MeshColumnHandle> readColumns, int outputChannelCount)
    {
        this.source = requireNonNull(source, "source is null");
        this.session = requireNonNull(session, "session is null");
        this.deletes = requireNonNull(deletes, "deletes is null");
        this.deleteChannels = new int[deletes.size()][];
        for (int i = 0; i < deletes.size(); i++) {
            deleteChannels[i] = deletes.get(i).columns().stream()
                    .mapToInt(column -> IcebergDeleteFilter.channelOf(readColumns, column))
                    .toArray();
        }
        this.outputChannels = IntStream.range(0, outputChannelCount).toArray();
    }

    @Override
    public SourcePage getNextSourcePage()
    {
        SourcePage page = source.getNextSourcePage();
        if (page == null) {
            return null;
        }
        int[] kept = new int[page.getPositionCount()];
        int keptCount = 0;
        for (int position = 0; position < page.getPositionCount(); position++) {
            if (!isDeleted(page, position)) {
                kept[keptCount++] = position;
            }
        }
        // a new page rather than selectPositions: the page's blocks were loaded, and may already be a selection
        Page output = page.getColumns(outputChannels);
        return SourcePage.create(keptCount < output.getPositionCount() ? output.getPositions(kept, 0, keptCount) : output);
    }

    private boolean isDeleted(SourcePage page, int position)
    {
        for (int i = 0; i < deletes.size(); i++) {
            int[] channels = deleteChannels[i];
            if (deletes.get(i).values().contains(IcebergDeleteFilter.rowValues(session, page, deletes.get(i).columns(), position, column -> channels[column]))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long getCompletedBytes()
    {
        return source.getCompletedBytes();
    }

    @Override
    public OptionalLong getCompletedPositions()
    {
        return source.getCompletedPositions();
    }

    @Override
    public long getReadTimeNanos()
    {
        return source.getReadTimeNanos();
    }

    @Override
    public boolean isFinished()
    {
        return source.isFinished();
    }

    @Override
    public long getMemoryUsage()
    {
        return source.getMemoryUsage();
    }

    @Override
    public CompletableFuture<?> isBlocked()
    {
        return source.isBlocked();
    }

    @Override
    public Metrics getMetrics()
    {
        return source.getMetrics();
    }

    @Override
    public void close()
            throws IOException
    {
        source.close();
    }
}
