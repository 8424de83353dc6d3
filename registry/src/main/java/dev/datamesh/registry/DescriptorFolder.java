package dev.datamesh.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder of descriptors (mesh.descriptors.directory) as the files of domain teams may reach
 * it: a descriptor, or a schema file a descriptor names, is read only when it resolves, after
 * {@code ..} and symbolic links, to a regular file inside the folder. Descriptors are input, not
 * configuration: without this a descriptor could make the server read any file it may read, and
 * show parts of it in the problems it reports.
 */
final class DescriptorFolder
{
    private final Path directory;

    DescriptorFolder(Path directory)
    {
        this.directory = directory.toAbsolutePath().normalize();
    }

    Path directory()
    {
        return directory;
    }

    /**
     * The real path of a file a descriptor names, to be read.
     *
     * @param what how messages name the file: "schema file"
     * @throws IllegalArgumentException why it may not be read; nothing of the file is read to say so
     */
    Path confine(Path file, String what)
    {
        Path path = file.toAbsolutePath().normalize();
        if (!path.startsWith(directory)) {
            throw new IllegalArgumentException("%s %s lies outside the descriptor folder %s; only files inside it are read".formatted(what, path, directory));
        }
        Path real;
        try {
            real = path.toRealPath();
        }
        catch (IOException e) {
            // a link to a file outside that does not exist would otherwise tell whether it does
            if (throughSymbolicLink(path)) {
                throw leadsOutside(what, path);
            }
            throw new IllegalArgumentException("%s %s does not exist; the path is relative to this descriptor".formatted(what, path));
        }
        if (!real.startsWith(realDirectory())) {
            throw leadsOutside(what, path);
        }
        if (!Files.isRegularFile(real)) {
            throw new IllegalArgumentException("%s %s is not a file".formatted(what, path));
        }
        return real;
    }

    private IllegalArgumentException leadsOutside(String what, Path path)
    {
        return new IllegalArgumentException("%s %s leads through a symbolic link to no file inside the descriptor folder %s; only files inside it are read".formatted(what, path, directory));
    }

    private Path realDirectory()
    {
        try {
            return directory.toRealPath();
        }
        catch (IOException e) {
            throw new IllegalArgumentException("the descriptor folder %s cannot be read: %s".formatted(directory, e.getMessage()));
        }
    }

    /**
     * Whether a symbolic link lies on the way from the folder to the path; only the links inside
     * the folder are looked at, never where they lead.
     */
    private boolean throughSymbolicLink(Path path)
    {
        Path current = directory;
        for (Path name : directory.relativize(path)) {
            current = current.resolve(name);
            if (Files.isSymbolicLink(current)) {
                return true;
            }
        }
        return false;
    }
}
