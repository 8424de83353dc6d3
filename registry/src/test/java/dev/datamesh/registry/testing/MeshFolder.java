package dev.datamesh.registry.testing;

import io.trino.filesystem.Location;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static com.google.common.base.Preconditions.checkState;
import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.util.Objects.requireNonNull;

/**
 * A mesh laid out in a folder for a test: descriptors, contracts, domains, roles and policy files,
 * and stand-ins for data files, each written at its path relative to the folder, with the folders
 * it needs.
 * <p>
 * Registered as an extension ({@code @RegisterExtension final MeshFolder mesh = new MeshFolder();})
 * it is a new temporary folder for each test, deleted after it; {@link #MeshFolder(Path)} lays the
 * mesh out in a folder the test chose.
 */
public final class MeshFolder
        implements BeforeEachCallback, AfterEachCallback
{
    /**
     * What a stand-in data file holds: the magic number of a Parquet file, enough for listings.
     */
    public static final String PARQUET_MAGIC = "PAR1";

    private final boolean temporary;
    private Path root;

    /**
     * A temporary folder for each test, as an extension of the test class.
     */
    public MeshFolder()
    {
        this.temporary = true;
    }

    public MeshFolder(Path root)
    {
        this.temporary = false;
        this.root = requireNonNull(root, "root is null");
    }

    @Override
    public void beforeEach(ExtensionContext context)
            throws IOException
    {
        if (temporary) {
            root = Files.createTempDirectory("mesh-folder");
        }
    }

    @Override
    public void afterEach(ExtensionContext context)
            throws IOException
    {
        if (temporary) {
            deleteRecursively(root, ALLOW_INSECURE);
            root = null;
        }
    }

    public Path root()
    {
        checkState(root != null, "the temporary folder exists while a test runs");
        return root;
    }

    public Path resolve(String relative)
    {
        return root().resolve(relative);
    }

    /**
     * The location through which the mesh reads the file or folder: file:///absolute/path.
     */
    public Location location(String relative)
    {
        return TestFiles.location(resolve(relative));
    }

    /**
     * @return the file written
     */
    public Path write(String relative, String content)
            throws IOException
    {
        Path file = resolve(relative);
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
