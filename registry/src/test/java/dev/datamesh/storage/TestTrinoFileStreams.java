package dev.datamesh.storage;

import dev.datamesh.storage.TrinoFileStreams.PositionOutput;
import dev.datamesh.storage.TrinoFileStreams.SeekableInput;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;

import static dev.datamesh.registry.testing.TestFiles.localFileSystem;
import static dev.datamesh.registry.testing.TestFiles.location;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestTrinoFileStreams
{
    private final TrinoFileSystem fileSystem = localFileSystem();

    @TempDir
    Path directory;

    @Test
    void testWriteAndRead()
            throws IOException
    {
        Location location = location(directory.resolve("data.bin"));
        try (PositionOutput output = new PositionOutput(fileSystem.newOutputFile(location).create())) {
            assertThat(output.getPosition()).isZero();
            output.write("0123".getBytes(UTF_8), 0, 4);
            output.write('4');
            assertThat(output.getPosition()).isEqualTo(5);
        }

        try (SeekableInput input = SeekableInput.open(fileSystem.newInputFile(location))) {
            input.seek(1);
            assertThat(input.read()).isEqualTo('1');
            assertThat(input.getPosition()).isEqualTo(2);

            byte[] buffer = new byte[2];
            input.readFully(buffer, 0, 2);
            assertThat(new String(buffer, UTF_8)).isEqualTo("23");

            // positioned reads leave the stream where it was
            input.readFully(0, buffer, 0, 2);
            assertThat(new String(buffer, UTF_8)).isEqualTo("01");
            assertThat(input.readTail(buffer, 0, 2)).isEqualTo(2);
            assertThat(new String(buffer, UTF_8)).isEqualTo("34");
            assertThat(input.getPosition()).isEqualTo(4);

            assertThatThrownBy(() -> input.readFully(new byte[2], 0, 2))
                    .isInstanceOf(EOFException.class)
                    .hasMessage("end of file before 2 bytes could be read");
        }
    }
}
