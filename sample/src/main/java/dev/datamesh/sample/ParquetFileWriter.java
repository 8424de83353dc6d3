package dev.datamesh.sample;

import com.google.common.collect.ImmutableList;
import io.airlift.units.DataSize;
import io.trino.parquet.writer.ParquetSchemaConverter;
import io.trino.parquet.writer.ParquetWriter;
import io.trino.parquet.writer.ParquetWriterOptions;
import io.trino.spi.Page;
import io.trino.spi.PageBuilder;
import io.trino.spi.type.Type;
import org.apache.parquet.format.CompressionCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.trino.spi.type.TypeUtils.writeNativeValue;

/**
 * Writes rows of Trino native values to a Parquet file with trino-parquet's writer.
 */
public final class ParquetFileWriter
{
    private static final int ROWS_PER_PAGE = 1024;

    private ParquetFileWriter() {}

    public static void write(Path file, List<String> columnNames, List<Type> types, List<List<Object>> rows, DataSize rowGroupSize)
            throws IOException
    {
        ParquetSchemaConverter schema = new ParquetSchemaConverter(types, columnNames, false, false);
        ParquetWriterOptions options = ParquetWriterOptions.builder()
                .setMaxBlockSize(rowGroupSize)
                .build();
        Files.createDirectories(file.getParent());
        try (OutputStream output = Files.newOutputStream(file);
                ParquetWriter writer = new ParquetWriter(output, schema.getMessageType(), schema.getPrimitiveTypes(), options, CompressionCodec.SNAPPY, "data-mesh", Optional.empty(), Optional.empty())) {
            PageBuilder pageBuilder = new PageBuilder(ImmutableList.copyOf(types));
            for (List<Object> row : rows) {
                pageBuilder.declarePosition();
                for (int column = 0; column < types.size(); column++) {
                    writeNativeValue(types.get(column), pageBuilder.getBlockBuilder(column), row.get(column));
                }
                if (pageBuilder.getPositionCount() == ROWS_PER_PAGE) {
                    writer.write(pageBuilder.build());
                    pageBuilder.reset();
                }
            }
            if (!pageBuilder.isEmpty()) {
                Page page = pageBuilder.build();
                writer.write(page);
            }
        }
    }
}
