package dev.datamesh.formats.delta;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestTrinoFileIO
{
    private final FileIO io = new TrinoFileIO(new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("test")));

    @TempDir
    Path directory;

    @Test
    void testWriteAndRead()
            throws IOException
    {
        String path = "file:" + directory.resolve("data.bin");
        try (PositionOutputStream output = io.newOutputFile(path).create(false)) {
            assertThat(output.getPos()).isZero();
            output.write("0123".getBytes(UTF_8), 0, 4);
            output.write('4');
            assertThat(output.getPos()).isEqualTo(5);
        }

        assertThat(io.newInputFile(path, -1).length()).isEqualTo(5);
        try (SeekableInputStream input = io.newInputFile(path, 5).newStream()) {
            input.seek(1);
            assertThat(input.read()).isEqualTo('1');
            assertThat(input.getPos()).isEqualTo(2);

            byte[] buffer = new byte[2];
            input.readFully(buffer, 0, 2);
            assertThat(new String(buffer, UTF_8)).isEqualTo("23");
            assertThat(input.getPos()).isEqualTo(4);

            // Kernel's readFully reads all it is asked for or fails
            assertThatThrownBy(() -> input.readFully(new byte[2], 0, 2))
                    .isInstanceOf(EOFException.class)
                    .hasMessage("end of file before 2 bytes could be read");
        }
    }
}
