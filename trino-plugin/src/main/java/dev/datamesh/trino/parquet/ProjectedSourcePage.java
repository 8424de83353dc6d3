package dev.datamesh.trino.parquet;

import io.trino.spi.Page;
import io.trino.spi.block.Block;
import io.trino.spi.block.RunLengthEncodedBlock;
import io.trino.spi.connector.SourcePage;

import java.util.List;
import java.util.Optional;
import java.util.function.ObjLongConsumer;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * A page of the reader's columns, in the order the query asked for them, with constant columns
 * (partition keys, columns absent from this file) filled in. Blocks stay lazy: a reader column is
 * only decoded when the engine asks for it, so decoding failures surface here and are given the file's name.
 */
final class ProjectedSourcePage
        implements SourcePage
{
    private final SourcePage source;
    private final int[] sourceChannels;
    private final Block[] constants;
    private final List<Optional<UnaryOperator<Block>>> coercions;
    private final String fileDescription;

    /**
     * @param sourceChannels for each output channel its channel in the source page, or -1 for a constant
     * @param constants for each output channel a single-position block of its constant, or null
     * @param coercions for each output channel how to turn the block read into the declared type
     */
    ProjectedSourcePage(SourcePage source, int[] sourceChannels, Block[] constants, List<Optional<UnaryOperator<Block>>> coercions, String fileDescription)
    {
        this.coercions = requireNonNull(coercions, "coercions is null");
        this.fileDescription = requireNonNull(fileDescription, "fileDescription is null");
        this.source = requireNonNull(source, "source is null");
        this.sourceChannels = requireNonNull(sourceChannels, "sourceChannels is null");
        this.constants = requireNonNull(constants, "constants is null");
    }

    @Override
    public int getPositionCount()
    {
        return source.getPositionCount();
    }

    @Override
    public long getSizeInBytes()
    {
        return source.getSizeInBytes();
    }

    @Override
    public long getRetainedSizeInBytes()
    {
        return source.getRetainedSizeInBytes();
    }

    @Override
    public void retainedBytesForEachPart(ObjLongConsumer<Object> consumer)
    {
        source.retainedBytesForEachPart(consumer);
    }

    @Override
    public int getChannelCount()
    {
        return sourceChannels.length;
    }

    @Override
    public Block getBlock(int channel)
    {
        int sourceChannel = sourceChannels[channel];
        if (sourceChannel >= 0) {
            try {
                Block block = source.getBlock(sourceChannel);
                return coercions.get(channel).map(coercion -> coercion.apply(block)).orElse(block);
            }
            catch (RuntimeException e) {
                throw ParquetFilePageSource.readFailure(fileDescription, e);
            }
        }
        return RunLengthEncodedBlock.create(constants[channel], source.getPositionCount());
    }

    @Override
    public Page getPage()
    {
        Block[] blocks = new Block[sourceChannels.length];
        for (int channel = 0; channel < blocks.length; channel++) {
            blocks[channel] = getBlock(channel);
        }
        return new Page(getPositionCount(), blocks);
    }

    @Override
    public void selectPositions(int[] positions, int offset, int size)
    {
        source.selectPositions(positions, offset, size);
    }
}
