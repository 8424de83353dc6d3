package dev.datamesh.trino.iceberg;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.HadoopPaths;
import dev.datamesh.trino.ColumnIdentity;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.RowDeletes;
import dev.datamesh.trino.parquet.ParquetPageSourceFactory;
import io.airlift.slice.Slices;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.spi.block.Block;
import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.SourcePage;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.TupleDomain;
import org.apache.iceberg.MetadataColumns;
import org.roaringbitmap.longlong.Roaring64Bitmap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import java.util.function.LongPredicate;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * The rows of one data file that its delete files remove: positions named by position delete
 * files, and rows whose equality columns hold values listed by an equality delete file. Iceberg's
 * planning has already kept only the delete files that apply to the data file (by sequence number).
 */
public final class IcebergDeleteFilter
        implements RowDeletes
{
    private static final MeshColumnHandle DELETED_FILE_PATH = MeshColumnHandle.icebergColumn("file_path", VARCHAR, new ColumnIdentity(MetadataColumns.DELETE_FILE_PATH.fieldId(), ImmutableList.of()));
    private static final MeshColumnHandle DELETED_POSITION = MeshColumnHandle.icebergColumn("pos", BIGINT, new ColumnIdentity(MetadataColumns.DELETE_FILE_POS.fieldId(), ImmutableList.of()));

    private final Optional<LongPredicate> deletedPositions;
    private final List<EqualityDeletes> equalityDeletes;

    private IcebergDeleteFilter(Optional<LongPredicate> deletedPositions, List<EqualityDeletes> equalityDeletes)
    {
        this.deletedPositions = requireNonNull(deletedPositions, "deletedPositions is null");
        this.equalityDeletes = ImmutableList.copyOf(equalityDeletes);
    }

    public static IcebergDeleteFilter read(ParquetPageSourceFactory pageSources, TrinoFileSystem fileSystem, ConnectorSession session, IcebergDeletes deletes, String tableDescription)
    {
        Roaring64Bitmap positions = new Roaring64Bitmap();
        boolean hasPositionDeletes = false;
        Map<List<MeshColumnHandle>, Set<List<Object>>> equalityValues = new HashMap<>();
        for (IcebergDeleteFile deleteFile : deletes.files()) {
            String description = "delete file %s (%s)".formatted(deleteFile.path(), tableDescription);
            switch (deleteFile.kind()) {
                case POSITION -> {
                    hasPositionDeletes = true;
                    // delete files are sorted by data file path: the path's range skips the row groups of other files
                    TupleDomain<MeshColumnHandle> thisFile = TupleDomain.withColumnDomains(ImmutableMap.of(DELETED_FILE_PATH, Domain.singleValue(VARCHAR, Slices.utf8Slice(deletes.dataFilePath()))));
                    readAll(pageSources, fileSystem, deleteFile, ImmutableList.of(DELETED_FILE_PATH, DELETED_POSITION), thisFile, description, page -> {
                        Block paths = page.getBlock(0);
                        Block rowPositions = page.getBlock(1);
                        for (int position = 0; position < page.getPositionCount(); position++) {
                            if (VARCHAR.getSlice(paths, position).toStringUtf8().equals(deletes.dataFilePath())) {
                                positions.addLong(BIGINT.getLong(rowPositions, position));
                            }
                        }
                    });
                }
                case EQUALITY -> {
                    Set<List<Object>> values = equalityValues.computeIfAbsent(deleteFile.equalityColumns(), _ -> new HashSet<>());
                    List<MeshColumnHandle> columns = deleteFile.equalityColumns();
                    readAll(pageSources, fileSystem, deleteFile, columns, TupleDomain.all(), description, page -> {
                        for (int position = 0; position < page.getPositionCount(); position++) {
                            values.add(rowValues(session, page, columns, position, channel -> channel));
                        }
                    });
                }
            }
        }
        return new IcebergDeleteFilter(
                hasPositionDeletes ? Optional.of(positions::contains) : Optional.empty(),
                equalityValues.entrySet().stream()
                        .map(entry -> new EqualityDeletes(entry.getKey(), entry.getValue()))
                        .collect(toImmutableList()));
    }

    @Override
    public Optional<LongPredicate> deletedPositions()
    {
        return deletedPositions;
    }

    /**
     * The columns the data must be read with: the query's, then the equality columns it lacks.
     */
    @Override
    public List<MeshColumnHandle> readColumns(List<MeshColumnHandle> columns)
    {
        List<MeshColumnHandle> readColumns = new ArrayList<>(columns);
        for (EqualityDeletes deletes : equalityDeletes) {
            for (MeshColumnHandle column : deletes.columns()) {
                if (channelOf(readColumns, column) < 0) {
                    readColumns.add(column);
                }
            }
        }
        return ImmutableList.copyOf(readColumns);
    }

    @Override
    public ConnectorPageSource apply(ConnectorPageSource source, ConnectorSession session, List<MeshColumnHandle> readColumns, int outputChannels)
    {
        if (equalityDeletes.isEmpty()) {
            return source;
        }
        return new EqualityDeletePageSource(source, session, equalityDeletes, readColumns, outputChannels);
    }

    static int channelOf(List<MeshColumnHandle> columns, MeshColumnHandle column)
    {
        int fieldId = column.identity().orElseThrow().fieldId();
        for (int channel = 0; channel < columns.size(); channel++) {
            if (columns.get(channel).identity().map(identity -> identity.fieldId() == fieldId).orElse(false)) {
                return channel;
            }
        }
        return -1;
    }

    static List<Object> rowValues(ConnectorSession session, SourcePage page, List<MeshColumnHandle> columns, int position, IntUnaryOperator channelOf)
    {
        // equality deletes compare null-safely: a deleted null matches a null
        List<Object> values = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Block block = page.getBlock(channelOf.applyAsInt(i));
            values.add(columns.get(i).type().getObjectValue(session, block, position));
        }
        return values;
    }

    private static void readAll(ParquetPageSourceFactory pageSources, TrinoFileSystem fileSystem, IcebergDeleteFile deleteFile, List<MeshColumnHandle> columns, TupleDomain<MeshColumnHandle> predicate, String description, Consumer<SourcePage> consumer)
    {
        try (ConnectorPageSource source = pageSources.createPageSource(
                fileSystem.newInputFile(HadoopPaths.toLocation(deleteFile.path()), deleteFile.fileSize()),
                0,
                deleteFile.fileSize(),
                columns,
                ImmutableMap.of(),
                predicate,
                Optional.empty(),
                description)) {
            for (SourcePage page = source.getNextSourcePage(); page != null; page = source.getNextSourcePage()) {
                consumer.accept(page);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record EqualityDeletes(List<MeshColumnHandle> columns, Set<List<Object>> values)
    {
        EqualityDeletes
        {
            columns = ImmutableList.copyOf(columns);
            requireNonNull(values, "values is null");
        }
    }
}
