package dev.datamesh.registry;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.DomainDeclaration;
import dev.datamesh.descriptor.DomainsParser;
import io.trino.filesystem.Location;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The data locations each domain owns, and the storage profiles and Iceberg catalogs it may use,
 * as the platform declares them in its domains file, as Lake Formation registers data locations.
 * A location is compared as what it finally names: local paths with their symbolic links and
 * {@code ..} resolved, object store locations without their scheme aliases (s3a://, s3n://) and
 * trailing slashes, and by whole path segments, so that {@code s3://bucket/sales} does not own
 * {@code s3://bucket/sales-archive}.
 */
public final class DomainLocations
{
    /**
     * No declarations: any descriptor may publish any location the server can read.
     */
    public static final DomainLocations UNDECLARED = new DomainLocations(Optional.empty(), ImmutableMap.of(), ImmutableMap.of(), ImmutableMap.of());

    private final Optional<Path> file;
    private final Map<String, DomainDeclaration> declarations;
    private final Map<String, List<Location>> locations;
    private final Map<String, List<Location>> descriptorFolders;

    private DomainLocations(Optional<Path> file, Map<String, DomainDeclaration> declarations, Map<String, List<Location>> locations, Map<String, List<Location>> descriptorFolders)
    {
        this.file = requireNonNull(file, "file is null");
        this.declarations = ImmutableMap.copyOf(declarations);
        this.locations = ImmutableMap.copyOf(locations);
        this.descriptorFolders = ImmutableMap.copyOf(descriptorFolders);
    }

    /**
     * Reads the domains file; its local locations are relative to the file's folder.
     */
    public static DomainLocations load(Path file)
            throws DescriptorException
    {
        Map<String, DomainDeclaration> declarations = DomainsParser.parse(file);
        List<DescriptorProblem> problems = new ArrayList<>();
        ImmutableMap.Builder<String, List<Location>> locations = ImmutableMap.builder();
        ImmutableMap.Builder<String, List<Location>> descriptorFolders = ImmutableMap.builder();
        Path folder = file.toAbsolutePath().getParent();
        declarations.forEach((domain, declaration) -> {
            locations.put(domain, resolve(declaration.locations(), folder, problems));
            descriptorFolders.put(domain, resolve(declaration.descriptors(), folder, problems));
        });
        if (!problems.isEmpty()) {
            throw new DescriptorException(problems);
        }
        return new DomainLocations(Optional.of(file.toAbsolutePath().normalize()), declarations, locations.buildOrThrow(), descriptorFolders.buildOrThrow());
    }

    private static List<Location> resolve(List<DomainDeclaration.DeclaredLocation> declared, Path folder, List<DescriptorProblem> problems)
    {
        ImmutableList.Builder<Location> resolved = ImmutableList.builder();
        for (DomainDeclaration.DeclaredLocation location : declared) {
            try {
                resolved.add(canonical(AssetLocations.resolve(location.location(), folder)));
            }
            catch (IllegalArgumentException e) {
                problems.add(new DescriptorProblem(location.position(), e.getMessage()));
            }
        }
        return resolved.build();
    }

    /**
     * Why the descriptor may not describe a product of the domain it names; nothing when it may.
     * A descriptor's domain is that of the folder holding it: domain teams write their own
     * folders, and a product of another's name would publish under that domain's rules.
     */
    public Optional<String> descriptorProblem(String domain, Path descriptor)
    {
        // a domain the file does not declare publishes nothing, which its assets are told
        if (file.isEmpty() || !declarations.containsKey(domain)) {
            return Optional.empty();
        }
        Location canonical = canonical(Location.of("file://" + descriptor.toAbsolutePath().normalize()));
        List<String> holders = descriptorFolders.entrySet().stream()
                .filter(entry -> entry.getValue().stream().anyMatch(folder -> contains(folder, canonical)))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        if (holders.contains(domain)) {
            return Optional.empty();
        }
        String where = holders.isEmpty() ? "in no domain's descriptor folder" : "in the descriptor folder of domain %s".formatted(String.join(", ", holders.stream().map(holder -> "'" + holder + "'").toList()));
        return Optional.of("this descriptor names domain '%s' but lies %s, as declared in %s; a domain's products are described in its own folder".formatted(domain, where, file.orElseThrow()));
    }

    public Optional<Path> file()
    {
        return file;
    }

    /**
     * Why the domain may not publish the location; nothing when it may.
     */
    public Optional<String> locationProblem(String domain, Location location)
    {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        List<Location> owned = locations.get(domain);
        if (owned == null) {
            return Optional.of(undeclared(domain));
        }
        // an object store takes .. as part of a key, some S3-compatible stores as a step up
        if (location.scheme().filter(scheme -> !scheme.equals("file")).isPresent() && Arrays.stream(location.path().split("/")).anyMatch(segment -> segment.equals("..") || segment.equals("."))) {
            return Optional.of("location %s has a '.' or '..' segment, which object stores read differently; write the location without it".formatted(location));
        }
        Location canonical = canonical(location);
        if (owned.stream().anyMatch(prefix -> contains(prefix, canonical))) {
            return Optional.empty();
        }
        String where = canonical.equals(location) ? location.toString() : "%s (%s)".formatted(location, canonical);
        return Optional.of("location %s is not one of domain '%s''s data locations (%s) declared in %s; publish the domain's own data, or ask the platform team to declare the location for the domain, or the owning domain to share its asset"
                .formatted(where, domain, owned.isEmpty() ? "none" : String.join(", ", owned.stream().map(Location::toString).toList()), file.orElseThrow()));
    }

    /**
     * Why the domain may not name the storage profile; nothing when it may.
     */
    public Optional<String> storageProfileProblem(String domain, String profile)
    {
        return nameProblem(domain, profile, "storage profile", "storage_profiles", declaration -> declaration.storageProfiles().contains(profile));
    }

    /**
     * Why the domain may not name the Iceberg catalog; nothing when it may.
     */
    public Optional<String> icebergCatalogProblem(String domain, String catalog)
    {
        return nameProblem(domain, catalog, "Iceberg catalog", "iceberg_catalogs", declaration -> declaration.icebergCatalogs().contains(catalog));
    }

    private Optional<String> nameProblem(String domain, String name, String kind, String key, Predicate<DomainDeclaration> allowed)
    {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        DomainDeclaration declaration = declarations.get(domain);
        if (declaration == null) {
            return Optional.of(undeclared(domain));
        }
        if (allowed.test(declaration)) {
            return Optional.empty();
        }
        return Optional.of("%s '%s' is not given to domain '%s' in %s (%s); ask the platform team to add it to the domain's %s".formatted(kind, name, domain, file.orElseThrow(), declaration.position(), key));
    }

    private String undeclared(String domain)
    {
        return "domain '%s' is not declared in %s, so it may publish no data; ask the platform team to declare its data locations".formatted(domain, file.orElseThrow());
    }

    /**
     * What a location finally names: a local path with its symbolic links resolved as far as it
     * exists, an object store location without a trailing slash.
     */
    static Location canonical(Location location)
    {
        if (location.scheme().orElse("file").equals("file")) {
            Path path = Path.of("/" + location.path()).normalize();
            Path existing = path;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null) {
                try {
                    path = existing.toRealPath().resolve(existing.relativize(path));
                }
                catch (IOException e) {
                    // an unreadable folder is compared as written; reading it fails later with its own error
                }
            }
            return Location.of("file://" + path);
        }
        String text = location.toString();
        while (text.endsWith("/") && text.indexOf("://") + 3 < text.length() - 1) {
            text = text.substring(0, text.length() - 1);
        }
        return Location.of(text);
    }

    /**
     * Whether the location is the prefix or lies under it, by whole path segments.
     */
    static boolean contains(Location prefix, Location location)
    {
        if (!prefix.scheme().equals(location.scheme()) || !prefix.host().equals(location.host())) {
            return false;
        }
        String prefixPath = prefix.path();
        String path = location.path();
        return path.equals(prefixPath) || prefixPath.isEmpty() || path.startsWith(prefixPath.endsWith("/") ? prefixPath : prefixPath + "/");
    }
}
