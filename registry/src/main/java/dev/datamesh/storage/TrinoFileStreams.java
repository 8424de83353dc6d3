package dev.datamesh.storage;

import io.trino.filesystem.TrinoInput;
import io.trino.filesystem.TrinoInputFile;
import io.trino.filesystem.TrinoInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import static java.util.Objects.requireNonNull;

/**
 * The streams that Delta Kernel's and Iceberg's FileIO over TrinoFileSystem hand out. Each library
 * declares its own abstract stream classes (a seekable input, an output that knows its position),
 * so each FileIO subclasses those with one-line delegations to these; what the streams do lives here.
 */
public final class TrinoFileStreams
{
    private TrinoFileStreams() {}

    /**
     * A TrinoInputStream that also answers positioned reads (a range, the tail) through a
     * TrinoInput of the same file, opened at the first such read, without moving the stream.
     */
    public static final class SeekableInput
            extends InputStream
    {
        private final TrinoInputStream stream;
        private final TrinoInputFile file;
        private TrinoInput input;

        public SeekableInput(TrinoInputStream stream, TrinoInputFile file)
        {
            this.stream = requireNonNull(stream, "stream is null");
            this.file = requireNonNull(file, "file is null");
        }

        public static SeekableInput open(TrinoInputFile file)
                throws IOException
        {
            return new SeekableInput(file.newStream(), file);
        }

        public long getPosition()
                throws IOException
        {
            return stream.getPosition();
        }

        public void seek(long position)
                throws IOException
        {
            stream.seek(position);
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

        /**
         * Reads {@code length} bytes from the stream's position, failing at the end of the file.
         */
        public void readFully(byte[] buffer, int offset, int length)
                throws IOException
        {
            if (stream.readNBytes(buffer, offset, length) < length) {
                throw new EOFException("end of file before %s bytes could be read".formatted(length));
            }
        }

        /**
         * Reads {@code length} bytes at {@code position}; the stream stays where it was.
         */
        public void readFully(long position, byte[] buffer, int offset, int length)
                throws IOException
        {
            input().readFully(position, buffer, offset, length);
        }

        /**
         * Reads up to {@code length} bytes from the end of the file; the stream stays where it was.
         */
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

    /**
     * An output stream that counts the bytes written through it.
     */
    public static final class PositionOutput
            extends OutputStream
    {
        private final OutputStream delegate;
        private long position;

        public PositionOutput(OutputStream delegate)
        {
            this.delegate = requireNonNull(delegate, "delegate is null");
        }

        public long getPosition()
        {
            return position;
        }

        @Override
        public void write(int value)
                throws IOException
        {
            delegate.write(value);
            position++;
        }

        @Override
        public void write(byte[] buffer, int offset, int length)
                throws IOException
        {
            delegate.write(buffer, offset, length);
            position += length;
        }

        @Override
        public void flush()
                throws IOException
        {
            delegate.flush();
        }

        @Override
        public void close()
                throws IOException
        {
            delegate.close();
        }
    }
}
