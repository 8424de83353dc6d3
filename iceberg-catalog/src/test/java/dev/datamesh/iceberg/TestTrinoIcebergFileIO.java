package dev.datamesh.iceberg;

import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.RangeReadable;
import org.apache.iceberg.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.datamesh.registry.testing.TestFiles.localFileSystem;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestTrinoIcebergFileIO
{
    private final FileIO io = new TrinoIcebergFileIO(localFileSystem());

    @TempDir
    Path directory;

    @Test
    void testWriteAndRead()
            throws IOException
    {
        // Iceberg names local files in all three spellings
        for (String path : new String[] {"file://" + directory.resolve("a.bin"), "file:" + directory.resolve("b.bin"), directory.resolve("c.bin").toString()}) {
            OutputFile output = io.newOutputFile(path);
            try (PositionOutputStream stream = output.create()) {
                stream.write("0123".getBytes(UTF_8));
                stream.write('4');
                assertThat(stream.getPos()).isEqualTo(5);
            }
            assertThat(output.location()).isEqualTo(path);

            InputFile input = io.newInputFile(path);
            assertThat(input.exists()).isTrue();
            assertThat(input.getLength()).isEqualTo(5);
            assertThat(output.toInputFile().getLength()).isEqualTo(5);
            try (SeekableInputStream stream = input.newStream()) {
                stream.seek(2);
                assertThat(stream.read()).isEqualTo('2');
                assertThat(stream.getPos()).isEqualTo(3);
                byte[] buffer = new byte[2];
                ((RangeReadable) stream).readFully(0, buffer, 0, 2);
                assertThat(new String(buffer, UTF_8)).isEqualTo("01");
                assertThat(((RangeReadable) stream).readTail(buffer, 0, 2)).isEqualTo(2);
                assertThat(new String(buffer, UTF_8)).isEqualTo("34");
                // range reads leave the stream where it was
                assertThat(stream.read()).isEqualTo('3');
            }
            assertThat(io.newInputFile(path, 5).getLength()).isEqualTo(5);
        }
    }

    @Test
    void testOverwrite()
            throws IOException
    {
        String path = directory.resolve("version-hint.text").toString();
        Files.writeString(Path.of(path), "12");
        try (PositionOutputStream stream = io.newOutputFile(path).createOrOverwrite()) {
            stream.write('3');
        }
        assertThat(Path.of(path)).hasContent("3");

        try (PositionOutputStream stream = io.newOutputFile(directory.resolve("new.text").toString()).createOrOverwrite()) {
            stream.write('1');
        }
        assertThat(directory.resolve("new.text")).hasContent("1");
    }

    @Test
    void testCreateExistingFile()
            throws IOException
    {
        Path file = directory.resolve("v1.metadata.json");
        Files.writeString(file, "{}");
        // Iceberg's contract: create never replaces a file, and says so with AlreadyExistsException
        assertThatThrownBy(() -> io.newOutputFile("file://" + file).create())
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining(file.toString());
        assertThat(file).hasContent("{}");
    }

    @Test
    void testMissingFile()
    {
        String path = "file://" + directory.resolve("missing.avro");
        InputFile input = io.newInputFile(path);
        assertThat(input.exists()).isFalse();
        assertThatThrownBy(input::getLength)
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("File does not exist: " + path);
        assertThatThrownBy(input::newStream)
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("File does not exist: " + path);
        assertThatThrownBy(() -> io.newInputFile(path, 10).newStream())
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("File does not exist: " + path);
    }

    @Test
    void testDelete()
            throws IOException
    {
        Path file = directory.resolve("data.parquet");
        Files.writeString(file, "PAR1");
        io.deleteFile("file://" + file);
        assertThat(file).doesNotExist();
    }
}
