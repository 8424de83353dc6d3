package dev.datamesh.trino.parquet;

import com.google.common.collect.ImmutableList;
import dev.datamesh.trino.StorageFailures;
import io.trino.parquet.ParquetCorruptionException;
import io.trino.parquet.reader.ParquetReader;
import io.trino.spi.TrinoException;
import io.trino.spi.block.Block;
import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.connector.SourcePage;
import io.trino.spi.metrics.Metrics;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongPredicate;
import java.util.function.UnaryOperator;

import static dev.datamesh.trino.MeshErrorCode.MESH_BAD_DATA;
import static dev.datamesh.trino.MeshErrorCode.MESH_CANNOT_READ_FILE;
import static io.trino.spi.type.BigintType.BIGINT;
import static java.util.Objects.requireNonNull;

/**
 * Pages of one split of a Parquet file, read by trino-parquet's {@link ParquetReader}.
 */
public final class ParquetFilePageSource
        implements ConnectorPageSource
{
    private final ParquetReader reader;
    private final String fileDescription;
    private final int[] sourceChannels;
    private final Block[] constants;
    private final List<Optional<UnaryOperator<Block>>> coercions;
    private final Optional<LongPredicate> deletedRows;
    private long completedPositions;
    private boolean closed;

    /**
     * @param deletedRows when present, the reader appends the row position as its last channel,
     * and rows at deleted positions are dropped
     */
    ParquetFilePageSource(ParquetReader reader, String fileDescription, int[] sourceChannels, Block[] constants, List<Optional<UnaryOperator<Block>>> coercions, Optional<LongPredicate> deletedRows)
    {
        this.coercions = ImmutableList.copyOf(coercions);
        this.deletedRows = requireNonNull(deletedRows, "deletedRows is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.fileDescription = requireNonNull(fileDescription, "fileDescription is null");
        this.sourceChannels = requireNonNull(sourceChannels, "sourceChannels is null");
        this.constants = requireNonNull(constants, "constants is null");
    }

    @Override
    public long getCompletedBytes()
    {
        return reader.getDataSource().getReadBytes();
    }

    @Override
    public OptionalLong getCompletedPositions()
    {
        return OptionalLong.of(completedPositions);
    }

    @Override
    public long getReadTimeNanos()
    {
        return reader.getDataSource().getReadTimeNanos();
    }

    @Override
    public boolean isFinished()
    {
        return closed;
    }

    @Override
    public SourcePage getNextSourcePage()
    {
        SourcePage page;
        try {
            page = reader.nextPage();
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(e);
            throw readFailure(fileDescription, e);
        }
        if (closed || page == null) {
            close();
            return null;
        }
        completedPositions += page.getPositionCount();
        if (deletedRows.isPresent()) {
            removeDeletedRows(page, deletedRows.orElseThrow());
        }
        return new ProjectedSourcePage(page, sourceChannels, constants, coercions, fileDescription);
    }

    private void removeDeletedRows(SourcePage page, LongPredicate isDeleted)
    {
        Block rowPositions = page.getBlock(page.getChannelCount() - 1);
        int[] kept = new int[page.getPositionCount()];
        int keptCount = 0;
        for (int position = 0; position < kept.length; position++) {
            if (!isDeleted.test(BIGINT.getLong(rowPositions, position))) {
                kept[keptCount++] = position;
            }
        }
        if (keptCount < kept.length) {
            page.selectPositions(kept, 0, keptCount);
        }
    }

    @Override
    public long getMemoryUsage()
    {
        return reader.getMemoryContext().getBytes();
    }

    @Override
    public Metrics getMetrics()
    {
        return reader.getMetrics();
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.close();
        }
        catch (IOException e) {
            throw new TrinoException(MESH_CANNOT_READ_FILE, "Failed to close " + fileDescription, e);
        }
    }

    private void closeQuietly(Exception failure)
    {
        try {
            close();
        }
        catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    static TrinoException readFailure(String fileDescription, Exception e)
    {
        if (e instanceof TrinoException trinoException) {
            return trinoException;
        }
        if (e instanceof ParquetCorruptionException) {
            return new TrinoException(MESH_BAD_DATA, "Corrupt Parquet file %s: %s".formatted(fileDescription, e.getMessage()), e);
        }
        return new TrinoException(MESH_CANNOT_READ_FILE, "Failed to read Parquet file %s: %s".formatted(fileDescription, StorageFailures.explain(e)), e);
    }
}
