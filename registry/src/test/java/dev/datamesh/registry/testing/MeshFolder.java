package dev.datamesh.registry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A mesh laid out in a folder for a test: descriptors, contracts, domains, roles and policy files,
 * and stand-ins for data files, each written at its path relative to the folder, with the folders
 * it needs.
 */
public final class MeshFolder
{
    /**
     * What a stand-in data file holds: the magic number of a Parquet file, enough for listings.
     */
    public static final String PARQUET_MAGIC = "PAR1";

    private final Path root;

    public MeshFolder(Path root)
    {
        this.root = requireNonNull(root, "root is null");
    }

    public Path root()
    {
        return root;
    }

    public Path resolve(String relative)
    {
        return root.resolve(relative);
    }

    /**
     * @return the file written
     */
    public Path write(String relative, String content)
            throws IOException
    {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /**
     * @return the descriptor file written
     */
    public Path write(String relative, DataProductYaml descriptor)
            throws IOException
    {
        return write(relative, descriptor.yaml());
    }

    /**
     * A stand-in for a data file: listed like one, but with no data to read.
     *
     * @return the file written
     */
    public Path touch(String relative)
            throws IOException
    {
        return write(relative, PARQUET_MAGIC);
    }
}
