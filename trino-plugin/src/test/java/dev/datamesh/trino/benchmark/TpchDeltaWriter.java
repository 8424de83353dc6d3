package dev.datamesh.trino.benchmark;

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
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.delta.kernel.internal.util.Utils.toCloseableIterator;
import static java.util.Objects.requireNonNull;

/**
 * Writes a TPC-H table as a Delta table with Delta Kernel's own transaction API, as any Kernel
 * based writer would: Kernel writes the Parquet files, collects each file's statistics
 * (numRecords, minValues, maxValues, nullCount) and commits them with the files. The rows come
 * from the TPC-H generator that Trino's tpch connector serves, in the connector's types with
 * decimal(12,2) money, so they equal what the Hive and Iceberg copies were written from.
 */
final class TpchDeltaWriter
{
    private static final int BATCH_ROWS = 8192;
    // the money columns, as Trino's tpch connector maps them with tpch.double-type-mapping=DECIMAL
    private static final DecimalType MONEY = new DecimalType(12, 2);

    private final Engine engine = DefaultEngine.create(new TrinoFileIO(new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("benchmark"))));

    /**
     * @param parts how many parts the generator makes; each becomes at least one data file
     */
    <E extends TpchEntity> void write(Path tableDirectory, TpchTable<E> table, double scaleFactor, int parts)
            throws IOException
    {
        List<TpchColumn<E>> columns = table.getColumns();
        StructType schema = new StructType(columns.stream()
                .map(column -> new StructField(column.getColumnName(), kernelType(column), false))
                .collect(toImmutableList()));
        Transaction transaction = Table.forPath(engine, "file:" + tableDirectory.toAbsolutePath())
                .createTransactionBuilder(engine, "data-mesh-tpch-benchmark", Operation.CREATE_TABLE)
                .withSchema(engine, schema)
                .build(engine);
        Row state = transaction.getTransactionState(engine);
        DataWriteContext context = Transaction.getWriteContext(engine, state, ImmutableMap.of());
        List<Row> actions = new ArrayList<>();
        for (int part = 1; part <= parts; part++) {
            CloseableIterator<FilteredColumnarBatch> batches = new BatchIterator<>(schema, columns, table.createGenerator(scaleFactor, part, parts).iterator());
            CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(engine, state, batches, ImmutableMap.of());
            CloseableIterator<DataFileStatus> files = engine.getParquetHandler().writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns());
            try (CloseableIterator<Row> partActions = Transaction.generateAppendActions(engine, state, files, context)) {
                partActions.forEachRemaining(actions::add);
            }
        }
        transaction.commit(engine, CloseableIterable.inMemoryIterable(toCloseableIterator(actions.iterator())));
    }

    private static DataType kernelType(TpchColumn<?> column)
    {
        return switch (column.getType().getBase()) {
            case INTEGER -> IntegerType.INTEGER;
            case IDENTIFIER -> LongType.LONG;
            case DATE -> DateType.DATE;
            case DOUBLE -> MONEY;
            case VARCHAR -> StringType.STRING;
        };
    }

    /**
     * The generator's rows in batches, made as Kernel reads them so that a table never has to
     * be held in memory.
     */
    private static final class BatchIterator<E extends TpchEntity>
            implements CloseableIterator<FilteredColumnarBatch>
    {
        private final StructType schema;
        private final List<TpchColumn<E>> columns;
        private final Iterator<E> rows;

        private BatchIterator(StructType schema, List<TpchColumn<E>> columns, Iterator<E> rows)
        {
            this.schema = requireNonNull(schema, "schema is null");
            this.columns = ImmutableList.copyOf(columns);
            this.rows = requireNonNull(rows, "rows is null");
        }

        @Override
        public boolean hasNext()
        {
            return rows.hasNext();
        }

        @Override
        public FilteredColumnarBatch next()
        {
            if (!rows.hasNext()) {
                throw new NoSuchElementException();
            }
            List<Row> batch = new ArrayList<>(BATCH_ROWS);
            while (rows.hasNext() && batch.size() < BATCH_ROWS) {
                batch.add(new EntityRow<>(schema, columns, rows.next()));
            }
            return new FilteredColumnarBatch(new DefaultRowBasedColumnarBatch(schema, batch), Optional.empty());
        }

        @Override
        public void close() {}
    }

    /**
     * One generated row, read through the generator's columns: dates as days since the epoch,
     * money as cents (the generator's own exact form of it).
     */
    private record EntityRow<E extends TpchEntity>(StructType schema, List<TpchColumn<E>> columns, E entity)
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
            // TPC-H has no nulls
            return false;
        }

        @Override
        public int getInt(int ordinal)
        {
            TpchColumn<E> column = columns.get(ordinal);
            return switch (column.getType().getBase()) {
                case DATE -> column.getDate(entity);
                case INTEGER -> column.getInteger(entity);
                default -> throw new UnsupportedOperationException("not an int column: " + column.getColumnName());
            };
        }

        @Override
        public long getLong(int ordinal)
        {
            return columns.get(ordinal).getIdentifier(entity);
        }

        @Override
        public BigDecimal getDecimal(int ordinal)
        {
            return BigDecimal.valueOf(columns.get(ordinal).getIdentifier(entity), MONEY.getScale());
        }

        @Override
        public String getString(int ordinal)
        {
            return columns.get(ordinal).getString(entity);
        }

        @Override
        public boolean getBoolean(int ordinal)
        {
            throw unsupported(ordinal);
        }

        @Override
        public byte getByte(int ordinal)
        {
            throw unsupported(ordinal);
        }

        @Override
        public short getShort(int ordinal)
        {
            throw unsupported(ordinal);
        }

        @Override
        public float getFloat(int ordinal)
        {
            throw unsupported(ordinal);
        }

        @Override
        public double getDouble(int ordinal)
        {
            throw unsupported(ordinal);
        }

        @Override
        public byte[] getBinary(int ordinal)
        {
            throw unsupported(ordinal);
        }

        @Override
        public Row getStruct(int ordinal)
        {
            throw unsupported(ordinal);
        }

        @Override
        public ArrayValue getArray(int ordinal)
        {
            throw unsupported(ordinal);
        }

        @Override
        public MapValue getMap(int ordinal)
        {
            throw unsupported(ordinal);
        }

        private UnsupportedOperationException unsupported(int ordinal)
        {
            return new UnsupportedOperationException("TPC-H column %s is read as its own type".formatted(columns.get(ordinal).getColumnName()));
        }
    }
}
