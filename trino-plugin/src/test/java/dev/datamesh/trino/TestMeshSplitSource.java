package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.trino.spi.connector.ConnectorSplit;
import io.trino.spi.connector.ConnectorSplitSource.ConnectorSplitBatch;
import io.trino.spi.connector.DynamicFilter;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Planning holds one batch of splits, not the table's: files are read from their listing only as
 * the engine asks for splits.
 */
final class TestMeshSplitSource
{
    private static final long MAX_SPLIT_SIZE = 100;

    @Test
    void testFilesAreWalkedBatchByBatch()
    {
        AtomicInteger filesRead = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        Iterator<MeshSplitSource.DataFile> files = new Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                return filesRead.get() < 1_000_000;
            }

            @Override
            public MeshSplitSource.DataFile next()
            {
                int file = filesRead.incrementAndGet();
                // every tenth file spans three splits
                return new MeshSplitSource.DataFile("file:///data/part-%07d.parquet".formatted(file), file % 10 == 0 ? 3 * MAX_SPLIT_SIZE : MAX_SPLIT_SIZE, ImmutableMap.of(), Optional.empty(), Optional.empty(), _ -> true);
            }
        };
        try (MeshSplitSource source = new MeshSplitSource(files, () -> closed.set(true), DynamicFilter.EMPTY, true, 0, MAX_SPLIT_SIZE)) {
            ConnectorSplitBatch first = source.getNextBatch(10).join();
            assertThat(first.getSplits()).hasSize(10);
            assertThat(first.isNoMoreSplits()).isFalse();
            assertThat(filesRead.get()).isEqualTo(10);
            // the tenth file's other two splits wait for the next batch
            List<ConnectorSplit> second = source.getNextBatch(3).join().getSplits();
            assertThat(filesRead.get()).isEqualTo(11);
            assertThat(second).extracting(split -> ((MeshSplit) split).path() + "@" + ((MeshSplit) split).start())
                    .containsExactly("file:///data/part-0000010.parquet@100", "file:///data/part-0000010.parquet@200", "file:///data/part-0000011.parquet@0");
        }
        assertThat(closed).isTrue();
    }

    @Test
    void testFilesTheFilterRulesOutGiveNoSplits()
    {
        List<MeshSplitSource.DataFile> files = List.of(
                new MeshSplitSource.DataFile("file:///data/a.parquet", 10, ImmutableMap.of(), Optional.empty(), Optional.empty(), _ -> false),
                new MeshSplitSource.DataFile("file:///data/b.parquet", 10, ImmutableMap.of(), Optional.empty(), Optional.empty(), _ -> true));
        try (MeshSplitSource source = new MeshSplitSource(files.iterator(), () -> {}, DynamicFilter.EMPTY, true, 0, MAX_SPLIT_SIZE)) {
            ConnectorSplitBatch batch = source.getNextBatch(10).join();
            assertThat(batch.getSplits()).extracting(split -> ((MeshSplit) split).path()).containsExactly("file:///data/b.parquet");
            assertThat(batch.isNoMoreSplits()).isTrue();
            assertThat(source.isFinished()).isTrue();
        }
    }
}
