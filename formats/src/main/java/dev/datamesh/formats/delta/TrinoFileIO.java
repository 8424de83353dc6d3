package dev.datamesh.formats.delta;

import com.google.common.io.CountingOutputStream;
import dev.datamesh.registry.HadoopPaths;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.trino.filesystem.FileEntry;
import io.trino.filesystem.FileIterator;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoInputFile;
import io.trino.filesystem.TrinoInputStream;
import io.trino.filesystem.TrinoOutputFile;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Delta Kernel's file access, served by TrinoFileSystem instead of Hadoop's FileSystem (whose
 * UserGroupInformation fails on Java 24+). Queries only read; writing serves the sample mesh,
 * whose Delta table is written by Kernel itself.
 */
public final class TrinoFileIO
        implements FileIO
{
    private final TrinoFileSystem fileSystem;

    public TrinoFileIO(TrinoFileSystem fileSystem)
    {
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
    }

    @Override
    public CloseableIterator<FileStatus> listFrom(String filePath)
            throws IOException
    {
        Location start = HadoopPaths.toLocation(filePath);
        Location directory = start.parentDirectory();
        String startName = start.fileName();
        String directoryPath = HadoopPaths.trimTrailingSlash(directory.path());
        List<FileStatus> files = new ArrayList<>();
        FileIterator iterator = fileSystem.listFiles(directory);
        while (iterator.hasNext()) {
            FileEntry entry = iterator.next();
            String path = entry.location().path();
            String relative = path.substring(Math.min(path.length(), directoryPath.length() + 1));
            // the listing is recursive; Kernel wants the folder's own files (not _sidecars/...)
            if (relative.contains("/") || relative.compareTo(startName) < 0) {
                continue;
            }
            files.add(FileStatus.of(HadoopPaths.toHadoopPath(directory.appendPath(relative)), entry.length(), entry.lastModified().toEpochMilli()));
        }
        files.sort(Comparator.comparing(FileStatus::getPath));
        return iterator(files);
    }

    @Override
    public FileStatus getFileStatus(String path)
            throws IOException
    {
        TrinoInputFile file = fileSystem.newInputFile(HadoopPaths.toLocation(path));
        return FileStatus.of(path, file.length(), file.lastModified().toEpochMilli());
    }

    @Override
    public String resolvePath(String path)
    {
        return HadoopPaths.toHadoopPath(HadoopPaths.toLocation(path));
    }

    @Override
    public boolean mkdirs(String path)
            throws IOException
    {
        fileSystem.createDirectory(HadoopPaths.toLocation(path));
        return true;
    }

    @Override
    public InputFile newInputFile(String path, long fileSize)
    {
        TrinoInputFile file = fileSize >= 0
                ? fileSystem.newInputFile(HadoopPaths.toLocation(path), fileSize)
                : fileSystem.newInputFile(HadoopPaths.toLocation(path));
        return new InputFile()
        {
            @Override
            public long length()
                    throws IOException
            {
                return file.length();
            }

            @Override
            public String path()
            {
                return path;
            }

            @Override
            public SeekableInputStream newStream()
                    throws IOException
            {
                return new KernelSeekableInputStream(file.newStream());
            }
        };
    }

    @Override
    public OutputFile newOutputFile(String path)
    {
        TrinoOutputFile file = fileSystem.newOutputFile(HadoopPaths.toLocation(path));
        return new OutputFile()
        {
            @Override
            public String path()
            {
                return path;
            }

            @Override
            public PositionOutputStream create(boolean atomicWrite)
                    throws IOException
            {
                return new KernelPositionOutputStream(file.create());
            }

            @Override
            public void writeAtomically(CloseableIterator<String> lines, boolean overwrite)
                    throws IOException
            {
                StringBuilder content = new StringBuilder();
                try (lines) {
                    while (lines.hasNext()) {
                        content.append(lines.next()).append('\n');
                    }
                }
                byte[] bytes = content.toString().getBytes(UTF_8);
                // without overwrite the write must fail when the file exists: that is how concurrent commits are detected
                if (overwrite) {
                    file.createOrOverwrite(bytes);
                }
                else {
                    try (OutputStream output = file.create()) {
                        output.write(bytes);
                    }
                }
            }
        };
    }

    @Override
    public boolean delete(String path)
            throws IOException
    {
        fileSystem.deleteFile(HadoopPaths.toLocation(path));
        return true;
    }

    @Override
    public Optional<String> getConf(String confKey)
    {
        return Optional.empty();
    }

    private static <T> CloseableIterator<T> iterator(List<T> values)
    {
        var delegate = values.iterator();
        return new CloseableIterator<>()
        {
            @Override
            public boolean hasNext()
            {
                return delegate.hasNext();
            }

            @Override
            public T next()
            {
                if (!delegate.hasNext()) {
                    throw new NoSuchElementException();
                }
                return delegate.next();
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Kernel's output stream class, which adds the position: Guava's counting stream keeps it.
     */
    private static final class KernelPositionOutputStream
            extends PositionOutputStream
    {
        private final CountingOutputStream output;

        KernelPositionOutputStream(OutputStream output)
        {
            this.output = new CountingOutputStream(output);
        }

        @Override
        public long getPos()
        {
            return output.getCount();
        }

        @Override
        public void write(int value)
                throws IOException
        {
            output.write(value);
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

    /**
     * Kernel's seekable stream class over TrinoFileSystem's seekable stream; Kernel's readFully
     * fails at the end of the file.
     */
    private static final class KernelSeekableInputStream
            extends SeekableInputStream
    {
        private final TrinoInputStream stream;

        KernelSeekableInputStream(TrinoInputStream stream)
        {
            this.stream = requireNonNull(stream, "stream is null");
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
        public long getPos()
                throws IOException
        {
            return stream.getPosition();
        }

        @Override
        public void seek(long position)
                throws IOException
        {
            stream.seek(position);
        }

        @Override
        public void readFully(byte[] buffer, int offset, int length)
                throws IOException
        {
            if (stream.readNBytes(buffer, offset, length) < length) {
                throw new EOFException("end of file before %s bytes could be read".formatted(length));
            }
        }

        @Override
        public void close()
                throws IOException
        {
            stream.close();
        }
    }
}
