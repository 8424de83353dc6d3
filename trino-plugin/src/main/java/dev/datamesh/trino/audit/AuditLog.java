package dev.datamesh.trino.audit;

import io.airlift.units.DataSize;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.util.Objects.requireNonNull;

/**
 * An append-only file of lines, rotated by size (file.1 is the newest full file). Every line is
 * handed to the operating system as it is written, so a server that stops loses no line.
 */
public final class AuditLog
        implements AutoCloseable
{
    private final Path file;
    private final long maxFileSize;
    private final int maxHistory;
    private OutputStream output;
    private long size;

    public AuditLog(Path file, DataSize maxFileSize, int maxHistory)
    {
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
        this.maxFileSize = maxFileSize.toBytes();
        this.maxHistory = maxHistory;
    }

    public Path file()
    {
        return file;
    }

    public synchronized void append(String line)
    {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (output != null && size > 0 && size + bytes.length > maxFileSize) {
                rotate();
            }
            if (output == null) {
                Files.createDirectories(file.getParent());
                output = Files.newOutputStream(file, CREATE, APPEND);
                size = Files.size(file);
            }
            output.write(bytes);
            output.flush();
            size += bytes.length;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write the audit file " + file, e);
        }
    }

    private void rotate()
            throws IOException
    {
        output.close();
        output = null;
        Files.deleteIfExists(rotated(maxHistory));
        for (int generation = maxHistory - 1; generation >= 1; generation--) {
            if (Files.exists(rotated(generation))) {
                Files.move(rotated(generation), rotated(generation + 1), REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), REPLACE_EXISTING);
    }

    private Path rotated(int generation)
    {
        return file.resolveSibling(file.getFileName() + "." + generation);
    }

    @Override
    public synchronized void close()
    {
        if (output != null) {
            try {
                output.close();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            output = null;
        }
    }
}
