package dev.datamesh.cli;

import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.PolicyParser;
import dev.datamesh.descriptor.TrinoSqlSyntax;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Renders the mesh's catalog as one static HTML page: domains, products, owners, SLA status
 * measured on the data, columns with descriptions and classifications, and which roles can
 * read which products.
 */
@Command(name = "docs", mixinStandardHelpOptions = true, description = "Render the mesh's catalog as a static HTML page.")
final class DocsCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DESCRIPTORS", description = "Folder of data product descriptors")
    private Path descriptors;

    @Option(names = "--roles", paramLabel = "FILE", description = "Role mapping file, for the roles that hold no grant yet")
    private Path roles;

    @Option(names = "--policies", paramLabel = "FOLDER", description = "Global policy folder, for the denials that override grants")
    private Path policies;

    @Option(names = "--out", required = true, paramLabel = "FOLDER", description = "Folder to write index.html into")
    private Path out;

    @Override
    public Integer call()
            throws IOException
    {
        PrintWriter output = spec.commandLine().getOut();
        MeshRegistry registry = new MeshRegistryLoader(descriptors, MeshCli.localFileSystem()).load();
        GlobalPolicy policy = GlobalPolicy.EMPTY;
        if (roles != null || policies != null) {
            try {
                policy = PolicyParser.parse(Optional.ofNullable(roles), Optional.ofNullable(policies), new TrinoSqlSyntax());
            }
            catch (DescriptorException e) {
                spec.commandLine().getErr().println("The policy is invalid; run validate for its problems:\n" + e.getMessage());
                return 1;
            }
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
