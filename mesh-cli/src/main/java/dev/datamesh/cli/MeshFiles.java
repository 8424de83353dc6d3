package dev.datamesh.cli;

import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.PolicyParser;
import dev.datamesh.descriptor.TrinoSqlSyntax;
import dev.datamesh.policies.GlobalPolicy;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of a mesh that validate and docs read, as the catalog's properties name them: the
 * descriptor folder, and the role mapping and global policies when given.
 */
final class MeshFiles
{
    @Parameters(index = "0", paramLabel = "DESCRIPTORS", description = "Folder of data product descriptors (searched recursively)")
    private Path descriptors;

    @Option(names = "--roles", paramLabel = "FILE", description = "Role mapping file (mesh.security.roles-file)")
    private Path roles;

    @Option(names = "--policies", paramLabel = "FOLDER", description = "Global policy folder (mesh.security.policies-directory)")
    private Path policies;

    Path descriptors()
    {
        return descriptors;
    }

    /**
     * The global policy as the mesh would load it, its expressions checked with Trino's SQL parser;
     * empty when neither file is given.
     */
    Optional<GlobalPolicy> policy()
            throws DescriptorException
    {
        if (roles == null && policies == null) {
            return Optional.empty();
        }
        return Optional.of(PolicyParser.parse(Optional.ofNullable(roles), Optional.ofNullable(policies), new TrinoSqlSyntax()));
    }
}
