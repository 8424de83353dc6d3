package dev.datamesh.trino.parquet;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.formats.parquet.MeshParquetDataSource;
import dev.datamesh.formats.parquet.ParquetSchemaConverter;
import dev.datamesh.trino.MeshColumnHandle;
import io.trino.filesystem.TrinoInputFile;
import io.trino.memory.context.AggregatedMemoryContext;
import io.trino.parquet.Column;
import io.trino.parquet.Field;
import io.trino.parquet.ParquetDataSource;
import io.trino.parquet.ParquetReaderOptions;
import io.trino.parquet.metadata.FileMetadata;
import io.trino.parquet.metadata.ParquetMetadata;
import io.trino.parquet.predicate.TupleDomainParquetPredicate;
import io.trino.parquet.reader.MetadataReader;
import io.trino.parquet.reader.ParquetReader;
import io.trino.parquet.reader.RowGroupInfo;
import io.trino.spi.block.Block;
import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.type.TypeOperators;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.io.ColumnIO;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.joda.time.DateTimeZone;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.UnaryOperator;

import static io.trino.memory.context.AggregatedMemoryContext.newSimpleAggregatedMemoryContext;
import static io.trino.parquet.ParquetTypeUtils.constructField;
import static io.trino.parquet.ParquetTypeUtils.getColumnIO;
import static io.trino.parquet.ParquetTypeUtils.getDescriptors;
import static io.trino.parquet.ParquetTypeUtils.lookupColumnByName;
import static io.trino.parquet.predicate.PredicateUtils.buildPredicate;
import static io.trino.parquet.predicate.PredicateUtils.getFilteredRowGroups;
import static io.trino.spi.predicate.Utils.nativeValueToBlock;
import static java.util.Objects.requireNonNull;

/**
 * Opens one split of a Parquet file with trino-parquet: reads only the requested columns, skips
 * row groups whose statistics, dictionaries or bloom filters rule out the predicate, and adds
 * partition keys and absent columns as constants.
 */
public final class ParquetPageSourceFactory
{
    // how many discrete values of a domain are kept before it is widened to a range for statistics checks
    private static final int DOMAIN_COMPACTION_THRESHOLD = 1000;

    private final ParquetReaderOptions options;
    private final TypeOperators typeOperators;
    private final ParquetSchemaConverter schemaConverter;

    public ParquetPageSourceFactory(ParquetReaderOptions options, TypeOperators typeOperators)
    {
        this.options = requireNonNull(options, "options is null");
        this.typeOperators = requireNonNull(typeOperators, "typeOperators is null");
        this.schemaConverter = new ParquetSchemaConverter(typeOperators);
    }

    /**
     * @param constants the value of each column that does not come from the file (partition keys), by column name
     * @param deletedRows positions (from the start of the file) of rows that are no longer in the table
     */
    public ConnectorPageSource createPageSource(
            TrinoInputFile inputFile,
            long start,
            long length,
            List<MeshColumnHandle> columns,
            Map<String, Block> constants,
            TupleDomain<MeshColumnHandle> predicate,
            Optional<LongPredicate> deletedRows,
            String fileDescription)
    {
        ParquetDataSource dataSource = null;
        try {
            AggregatedMemoryContext memoryContext = newSimpleAggregatedMemoryContext();
            dataSource = new MeshParquetDataSource(inputFile, options);
            ParquetMetadata parquetMetadata = MetadataReader.readFooter(dataSource, Optional.empty());
            FileMetadata fileMetadata = parquetMetadata.getFileMetaData();
            MessageType fileSchema = fileMetadata.getSchema();

            List<Type> requestedFields = new ArrayList<>();
            for (MeshColumnHandle column : columns) {
                if (!constants.containsKey(column.name())) {
                    ParquetFieldIds.fileField(column, fileSchema)
                            .filter(field -> requestedFields.stream().noneMatch(existing -> existing.getName().equals(field.getName())))
                            .ifPresent(requestedFields::add);
                }
            }
            MessageType requestedSchema = new MessageType(fileSchema.getName(), requestedFields);
            MessageColumnIO messageColumnIO = getColumnIO(fileSchema, requestedSchema);
            Map<List<String>, ColumnDescriptor> descriptorsByPath = getDescriptors(fileSchema, requestedSchema);

            TupleDomain<ColumnDescriptor> parquetTupleDomain = toParquetTupleDomain(predicate, fileSchema, descriptorsByPath, schemaConverter);
            TupleDomainParquetPredicate parquetPredicate = buildPredicate(requestedSchema, parquetTupleDomain, descriptorsByPath, DateTimeZone.UTC);
            List<RowGroupInfo> rowGroups = getFilteredRowGroups(
                    start,
                    length,
                    dataSource,
                    parquetMetadata,
                    ImmutableList.of(parquetTupleDomain),
                    ImmutableList.of(parquetPredicate),
                    descriptorsByPath,
                    DateTimeZone.UTC,
                    DOMAIN_COMPACTION_THRESHOLD,
                    options);

            List<Column> readerColumns = new ArrayList<>();
            int[] sourceChannels = new int[columns.size()];
            Block[] constantBlocks = new Block[columns.size()];
            List<Optional<UnaryOperator<Block>>> coercions = new ArrayList<>();
            for (int channel = 0; channel < columns.size(); channel++) {
                MeshColumnHandle column = columns.get(channel);
                Block constant = constants.get(column.name());
                Optional<Field> field = Optional.empty();
                Optional<UnaryOperator<Block>> coercion = Optional.empty();
                if (constant == null) {
                    Type parquetField = ParquetFieldIds.fileField(column, fileSchema).orElse(null);
                    io.trino.spi.type.Type readType = column.fileType();
                    if (parquetField != null && column.identity().isPresent() && ParquetFieldIds.hasFieldIds(fileSchema)) {
                        readType = ParquetFieldIds.readType(readType, column.identity().orElseThrow(), parquetField, typeOperators);
                    }
                    if (parquetField != null && TimestampMillisCoercion.applies(readType, parquetField)) {
                        readType = TimestampMillisCoercion.readType();
                        coercion = Optional.of(new TimestampMillisCoercion());
                    }
                    ColumnIO columnIO = parquetField == null ? null : lookupColumnByName(messageColumnIO, parquetField.getName());
                    field = columnIO == null ? Optional.empty() : constructField(readType, columnIO);
                }
                coercions.add(coercion);
                if (field.isPresent()) {
                    sourceChannels[channel] = readerColumns.size();
                    readerColumns.add(new Column(column.fileName(), field.orElseThrow()));
                }
                else {
                    // a column this file does not have reads as null, as when files of a folder gained columns over time
                    sourceChannels[channel] = -1;
                    constantBlocks[channel] = constant != null ? constant : nativeValueToBlock(column.type(), null);
                }
            }

            ParquetReader reader = new ParquetReader(
                    Optional.ofNullable(fileMetadata.getCreatedBy()),
                    readerColumns,
                    deletedRows.isPresent(),
                    rowGroups,
                    dataSource,
                    DateTimeZone.UTC,
                    memoryContext,
                    options,
                    exception -> ParquetFilePageSource.readFailure(fileDescription, exception),
                    Optional.of(parquetPredicate),
                    Optional.empty());
            return new ParquetFilePageSource(reader, fileDescription, sourceChannels, constantBlocks, coercions, deletedRows);
        }
        catch (IOException | RuntimeException e) {
            if (dataSource != null) {
                try {
                    dataSource.close();
                }
                catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw ParquetFilePageSource.readFailure(fileDescription, e);
        }
    }

    private static TupleDomain<ColumnDescriptor> toParquetTupleDomain(TupleDomain<MeshColumnHandle> predicate, MessageType fileSchema, Map<List<String>, ColumnDescriptor> descriptorsByPath, ParquetSchemaConverter schemaConverter)
    {
        if (predicate.isNone()) {
            return TupleDomain.none();
        }
        ImmutableMap.Builder<ColumnDescriptor, Domain> domains = ImmutableMap.builder();
        for (Map.Entry<MeshColumnHandle, Domain> entry : predicate.getDomains().orElseThrow().entrySet()) {
            MeshColumnHandle column = entry.getKey();
            Type field = column.partitionKey() ? null : ParquetFieldIds.fileField(column, fileSchema).orElse(null);
            // Parquet keeps statistics for top-level primitive columns only. A column promoted since the
            // file was written (float to double, int to bigint) is left out: trino-parquet reads the
            // statistics and bloom filters as the column's type, and would misread the file's
            if (field != null && field.isPrimitive() && schemaConverter.toTrinoType(field).filter(column.type()::equals).isPresent()) {
                ColumnDescriptor descriptor = descriptorsByPath.get(ImmutableList.of(field.getName()));
                if (descriptor != null) {
                    domains.put(descriptor, entry.getValue());
                }
            }
        }
        return TupleDomain.withColumnDomains(domains.buildOrThrow());
    }
}
