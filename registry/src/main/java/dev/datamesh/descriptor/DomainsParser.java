package dev.datamesh.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the platform's domains file: which locations, storage profiles and Iceberg catalogs each
 * domain may publish from. Domain teams write descriptors; the platform team writes this file.
 */
public final class DomainsParser
{
    private DomainsParser() {}

    /**
     * The declarations by domain name, as descriptors write the domain.
     */
    public static Map<String, DomainDeclaration> parse(Path file)
            throws DescriptorException
    {
        LocatedDocument document = LocatedDocumentReader.read(file);
        List<DescriptorProblem> problems = DocumentSchema.DOMAINS.validate(document);
        if (!problems.isEmpty()) {
            throw new DescriptorException(problems);
        }
        ImmutableMap.Builder<String, DomainDeclaration> domains = ImmutableMap.builder();
        document.root().path("domains").properties().forEach(entry -> {
            String pointer = "/domains/" + entry.getKey();
            JsonNode domain = entry.getValue();
            domains.put(entry.getKey(), new DomainDeclaration(
                    entry.getKey(),
                    declaredLocations(document, pointer, "descriptors"),
                    declaredLocations(document, pointer, "locations"),
                    names(domain.path("storage_profiles")),
                    names(domain.path("iceberg_catalogs")),
                    document.positionOfKey(pointer)));
        });
        return domains.buildOrThrow();
    }

    private static List<DomainDeclaration.DeclaredLocation> declaredLocations(LocatedDocument document, String domainPointer, String field)
    {
        ImmutableList.Builder<DomainDeclaration.DeclaredLocation> locations = ImmutableList.builder();
        JsonNode declared = document.root().at(domainPointer + "/" + field);
        for (int i = 0; i < declared.size(); i++) {
            locations.add(new DomainDeclaration.DeclaredLocation(declared.get(i).asText(), document.positionOf(domainPointer + "/" + field + "/" + i)));
        }
        return locations.build();
    }

    private static Set<String> names(JsonNode array)
    {
        ImmutableSet.Builder<String> names = ImmutableSet.builder();
        array.forEach(name -> names.add(name.asText()));
        return names.build();
    }
}
