package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What the platform lets one domain publish: the folders of its descriptors and the data
 * locations it owns, as the domains file writes them, and the storage profiles and Iceberg
 * catalogs its descriptors may name.
 *
 * @param descriptors each descriptor folder as written, with where it is written
 * @param locations each location as written, with where it is written
 */
public record DomainDeclaration(String domain, List<DeclaredLocation> descriptors, List<DeclaredLocation> locations, Set<String> storageProfiles, Set<String> icebergCatalogs, SourcePosition position)
{
    public record DeclaredLocation(String location, SourcePosition position)
    {
        public DeclaredLocation
        {
            requireNonNull(location, "location is null");
            requireNonNull(position, "position is null");
        }
    }

    public DomainDeclaration
    {
        requireNonNull(domain, "domain is null");
        descriptors = ImmutableList.copyOf(descriptors);
        locations = ImmutableList.copyOf(locations);
        storageProfiles = ImmutableSet.copyOf(storageProfiles);
        icebergCatalogs = ImmutableSet.copyOf(icebergCatalogs);
        requireNonNull(position, "position is null");
    }
}
