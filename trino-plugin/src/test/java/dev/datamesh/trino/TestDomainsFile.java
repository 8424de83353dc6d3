package dev.datamesh.trino;

import dev.datamesh.registry.DomainLocations;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestDomainsFile
{
    /**
     * A worker's connector is built with the catalog's properties but never asks for the
     * domains: a file it cannot read is no problem there, only where the registry loads.
     */
    @Test
    void testReadOnFirstUseOnly()
            throws Exception
    {
        Path file = temporaryDirectory("domains-file").resolve("domains.yaml");
        DomainsFile domains = new DomainsFile(Optional.of(file));
        assertThatThrownBy(domains::locations)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid domains file (mesh.domains-file):")
                .hasMessageContaining(file.toString());

        // a failed read is not kept
        Files.writeString(file, """
                domains:
                  sales:
                    descriptors: [products/sales]
                    locations: [data/sales]
                """);
        DomainLocations locations = domains.locations();
        assertThat(locations).isSameAs(domains.locations());
        assertThat(locations).isNotSameAs(DomainLocations.UNDECLARED);
        assertThat(new DomainsFile(Optional.empty()).locations()).isSameAs(DomainLocations.UNDECLARED);
    }
}
