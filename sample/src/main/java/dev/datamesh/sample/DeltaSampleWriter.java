package dev.datamesh.sample;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.formats.delta.TrinoFileIO;
import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.internal.data.DefaultRowBasedColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.delta.kernel.internal.util.Utils.singletonCloseableIterator;
import static io.delta.kernel.internal.util.Utils.toCloseableIterator;

/**
 * Writes a Delta table with Delta Kernel's own transaction API: one commit per call, one data
 * file per partition value, statistics collected by Kernel.
 */
final class DeltaSampleWriter
{
    private final Engine engine = DefaultEngine.create(new TrinoFileIO(new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("data-mesh"))));
    private final String tablePath;

    DeltaSampleWriter(Path table)
    {
        this.tablePath = "file:" + table.toAbsolutePath();
    }

    /**
     * @param rows values in schema order; the partition column's value chooses the file
     */
    void commit(Operation operation, StructType schema, String partitionColumn, List<List<Object>> rows)
            throws IOException
    {
        var builder = Table.forPath(engine, tablePath).createTransactionBuilder(engine, "data-mesh-sample", operation);
        if (operation == Operation.CREATE_TABLE) {
            builder = builder.withSchema(engine, schema).withPartitionColumns(engine, ImmutableList.of(partitionColumn));
        }
        Transaction transaction = builder.build(engine);
        Row state = transaction.getTransactionState(engine);
        int partitionIndex = schema.indexOf(partitionColumn);

        Map<Integer, List<Row>> rowsByPartition = new TreeMap<>();
        for (List<Object> values : rows) {
            rowsByPartition.computeIfAbsent((Integer) values.get(partitionIndex), _ -> new ArrayList<>()).add(new ValuesRow(schema, values));
        }

        List<Row> actions = new ArrayList<>();
        for (Map.Entry<Integer, List<Row>> partition : rowsByPartition.entrySet()) {
            Map<String, Literal> partitionValues = ImmutableMap.of(partitionColumn, Literal.ofInt(partition.getKey()));
            FilteredColumnarBatch batch = new FilteredColumnarBatch(new DefaultRowBasedColumnarBatch(schema, partition.getValue()), Optional.empty());
            CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(engine, state, singletonCloseableIterator(batch), partitionValues);
            DataWriteContext context = Transaction.getWriteContext(engine, state, partitionValues);
            CloseableIterator<DataFileStatus> files = engine.getParquetHandler().writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns());
            try (CloseableIterator<Row> partitionActions = Transaction.generateAppendActions(engine, state, files, context)) {
                partitionActions.forEachRemaining(actions::add);
            }
        }
        transaction.commit(engine, CloseableIterable.inMemoryIterable(toCloseableIterator(actions.iterator())));
    }

    /**
     * A row of plain Java values (timestamps as microseconds since the epoch).
     */
    private record ValuesRow(StructType schema, List<Object> values)
            implements Row
    {
        @Override
        public StructType getSchema()
        {
            return schema;
        }

        @Override
        public boolean isNullAt(int ordinal)
        {
            return values.get(ordinal) == null;
        }

        @Override
        public boolean getBoolean(int ordinal)
        {
            return (Boolean) values.get(ordinal);
        }

        @Override
        public byte getByte(int ordinal)
        {
            return ((Number) values.get(ordinal)).byteValue();
        }

        @Override
        public short getShort(int ordinal)
        {
            return ((Number) values.get(ordinal)).shortValue();
        }

        @Override
        public int getInt(int ordinal)
        {
            return ((Number) values.get(ordinal)).intValue();
        }

        @Override
        public long getLong(int ordinal)
        {
            return ((Number) values.get(ordinal)).longValue();
        }

        @Override
        public float getFloat(int ordinal)
        {
            return ((Number) values.get(ordinal)).floatValue();
        }

        @Override
        public double getDouble(int ordinal)
        {
            return ((Number) values.get(ordinal)).doubleValue();
        }

        @Override
        public String getString(int ordinal)
        {
            return (String) values.get(ordinal);
        }

        @Override
        public BigDecimal getDecimal(int ordinal)
        {
            return (BigDecimal) values.get(ordinal);
        }

        @Override
        public byte[] getBinary(int ordinal)
        {
            return (byte[]) values.get(ordinal);
        }

        @Override
        public Row getStruct(int ordinal)
        {
            throw new UnsupportedOperationException("the sample has no nested columns");
        }

        @Override
        public ArrayValue getArray(int ordinal)
        {
            throw new UnsupportedOperationException("the sample has no nested columns");
        }

        @Override
        public MapValue getMap(int ordinal)
        {
            throw new UnsupportedOperationException("the sample has no nested columns");
        }
    }
}
