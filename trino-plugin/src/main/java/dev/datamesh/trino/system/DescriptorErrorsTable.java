package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DescriptorIdentity;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RejectedDescriptor;
import dev.datamesh.trino.CatalogVisibility;
import dev.datamesh.trino.MeshRegistrySource;
import io.trino.spi.connector.ConnectorSession;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.VarcharType.VARCHAR;

/**
 * {@code system.descriptor_errors}: every problem of the descriptor folder as last loaded, with
 * file and line, the descriptor it belongs to and the product, domain and owner that descriptor
 * names (so that governance can show it to the people concerned), and the product whose last
 * valid version is served meanwhile.
 */
public final class DescriptorErrorsTable
        extends MeshSystemTable
{
    public DescriptorErrorsTable(MeshRegistrySource registrySource, Function<ConnectorSession, CatalogVisibility> visibility)
    {
        super(registrySource, visibility, "descriptor_errors", "Problems of the descriptor files; a product with problems is left out, or kept at its last valid version", ImmutableList.of(
                column("file", VARCHAR, "The file with the problem: a descriptor, or a schema file it names"),
                column("line", BIGINT, "Line of the problem, from 1"),
                column("column_number", BIGINT, "Column of the problem, from 1"),
                column("message", VARCHAR, "What is wrong and what to write instead"),
                column("data_product", VARCHAR, "The product of that descriptor whose last valid version is served meanwhile; null when none is"),
                column("descriptor_file", VARCHAR, "The descriptor the problem belongs to; null for a problem of the descriptor folder itself"),
                column("domain", VARCHAR, "The domain the descriptor names, when it could be read that far"),
                column("owner", VARCHAR, "The owner the descriptor names, when it could be read that far")));
    }

    @Override
    void addRows(Rows rows, MeshRegistry registry, ConnectorSession session)
    {
        for (DescriptorProblem problem : registry.folderProblems()) {
            if (rows.mayMatchProblem(null, null)) {
                rows.add(normalized(problem.position().file()).toString(), (long) problem.position().line(), (long) problem.position().column(), problem.message(), null, null, null, null);
            }
        }
        for (RejectedDescriptor rejected : registry.rejectedDescriptors()) {
            Path file = normalized(rejected.file());
            Optional<String> served = registry.products().stream()
                    .filter(product -> normalized(product.file()).equals(file))
                    .map(DataProductDescriptor::name)
                    .findFirst();
            DescriptorIdentity identity = rejected.identity();
            if (!rows.mayMatchProblem(served.orElse(null), file.toString())) {
                continue;
            }
            for (DescriptorProblem problem : rejected.problems()) {
                rows.add(normalized(problem.position().file()).toString(), (long) problem.position().line(), (long) problem.position().column(), problem.message(),
                        served.orElse(null), file.toString(), identity.domain().orElse(null), identity.owner().orElse(null));
            }
        }
    }

    private static Path normalized(Path file)
    {
        return file.toAbsolutePath().normalize();
    }
}
