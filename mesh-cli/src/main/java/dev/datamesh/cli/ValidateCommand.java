package dev.datamesh.cli;

import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.registry.DomainLocations;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import dev.datamesh.registry.PolicyReferences;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import static java.util.function.Function.identity;
import static java.util.stream.Collectors.toUnmodifiableMap;

/**
 * Checks a descriptor folder, its schema files and the global policy as the mesh would load
 * them, and that the policy's scopes and tags and the descriptors' grants name what exists;
 * every problem with file, line and column; exit code 1 when there is any.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check descriptors, schema files and policies; exit code 1 on any problem.")
final class ValidateCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private MeshFiles mesh;

    @Option(names = "--storage-profile", paramLabel = "NAME", description = "A storage profile the catalog configures (repeatable)")
    private Set<String> storageProfiles = Set.of();

    @Option(names = "--domains", paramLabel = "FILE", description = "The platform's domains file (mesh.domains-file): each domain's data locations, storage profiles and Iceberg catalogs")
    private Path domains;

    @Option(names = "--iceberg-catalog", paramLabel = "NAME", description = "An Iceberg catalog the catalog declares, mesh.iceberg-catalog.NAME.* (repeatable)")
    private Set<String> icebergCatalogs = Set.of();

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        List<DescriptorProblem> problems = new ArrayList<>();
        DomainLocations domainLocations = DomainLocations.UNDECLARED;
        if (domains != null) {
            try {
                domainLocations = DomainLocations.load(domains);
            }
            catch (DescriptorException e) {
                problems.addAll(e.problems());
            }
        }
        MeshRegistry registry = new MeshRegistryLoader(mesh.descriptors(), MeshCli.localFileSystem(), storageProfiles, declaredCatalogs(), domainLocations).load();
        problems.addAll(registry.problems());
        try {
            mesh.policy().ifPresent(policy -> problems.addAll(PolicyReferences.unknownNames(policy, List.of(registry))));
        }
        catch (DescriptorException e) {
            problems.addAll(e.problems());
        }
        problems.sort(Comparator.comparing((DescriptorProblem problem) -> problem.position().file().toString())
                .thenComparingInt(problem -> problem.position().line())
                .thenComparingInt(problem -> problem.position().column()));
        for (DescriptorProblem problem : problems) {
            out.println(problem.position().file() + ":" + problem.position().line() + ":" + problem.position().column() + ": " + problem.message());
        }
        out.printf("%s data products, %s assets, %s problems%n", registry.products().size(), registry.assets().size(), problems.size());
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * The catalogs named on the command line: validating checks names only and opens no catalog,
     * so each stands for the platform's declaration by its name alone.
     */
    private Map<String, IcebergCatalogDescriptor> declaredCatalogs()
    {
        return icebergCatalogs.stream().collect(toUnmodifiableMap(identity(), name -> new IcebergCatalogDescriptor(
                IcebergCatalogDescriptor.Type.REST,
                name,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                "--iceberg-catalog " + name)));
    }
}
