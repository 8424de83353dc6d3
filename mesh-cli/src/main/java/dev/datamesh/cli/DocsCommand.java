package dev.datamesh.cli;

import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * Renders the mesh's catalog as one static HTML page: domains, products, owners, SLA status
 * measured on the data, columns with descriptions and classifications, and which roles can
 * read which products.
 */
@Command(name = "docs", mixinStandardHelpOptions = true, description = {
        "Render the mesh's catalog as a static HTML page.",
        "With the role mapping, it lists the roles that hold no grant yet too; with the global policies, the denials that override grants."})
final class DocsCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private MeshFiles mesh;

    @Option(names = "--out", required = true, paramLabel = "FOLDER", description = "Folder to write index.html into")
    private Path out;

    @Override
    public Integer call()
            throws IOException
    {
        PrintWriter output = spec.commandLine().getOut();
        MeshRegistry registry = new MeshRegistryLoader(mesh.descriptors(), MeshCli.localFileSystem()).load();
        GlobalPolicy policy;
        try {
            policy = mesh.policy().orElse(GlobalPolicy.EMPTY);
        }
        catch (DescriptorException e) {
            spec.commandLine().getErr().println("The policy is invalid; run validate for its problems:\n" + e.getMessage());
            return 1;
        }
        String page;
        try (SchemaInference inference = new SchemaInference(MeshCli.localFileSystem())) {
            page = new CatalogPage(registry, policy, inference, Clock.systemUTC()).render();
        }
        Files.createDirectories(out);
        Path index = out.resolve("index.html");
        Files.writeString(index, page);
        output.printf("Wrote %s: %s data products, %s assets%n", index.toAbsolutePath(), registry.products().size(), registry.assets().size());
        return 0;
    }
}
