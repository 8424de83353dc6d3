package dev.datamesh.trino.benchmark;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.io.CountingOutputStream;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.formats.delta.TrinoFileIO;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.testing.IcebergTestTables;
import io.airlift.slice.Slice;
import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.parquet.writer.ParquetSchemaConverter;
import io.trino.parquet.writer.ParquetWriter;
import io.trino.parquet.writer.ParquetWriterOptions;
import io.trino.spi.PageBuilder;
import io.trino.spi.security.ConnectorIdentity;
import io.trino.spi.type.Type;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestWriter;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.IntStream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.airlift.slice.Slices.utf8Slice;
import static io.delta.kernel.internal.util.Utils.toCloseableIterator;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.TypeUtils.writeNativeValue;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.Math.toIntExact;
import static org.apache.iceberg.types.Types.NestedField.optional;

/**
 * The tables of the planning benchmark: a Delta table of many small data files committed by Delta
 * Kernel and checkpointed, and an Iceberg table whose snapshot has many manifests, in a JDBC (SQLite)
 * catalog. Both hold events (id, event_date, region, amount), a few rows per file, laid out so
 * that one day's events lie in a thousandth of the files (Delta) or of the manifests (Iceberg):
 * a predicate on event_date prunes by the files' statistics in the Delta log and by the partition
 * summaries of the manifest list in Iceberg. Generation is slow at full scale, so each table is
 * kept under the data folder by its size, with a marker written once it is complete.
 */
final class PlanningTables
{
    static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
    static final int ROWS_PER_FILE = 4;
    static final String ICEBERG_NAMESPACE = "bench";
    static final String ICEBERG_TABLE = "events";
    static final String ICEBERG_WARMUP = "warmup";
    private static final int WARMUP_FILES = 8;
    private static final int DAYS = 1000;
    private static final String MARKER = "COMPLETE";
    // the data a folder holds changes with this: older folders are written again
    private static final String LAYOUT = "2";
    private static final List<String> REGIONS = ImmutableList.of("AMER", "APAC", "EMEA", "LATAM");
    private static final int DELTA_COMMITS = 100;
    // a checkpoint every ten commits, as Delta writers do by default (delta.checkpointInterval),
    // the last two commits after the newest one: a reader replays a checkpoint and a short tail of JSON
    private static final int CHECKPOINT_INTERVAL = 10;
    private static final int COMMITS_AFTER_CHECKPOINT = 2;

    private static final StructType DELTA_SCHEMA = new StructType()
            .add("id", LongType.LONG)
            .add("event_date", DateType.DATE)
            .add("region", StringType.STRING)
            .add("amount", DoubleType.DOUBLE);
    // what a Delta data file holds: partition values live in the log and the folder names
    private static final ParquetLayout DELTA_FILE = new ParquetLayout(
            new ParquetSchemaConverter(ImmutableList.of(BIGINT, DATE, DOUBLE), ImmutableList.of("id", "event_date", "amount"), false, false).getMessageType(),
            ImmutableList.of("id", "event_date", "amount"),
            ImmutableList.of(BIGINT, DATE, DOUBLE));

    private static final Schema ICEBERG_SCHEMA = new Schema(
            optional(1, "id", Types.LongType.get()),
            optional(2, "event_date", Types.DateType.get()),
            optional(3, "region", Types.StringType.get()),
            optional(4, "amount", Types.DoubleType.get()));
    // Iceberg reads columns by field id, which the Parquet schema carries
    private static final ParquetLayout ICEBERG_FILE = new ParquetLayout(
            ParquetSchemaUtil.convert(ICEBERG_SCHEMA, "table"),
            ImmutableList.of("id", "event_date", "region", "amount"),
            ImmutableList.of(BIGINT, DATE, VARCHAR, DOUBLE));

    private PlanningTables() {}

    /**
     * A Delta table of the given number of data files under the folder (and a small one, to warm
     * up on), written unless a complete one is there.
     */
    static Generated delta(Path folder, int files)
            throws Exception
    {
        return generated(folder, "delta files=" + files, () -> {
            writeDelta(folder.resolve("events"), files);
            writeDelta(folder.resolve("warmup"), WARMUP_FILES);
        });
    }

    static Path deltaTable(Generated delta)
    {
        return delta.folder().resolve("events");
    }

    static Path deltaWarmup(Generated delta)
    {
        return delta.folder().resolve("warmup");
    }

    static int deltaCommits(int files)
    {
        return Math.min(DELTA_COMMITS, files);
    }

    /**
     * An Iceberg table bench.events in a JDBC catalog (SQLite) whose current snapshot has the given
     * number of manifests, each listing filesPerManifest data files of one day (and a small table
     * bench.warmup, to warm up on).
     */
    static Generated iceberg(Path folder, int manifests, int filesPerManifest)
            throws Exception
    {
        return generated(folder, "iceberg manifests=%s files-per-manifest=%s".formatted(manifests, filesPerManifest), () -> {
            try (IcebergCatalogs catalogs = IcebergTestTables.writingCatalogs()) {
                Catalog catalog = catalogs.catalog(IcebergTestTables.jdbcCatalog(IcebergCatalogDescriptor.DEFAULT_NAME, folder.resolve("iceberg_catalog.db"), folder.resolve("warehouse")));
                writeIceberg(catalog, ICEBERG_TABLE, manifests, filesPerManifest);
                writeIceberg(catalog, ICEBERG_WARMUP, WARMUP_FILES, 1);
            }
        });
    }

    static Path icebergCatalogDatabase(Generated iceberg)
    {
        return iceberg.folder().resolve("iceberg_catalog.db");
    }

    static Path icebergWarehouse(Generated iceberg)
    {
        return iceberg.folder().resolve("warehouse");
    }

    /**
     * The day of a Delta data file: files are written day after day, as a daily job would.
     */
    static int deltaDay(int file, int files)
    {
        return (int) ((long) file * days(files) / files);
    }

    /**
     * The day of an Iceberg manifest, each manifest being one commit of a day's job.
     */
    static int icebergDay(int manifest, int manifests)
    {
        return (int) ((long) manifest * days(manifests) / manifests);
    }

    /**
     * The day a selective query reads: one in the middle, a thousandth of the table (at least one
     * file or manifest).
     */
    static int selectiveDay(int units)
    {
        return days(units) / 2;
    }

    private static int days(int units)
    {
        return Math.min(DAYS, units);
    }

    static LocalDate date(int day)
    {
        return FIRST_DAY.plusDays(day);
    }

    private static Generated generated(Path folder, String description, Writer writer)
            throws Exception
    {
        Path marker = folder.resolve(MARKER);
        if (Files.exists(marker)) {
            Properties properties = new Properties();
            try (var reader = Files.newBufferedReader(marker)) {
                properties.load(reader);
            }
            if (LAYOUT.equals(properties.getProperty("layout")) && description.equals(properties.getProperty("table"))) {
                return new Generated(folder, Double.parseDouble(properties.getProperty("seconds")), true);
            }
        }
        // an incomplete or older folder is written again from nothing
        if (Files.exists(folder)) {
            deleteRecursively(folder, ALLOW_INSECURE);
        }
        Files.createDirectories(folder);
        long start = System.nanoTime();
        writer.write();
        double seconds = (System.nanoTime() - start) / 1e9;
        Properties properties = new Properties();
        properties.setProperty("layout", LAYOUT);
        properties.setProperty("table", description);
        properties.setProperty("seconds", String.valueOf(seconds));
        try (var output = Files.newBufferedWriter(marker)) {
            properties.store(output, "written by PlanningBenchmark; delete the folder to write the table again");
        }
        return new Generated(folder, seconds, false);
    }

    private static void writeDelta(Path table, int files)
            throws IOException
    {
        Engine engine = DefaultEngine.create(new TrinoFileIO(new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("data-mesh"))));
        String tablePath = "file:" + table.toAbsolutePath();
        io.delta.kernel.Table deltaTable = io.delta.kernel.Table.forPath(engine, tablePath);
        int commits = Math.min(DELTA_COMMITS, files);
        for (int commit = 0; commit < commits; commit++) {
            int first = (int) ((long) files * commit / commits);
            int end = (int) ((long) files * (commit + 1) / commits);
            TransactionBuilder builder = deltaTable.createTransactionBuilder(engine, "data-mesh-planning-benchmark", commit == 0 ? Operation.CREATE_TABLE : Operation.WRITE);
            if (commit == 0) {
                builder = builder.withSchema(engine, DELTA_SCHEMA).withPartitionColumns(engine, ImmutableList.of("region"));
            }
            Transaction transaction = builder.build(engine);
            Row state = transaction.getTransactionState(engine);
            // written in parallel, committed in one transaction, a partition's files at a time
            List<DataFileStatus> written = IntStream.range(first, end).parallel()
                    .mapToObj(file -> writeDeltaFile(table, file, files))
                    .collect(toImmutableList());
            List<Row> actions = new ArrayList<>();
            for (int region = 0; region < REGIONS.size(); region++) {
                int regionIndex = region;
                List<DataFileStatus> regionFiles = IntStream.range(first, end)
                        .filter(file -> file % REGIONS.size() == regionIndex)
                        .mapToObj(file -> written.get(file - first))
                        .collect(toImmutableList());
                if (regionFiles.isEmpty()) {
                    continue;
                }
                DataWriteContext context = Transaction.getWriteContext(engine, state, ImmutableMap.of("region", Literal.ofString(REGIONS.get(region))));
                try (CloseableIterator<Row> regionActions = Transaction.generateAppendActions(engine, state, closeable(regionFiles), context)) {
                    regionActions.forEachRemaining(actions::add);
                }
            }
            long version = transaction.commit(engine, CloseableIterable.inMemoryIterable(closeable(actions))).getVersion();
            if ((commits - 1 - commit) % CHECKPOINT_INTERVAL == COMMITS_AFTER_CHECKPOINT) {
                deltaTable.checkpoint(engine, version);
            }
        }
    }

    private static DataFileStatus writeDeltaFile(Path table, int file, int files)
    {
        String region = REGIONS.get(file % REGIONS.size());
        Path path = table.resolve("region=" + region).resolve("part-%06d.parquet".formatted(file));
        int day = deltaDay(file, files);
        List<List<Object>> rows = rows(file, day, region, false);
        long size = writeParquet(path, DELTA_FILE, rows);
        long firstId = (long) file * ROWS_PER_FILE;
        double minAmount = rows.stream().mapToDouble(row -> (double) row.get(2)).min().orElseThrow();
        double maxAmount = rows.stream().mapToDouble(row -> (double) row.get(2)).max().orElseThrow();
        int epochDay = (int) date(day).toEpochDay();
        DataFileStatistics statistics = new DataFileStatistics(
                ROWS_PER_FILE,
                ImmutableMap.of(new Column("id"), Literal.ofLong(firstId), new Column("event_date"), Literal.ofDate(epochDay), new Column("amount"), Literal.ofDouble(minAmount)),
                ImmutableMap.of(new Column("id"), Literal.ofLong(firstId + ROWS_PER_FILE - 1), new Column("event_date"), Literal.ofDate(epochDay), new Column("amount"), Literal.ofDouble(maxAmount)),
                ImmutableMap.of(new Column("id"), 0L, new Column("event_date"), 0L, new Column("amount"), 0L));
        return new DataFileStatus("file:" + path.toAbsolutePath(), size, System.currentTimeMillis(), Optional.of(statistics));
    }

    private static void writeIceberg(Catalog catalog, String name, int manifests, int filesPerManifest)
    {
        PartitionSpec spec = PartitionSpec.builderFor(ICEBERG_SCHEMA).day("event_date").build();
        Table table = IcebergTestTables.createTable(catalog, ICEBERG_NAMESPACE, name, ICEBERG_SCHEMA, spec, ImmutableMap.of());
        FileIO io = table.io();
        // every manifest written beside the table's metadata, then all appended in one fast append:
        // a commit per manifest would write a manifest list as long as all before it, each time
        List<ManifestFile> written = IntStream.range(0, manifests).parallel()
                .mapToObj(manifest -> writeManifest(table, io, manifest, manifests, filesPerManifest))
                .collect(toImmutableList());
        AppendFiles append = table.newFastAppend();
        written.forEach(append::appendManifest);
        append.commit();
    }

    private static ManifestFile writeManifest(Table table, FileIO io, int manifest, int manifests, int filesPerManifest)
    {
        PartitionSpec spec = table.spec();
        int day = icebergDay(manifest, manifests);
        PartitionKey partition = new PartitionKey(spec, ICEBERG_SCHEMA);
        partition.set(0, (int) date(day).toEpochDay());
        ManifestWriter<DataFile> writer = ManifestFiles.write(2, spec, io.newOutputFile(table.location() + "/metadata/bench-m%06d.avro".formatted(manifest)), null);
        try (writer) {
            for (int index = 0; index < filesPerManifest; index++) {
                int file = manifest * filesPerManifest + index;
                String region = REGIONS.get(file % REGIONS.size());
                String location = table.locationProvider().newDataLocation(spec, partition, "part-%06d.parquet".formatted(file));
                List<List<Object>> rows = rows(file, day, region, true);
                long size;
                try (CountingOutputStream output = new CountingOutputStream(io.newOutputFile(location).createOrOverwrite())) {
                    writeParquet(output, ICEBERG_FILE, rows);
                    size = output.getCount();
                }
                writer.add(DataFiles.builder(spec)
                        .withPath(location)
                        .withFormat(FileFormat.PARQUET)
                        .withFileSizeInBytes(size)
                        .withPartition(partition)
                        .withMetrics(icebergMetrics(rows))
                        .build());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writer.toManifestFile();
    }

    private static Metrics icebergMetrics(List<List<Object>> rows)
    {
        ImmutableMap.Builder<Integer, Long> counts = ImmutableMap.builder();
        ImmutableMap.Builder<Integer, Long> nulls = ImmutableMap.builder();
        ImmutableMap.Builder<Integer, ByteBuffer> lower = ImmutableMap.builder();
        ImmutableMap.Builder<Integer, ByteBuffer> upper = ImmutableMap.builder();
        for (int column = 0; column < ICEBERG_SCHEMA.columns().size(); column++) {
            Types.NestedField field = ICEBERG_SCHEMA.columns().get(column);
            int index = column;
            List<Comparable<Object>> values = rows.stream().map(row -> icebergValue(field, row.get(index))).collect(toImmutableList());
            counts.put(field.fieldId(), (long) rows.size());
            nulls.put(field.fieldId(), 0L);
            lower.put(field.fieldId(), Conversions.toByteBuffer(field.type(), values.stream().min(Comparable::compareTo).orElseThrow()));
            upper.put(field.fieldId(), Conversions.toByteBuffer(field.type(), values.stream().max(Comparable::compareTo).orElseThrow()));
        }
        return new Metrics((long) rows.size(), ImmutableMap.of(), counts.buildOrThrow(), nulls.buildOrThrow(), ImmutableMap.of(), lower.buildOrThrow(), upper.buildOrThrow());
    }

    // a Trino native value as Iceberg's bounds take it: days as int, text as String
    @SuppressWarnings("unchecked")
    private static Comparable<Object> icebergValue(Types.NestedField field, Object value)
    {
        Object converted = switch (field.type().typeId()) {
            case DATE -> toIntExact((long) value);
            case STRING -> ((Slice) value).toStringUtf8();
            default -> value;
        };
        return (Comparable<Object>) converted;
    }

    /**
     * A file's rows as Trino native values: id, event_date (days since the epoch), then region
     * when the file holds it, then amount.
     */
    private static List<List<Object>> rows(int file, int day, String region, boolean withRegion)
    {
        long epochDay = date(day).toEpochDay();
        ImmutableList.Builder<List<Object>> rows = ImmutableList.builder();
        for (int row = 0; row < ROWS_PER_FILE; row++) {
            long id = (long) file * ROWS_PER_FILE + row;
            double amount = (id * 7919 % 100_000) / 100.0;
            rows.add(withRegion
                    ? ImmutableList.of(id, epochDay, utf8Slice(region), amount)
                    : ImmutableList.of(id, epochDay, amount));
        }
        return rows.build();
    }

    private static long writeParquet(Path path, ParquetLayout layout, List<List<Object>> rows)
    {
        try {
            Files.createDirectories(path.getParent());
            try (CountingOutputStream output = new CountingOutputStream(Files.newOutputStream(path))) {
                writeParquet(output, layout, rows);
                return output.getCount();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeParquet(OutputStream output, ParquetLayout layout, List<List<Object>> rows)
            throws IOException
    {
        Map<List<String>, Type> primitiveTypes = new HashMap<>();
        for (int column = 0; column < layout.names().size(); column++) {
            primitiveTypes.put(ImmutableList.of(layout.names().get(column)), layout.types().get(column));
        }
        // the writer closes the stream it is given; the caller's counting stream stays readable
        try (ParquetWriter writer = new ParquetWriter(output, layout.schema(), primitiveTypes, ParquetWriterOptions.builder().build(), CompressionCodec.SNAPPY, "data-mesh", Optional.empty(), Optional.empty())) {
            PageBuilder page = new PageBuilder(layout.types());
            for (List<Object> row : rows) {
                page.declarePosition();
                for (int column = 0; column < layout.types().size(); column++) {
                    writeNativeValue(layout.types().get(column), page.getBlockBuilder(column), row.get(column));
                }
            }
            writer.write(page.build());
        }
    }

    private static <T> CloseableIterator<T> closeable(List<T> values)
    {
        return toCloseableIterator(values.iterator());
    }

    /**
     * @param folder the folder of the Delta tables, or of the Iceberg catalog and warehouse
     * @param seconds how long writing it took (when it was written, by an earlier run if cached)
     * @param cached whether an earlier run wrote it
     */
    record Generated(Path folder, double seconds, boolean cached) {}

    private record ParquetLayout(MessageType schema, List<String> names, List<Type> types) {}

    @FunctionalInterface
    private interface Writer
    {
        void write()
                throws Exception;
    }
}
