package dev.datamesh.iceberg;

import com.google.common.collect.ImmutableMap;
import com.google.common.io.CountingOutputStream;
import dev.datamesh.registry.HadoopPaths;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoInput;
import io.trino.filesystem.TrinoInputFile;
import io.trino.filesystem.TrinoInputStream;
import io.trino.filesystem.TrinoOutputFile;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.RangeReadable;
import org.apache.iceberg.io.SeekableInputStream;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Iceberg's file access served by TrinoFileSystem, so metadata, manifests and (for the sample and
 * the tests) newly written tables go through the same file systems as the data, without Hadoop.
 * Manifests are immutable, so Iceberg may keep their content in memory across scans.
 */
public final class TrinoIcebergFileIO
        implements FileIO
{
    private static final Map<String, String> PROPERTIES = ImmutableMap.of(CatalogProperties.IO_MANIFEST_CACHE_ENABLED, "true");

    private final TrinoFileSystem fileSystem;

    public TrinoIcebergFileIO(TrinoFileSystem fileSystem)
    {
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
    }

    @Override
    public InputFile newInputFile(String path)
    {
        return new TrinoIcebergInputFile(fileSystem.newInputFile(HadoopPaths.toLocation(path)), path, -1);
    }

    @Override
    public InputFile newInputFile(String path, long length)
    {
        return new TrinoIcebergInputFile(fileSystem.newInputFile(HadoopPaths.toLocation(path), length), path, length);
    }

    @Override
    public OutputFile newOutputFile(String path)
    {
        return new TrinoIcebergOutputFile(fileSystem.newOutputFile(HadoopPaths.toLocation(path)), path, fileSystem);
    }

    @Override
    public void deleteFile(String path)
    {
        try {
            fileSystem.deleteFile(HadoopPaths.toLocation(path));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path, e);
        }
    }

    @Override
    public Map<String, String> properties()
    {
        return PROPERTIES;
    }

    private record TrinoIcebergInputFile(TrinoInputFile file, String path, long knownLength)
            implements InputFile
    {
        @Override
        public long getLength()
        {
            if (knownLength >= 0) {
                return knownLength;
            }
            try {
                return file.length();
            }
            catch (FileNotFoundException | NoSuchFileException e) {
                throw new NotFoundException(e, "File does not exist: %s", path);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot read the length of " + path, e);
            }
        }

        @Override
        public SeekableInputStream newStream()
        {
            try {
                return new IcebergSeekableInputStream(file);
            }
            catch (FileNotFoundException | NoSuchFileException e) {
                throw new NotFoundException(e, "File does not exist: %s", path);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot open " + path, e);
            }
        }

        @Override
        public String location()
        {
            return path;
        }

        @Override
        public boolean exists()
        {
            try {
                return file.exists();
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot check whether %s exists".formatted(path), e);
            }
        }
    }

    /**
     * Iceberg's seekable stream class over TrinoFileSystem's seekable stream. Iceberg reads
     * manifests and footers by range when the stream can; a TrinoInput of the same file, opened at
     * the first such read, answers them without moving the stream.
     */
    private static final class IcebergSeekableInputStream
            extends SeekableInputStream
            implements RangeReadable
    {
        private final TrinoInputFile file;
        private final TrinoInputStream stream;
        private TrinoInput input;

        private IcebergSeekableInputStream(TrinoInputFile file)
                throws IOException
        {
            this.file = requireNonNull(file, "file is null");
            this.stream = file.newStream();
        }

        @Override
        public long getPos()
                throws IOException
        {
            return stream.getPosition();
        }

        @Override
        public void seek(long newPos)
                throws IOException
        {
            stream.seek(newPos);
        }

        @Override
        public int read()
                throws IOException
        {
            return stream.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            return stream.read(buffer, offset, length);
        }

        @Override
        public void readFully(long position, byte[] buffer, int offset, int length)
                throws IOException
        {
            input().readFully(position, buffer, offset, length);
        }

        @Override
        public int readTail(byte[] buffer, int offset, int length)
                throws IOException
        {
            return input().readTail(buffer, offset, length);
        }

        private TrinoInput input()
                throws IOException
        {
            if (input == null) {
                input = file.newInput();
            }
            return input;
        }

        @Override
        public void close()
                throws IOException
        {
            try (stream) {
                if (input != null) {
                    input.close();
                }
            }
        }
    }

    private record TrinoIcebergOutputFile(TrinoOutputFile file, String path, TrinoFileSystem fileSystem)
            implements OutputFile
    {
        @Override
        public PositionOutputStream create()
        {
            try {
                return new IcebergPositionOutputStream(file.create());
            }
            catch (FileAlreadyExistsException e) {
                // Iceberg's contract: callers that must not replace a file (a metadata version) rely on it
                throw new AlreadyExistsException(e, "File already exists: %s", path);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot create " + path, e);
            }
        }

        @Override
        public PositionOutputStream createOrOverwrite()
        {
            try {
                fileSystem.deleteFile(file.location());
            }
            catch (IOException _) {
                // nothing to overwrite
            }
            return create();
        }

        @Override
        public String location()
        {
            return path;
        }

        @Override
        public InputFile toInputFile()
        {
            Location location = file.location();
            return new TrinoIcebergInputFile(fileSystem.newInputFile(location), path, -1);
        }
    }

    /**
     * Iceberg's output stream class, which adds the position: Guava's counting stream keeps it.
     */
    private static final class IcebergPositionOutputStream
            extends PositionOutputStream
    {
        private final CountingOutputStream output;

        private IcebergPositionOutputStream(OutputStream output)
        {
            this.output = new CountingOutputStream(output);
        }

        @Override
        public long getPos()
        {
            return output.getCount();
        }

        @Override
        public void write(int b)
                throws IOException
        {
            output.write(b);
        }

        @Override
        public void write(byte[] buffer, int offset, int length)
                throws IOException
        {
            output.write(buffer, offset, length);
        }

        @Override
        public void flush()
                throws IOException
        {
            output.flush();
        }

        @Override
        public void close()
                throws IOException
        {
            output.close();
        }
    }
}
