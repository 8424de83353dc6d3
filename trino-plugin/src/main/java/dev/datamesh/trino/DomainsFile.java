package dev.datamesh.trino;

import com.google.common.base.Suppliers;
import com.google.inject.Inject;
import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.registry.DomainLocations;
import io.airlift.log.Logger;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The platform's domains file ({@code mesh.domains-file}), read the first time it is needed: on
 * the coordinator, when its connector loads the registry as it starts, so that a file that cannot
 * be read stops the catalog there, since serving without it would let any domain publish
 * anything. A worker never reads it: it plans no scan and checks no location, it reads the files
 * the coordinator's splits name.
 */
public final class DomainsFile
{
    private static final Logger log = Logger.get(DomainsFile.class);

    private final Supplier<DomainLocations> locations;

    @Inject
    public DomainsFile(MeshConfig config)
    {
        this(Optional.ofNullable(config.getDomainsFile()));
    }

    public DomainsFile(Optional<Path> file)
    {
        requireNonNull(file, "file is null");
        // an attempt that fails is not kept: the next one reads the file again
        this.locations = Suppliers.memoize(() -> load(file));
    }

    /**
     * The domains the file declares, read on the first call.
     *
     * @throws IllegalArgumentException if the file cannot be read or declares something invalid
     */
    public DomainLocations locations()
    {
        return locations.get();
    }

    private static DomainLocations load(Optional<Path> file)
    {
        if (file.isEmpty()) {
            log.warn("mesh.domains-file is not set: data locations are not bound to domains, so any descriptor may publish any location this server can read, " +
                    "another domain's data included, with any storage profile and Iceberg catalog of the catalog; declare each domain's locations in a domains file for a shared mesh");
            return DomainLocations.UNDECLARED;
        }
        try {
            return DomainLocations.load(file.orElseThrow());
        }
        catch (DescriptorException e) {
            throw new IllegalArgumentException("Invalid domains file (mesh.domains-file):\n" + String.join("\n", e.problems().stream().map(DescriptorProblem::toString).toList()), e);
        }
    }
}
