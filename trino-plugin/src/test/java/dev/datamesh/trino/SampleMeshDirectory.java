package dev.datamesh.trino;

import dev.datamesh.sample.SampleMesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static dev.datamesh.registry.testing.TestFiles.copyTree;
import static dev.datamesh.registry.testing.TestFiles.firstFile;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;

/**
 * A copy of the repository's sample mesh (etc/mesh) with freshly generated data, in a temporary
 * folder laid out like etc/mesh: products/ beside data/, roles.yaml, groups.txt, policies/.
 */
public final class SampleMeshDirectory
{
    private SampleMeshDirectory() {}

    /**
     * @return the products folder, to be used as mesh.descriptors.directory
     */
    public static Path create()
    {
        try {
            return createIn(temporaryDirectory("sample-mesh")).resolve("products");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of the repository's etc/mesh (descriptors, roles, groups, policies) in the folder,
     * with freshly generated data in its data/ subfolder.
     *
     * @return the folder
     */
    public static Path createIn(Path meshDirectory)
            throws IOException
    {
        Path source = repositoryRoot().resolve("etc/mesh");
        Files.createDirectories(meshDirectory);
        try (Stream<Path> entries = Files.list(source)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("data")) {
                    copyTree(entry, meshDirectory.resolve(entry.getFileName().toString()));
                }
            }
        }
        SampleMesh.writeData(meshDirectory.resolve("data"));
        return meshDirectory;
    }

    /**
     * Declares one more domain, its descriptor folder (products/domain) and its data location, in
     * the sample's domains file beside the products folder, as the platform team would for a new domain.
     *
     * @param location relative to the mesh folder, such as data/finance
     */
    public static void declareDomain(Path products, String domain, String location)
            throws IOException
    {
        Files.writeString(products.resolveSibling("domains.yaml"), "  %1$s:\n    descriptors: [products/%1$s]\n    locations: [%2$s]\n".formatted(domain, location), StandardOpenOption.APPEND);
    }

    /**
     * The first data file of the sample's customer profiles (customer-service/customer_profile, 10
     * columns), which tests copy into assets of their own.
     */
    public static Path customerProfileFile(Path products)
            throws IOException
    {
        return firstFile(products.resolveSibling("data/customer-service/customer_profile"), ".parquet");
    }

    public static Path repositoryRoot()
    {
        Path current = Path.of("").toAbsolutePath();
        while (current != null) {
            if (Files.isDirectory(current.resolve("etc/mesh/products"))) {
                return current;
            }
            current = current.getParent();
        }
        throw new IllegalStateException("tests must run inside the repository: no etc/mesh/products above " + Path.of("").toAbsolutePath());
    }
}
