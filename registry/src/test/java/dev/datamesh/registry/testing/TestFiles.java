package dev.datamesh.registry.testing;

import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;

/**
 * Files and folders the tests of every module set up: temporary folders, copies of folders, and
 * the files a test takes from data written before it.
 */
public final class TestFiles
{
    private TestFiles() {}

    /**
     * The local file system as the mesh reads it: locations are file:///absolute/path.
     */
    public static TrinoFileSystem localFileSystem()
    {
        return new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("test"));
    }

    /**
     * The location of a local path on {@link #localFileSystem()}: file:///absolute/path.
     */
    public static Location location(Path path)
    {
        return Location.of("file://" + path.toAbsolutePath().normalize());
    }

    /**
     * A temporary folder removed when the test JVM exits, so that repeated runs do not fill /tmp.
     */
    public static Path temporaryDirectory(String prefix)
            throws IOException
    {
        Path directory = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                deleteRecursively(directory, ALLOW_INSECURE);
            }
            catch (IOException _) {
                // best effort: the folder is in the system's temporary space
            }
        }));
        return directory;
    }

    /**
     * Copies the folder and everything below it to the target folder, replacing files that are
     * there already.
     */
    public static void copyTree(Path source, Path target)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                }
                else {
                    Files.copy(path, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * The first file, in the order of their paths, below the folder whose name ends with the suffix,
     * such as a data file of an asset (".parquet").
     */
    public static Path firstFile(Path folder, String suffix)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(path -> path.getFileName().toString().endsWith(suffix) && Files.isRegularFile(path))
                    .sorted()
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no file ending with %s below %s".formatted(suffix, folder)));
        }
    }
}
