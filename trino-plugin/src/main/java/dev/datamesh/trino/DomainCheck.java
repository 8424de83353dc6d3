package dev.datamesh.trino;

import com.google.inject.Inject;
import dev.datamesh.registry.HadoopPaths;
import dev.datamesh.registry.RegisteredAsset;
import io.airlift.log.Logger;
import io.trino.spi.TrinoException;

import static dev.datamesh.trino.MeshErrorCode.MESH_DATA_OUTSIDE_DOMAIN;
import static java.util.Objects.requireNonNull;

/**
 * Keeps each read inside the data locations the platform declares for the domain that owns the
 * asset: a Delta log or Iceberg metadata can name files anywhere, a catalog can report any table
 * location, and a folder can hold a symbolic link.
 */
public class DomainCheck
{
    private static final Logger log = Logger.get(DomainCheck.class);

    private final DomainsFile domainsFile;

    @Inject
    public DomainCheck(DomainsFile domainsFile)
    {
        this.domainsFile = requireNonNull(domainsFile, "domainsFile is null");
    }

    /**
     * Fails the read of a file outside the data locations of the domain that owns the asset (its
     * owner's, for a shared asset).
     */
    public void checkInDomain(RegisteredAsset asset, String file)
    {
        RegisteredAsset owner = asset.sharedFrom().orElse(asset);
        domainsFile.locations().locationProblem(owner.product().domain(), HadoopPaths.toLocation(file)).ifPresent(problem -> {
            // the reader learns that a file lies outside, not where it leads: that is another domain's
            log.warn("Refused to read %s: %s", asset.displayName(), problem);
            throw new TrinoException(MESH_DATA_OUTSIDE_DOMAIN, "Cannot read %s: a file it names lies outside the data locations of domain '%s', which the platform declares; the server log names the file"
                    .formatted(asset.displayName(), owner.product().domain()));
        });
    }
}
