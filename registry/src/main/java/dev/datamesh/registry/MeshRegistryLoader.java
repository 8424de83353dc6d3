package dev.datamesh.registry;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.descriptor.AssetSchema;
import dev.datamesh.descriptor.DataAssetDescriptor;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.DescriptorIdentity;
import dev.datamesh.descriptor.DescriptorParser;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.IcebergCatalogDescriptor;
import dev.datamesh.descriptor.ParsedDescriptor;
import dev.datamesh.descriptor.SourcePosition;
import io.airlift.log.Logger;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

/**
 * Scans a directory of descriptor files (*.yaml, *.yml, in any sub-folder) into a {@link MeshRegistry}.
 * A product with any problem is left out whole, with its problems reported; the others are served.
 * Files are taken in path order, so when two products claim the same name or table the first keeps it.
 */
public final class MeshRegistryLoader
{
    private static final Logger log = Logger.get(MeshRegistryLoader.class);
    private static final Set<String> RESERVED_SCHEMAS = Set.of("information_schema", "system");

    private final Path directory;
    private final TrinoFileSystem fileSystem;
    private final Set<String> storageProfiles;
    private final DomainLocations domains;
    private final IcebergCatalogResolver icebergCatalogs;
    private final DescriptorFolder folder;

    public MeshRegistryLoader(Path directory, TrinoFileSystem fileSystem)
    {
        this(directory, fileSystem, ImmutableSet.of());
    }

    public MeshRegistryLoader(Path directory, TrinoFileSystem fileSystem, Set<String> storageProfiles)
    {
        this(directory, fileSystem, storageProfiles, ImmutableMap.of(), DomainLocations.UNDECLARED);
    }

    public MeshRegistryLoader(Path directory, TrinoFileSystem fileSystem, Set<String> storageProfiles, Map<String, IcebergCatalogDescriptor> icebergCatalogs)
    {
        this(directory, fileSystem, storageProfiles, icebergCatalogs, DomainLocations.UNDECLARED);
    }

    public MeshRegistryLoader(Path directory, TrinoFileSystem fileSystem, Set<String> storageProfiles, DomainLocations domains)
    {
        this(directory, fileSystem, storageProfiles, ImmutableMap.of(), domains);
    }

    /**
     * @param fileSystem checks that local locations exist; object store locations are checked
     * when read, so a store that is down at start-up does not leave its products out for good
     * @param storageProfiles the storage profiles descriptors may name
     * @param icebergCatalogs the Iceberg catalogs the platform declares, which descriptors may name, by name
     * @param domains what each domain may publish, as the platform declares it
     */
    public MeshRegistryLoader(Path directory, TrinoFileSystem fileSystem, Set<String> storageProfiles, Map<String, IcebergCatalogDescriptor> icebergCatalogs, DomainLocations domains)
    {
        this.domains = requireNonNull(domains, "domains is null");
        this.storageProfiles = ImmutableSet.copyOf(storageProfiles);
        this.icebergCatalogs = new IcebergCatalogResolver(icebergCatalogs, domains);
        this.directory = requireNonNull(directory, "directory is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.folder = new DescriptorFolder(directory);
    }

    public MeshRegistry load()
    {
        List<DescriptorProblem> folderProblems = new ArrayList<>();
        List<RejectedDescriptor> rejected = new ArrayList<>();
        List<DataProductDescriptor> products = new ArrayList<>();
        List<RegisteredAsset> assets = new ArrayList<>();
        Map<String, Path> productFiles = new HashMap<>();
        Map<String, RegisteredAsset> tables = new HashMap<>();
        PublishedLocations published = new PublishedLocations();
        Map<DataAssetDescriptor.AssetReference, RegisteredAsset> owned = new HashMap<>();

        // products that publish assets shared with them come after the products that own them
        List<ParsedDescriptor> parsedDescriptors = new ArrayList<>();
        for (Path file : descriptorFiles(folderProblems)) {
            try {
                parsedDescriptors.add(DescriptorParser.parseDataProduct(file));
            }
            catch (DescriptorException e) {
                rejected.add(new RejectedDescriptor(file, e.identity(), e.problems()));
            }
        }
        List<ParsedDescriptor> ordered = ImmutableList.<ParsedDescriptor>builder()
                .addAll(parsedDescriptors.stream().filter(parsed -> !publishesShared(parsed)).toList())
                .addAll(parsedDescriptors.stream().filter(MeshRegistryLoader::publishesShared).toList())
                .build();
        for (ParsedDescriptor parsed : ordered) {
            DataProductDescriptor product = parsed.descriptor();
            try {
                List<RegisteredAsset> productAssets = register(parsed, productFiles, tables, published, owned);
                products.add(product);
                assets.addAll(productAssets);
                productFiles.put(product.name(), product.file());
                productAssets.forEach(asset -> {
                    tables.put(asset.schemaName() + "." + asset.tableName(), asset);
                    if (asset.sharedFrom().isEmpty()) {
                        owned.put(new DataAssetDescriptor.AssetReference(product.name(), asset.asset().name()), asset);
                        asset.location().ifPresent(location -> published.add(DomainLocations.canonical(location), asset));
                    }
                });
            }
            catch (DescriptorException e) {
                rejected.add(new RejectedDescriptor(product.file(), e.identity(), e.problems()));
            }
        }
        // reported in file order, whichever pass left them out
        rejected.sort(Comparator.comparing(RejectedDescriptor::file));
        MeshRegistry registry = new MeshRegistry(products, assets, folderProblems, rejected);
        registry.problems().forEach(problem -> log.warn("Data product left out of the mesh: %s", problem));
        log.info("Loaded %s data products with %s assets from %s (%s problems)", products.size(), assets.size(), directory, registry.problems().size());
        return registry;
    }

    private List<Path> descriptorFiles(List<DescriptorProblem> problems)
    {
        if (!Files.isDirectory(directory)) {
            problems.add(new DescriptorProblem(SourcePosition.startOf(directory), "descriptor directory does not exist or is not a directory; set mesh.descriptors.directory to the folder of data product descriptors"));
            return ImmutableList.of();
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.walk(directory)) {
            candidates = files
                    .filter(Files::isRegularFile)
                    .filter(file -> {
                        String name = file.getFileName().toString();
                        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
                    })
                    .sorted()
                    .collect(toImmutableList());
        }
        catch (IOException e) {
            problems.add(new DescriptorProblem(SourcePosition.startOf(directory), "cannot list descriptor directory: " + e));
            return ImmutableList.of();
        }
        ImmutableList.Builder<Path> descriptorFiles = ImmutableList.builder();
        for (Path file : candidates) {
            try {
                folder.confine(file, "descriptor file");
                descriptorFiles.add(file);
            }
            catch (IllegalArgumentException e) {
                // a link to a file outside the folder is not read: its content would show in the problems
                problems.add(new DescriptorProblem(SourcePosition.startOf(file), e.getMessage()));
            }
        }
        return descriptorFiles.build();
    }

    /**
     * How an owner names a product it shares with: by domain and name, so that a product of that
     * name in another domain takes nothing.
     */
    public static String sharedWithName(DataProductDescriptor product)
    {
        return product.domain() + "/" + product.name();
    }

    private static boolean publishesShared(ParsedDescriptor parsed)
    {
        return parsed.descriptor().dataAssets().stream().anyMatch(asset -> asset.sharedFrom().isPresent());
    }

    /**
     * The asset another product owns and shares with this product, published in this product's
     * domain as its owner publishes it.
     */
    private static Optional<RegisteredAsset> sharedAsset(ParsedDescriptor parsed, int assetIndex, String schemaName, String tableName, Map<DataAssetDescriptor.AssetReference, RegisteredAsset> owned, List<DescriptorProblem> problems)
    {
        DataProductDescriptor product = parsed.descriptor();
        DataAssetDescriptor asset = product.dataAssets().get(assetIndex);
        DataAssetDescriptor.AssetReference reference = asset.sharedFrom().orElseThrow();
        SourcePosition position = parsed.positionOfAsset(assetIndex, "shared_from");
        RegisteredAsset owner = owned.get(reference);
        if (owner == null) {
            problems.add(new DescriptorProblem(position, "data product '%s' publishes no asset '%s' of its own to share (a product left out for its problems publishes none)".formatted(reference.product(), reference.asset())));
            return Optional.empty();
        }
        if (!owner.asset().sharedWith().contains(sharedWithName(product))) {
            problems.add(new DescriptorProblem(position, "%s is not shared with data product '%s' of domain %s; its owner lists the products that may publish it in the asset's shared_with, as %s (%s)"
                    .formatted(owner.displayName(), product.name(), product.domain(), sharedWithName(product), owner.product().file())));
            return Optional.empty();
        }
        if (owner.asset().format() != asset.format()) {
            problems.add(new DescriptorProblem(parsed.positionOfAsset(assetIndex, "format"), "%s is %s, not %s".formatted(owner.displayName(), owner.asset().format().descriptorName(), asset.format().descriptorName())));
            return Optional.empty();
        }
        return Optional.of(RegisteredAsset.shared(schemaName, tableName, product, asset, owner));
    }

    private List<RegisteredAsset> register(ParsedDescriptor parsed, Map<String, Path> productFiles, Map<String, RegisteredAsset> tables, PublishedLocations published, Map<DataAssetDescriptor.AssetReference, RegisteredAsset> owned)
            throws DescriptorException
    {
        DataProductDescriptor product = parsed.descriptor();
        List<DescriptorProblem> problems = new ArrayList<>();
        Path descriptorDirectory = product.file().toAbsolutePath().getParent();

        Path otherFile = productFiles.get(product.name());
        if (otherFile != null) {
            problems.add(new DescriptorProblem(parsed.positionOf("name"), "data product '%s' is already defined in %s; product names must be unique in the mesh".formatted(product.name(), otherFile)));
        }
        domains.descriptorProblem(product.domain(), product.file())
                .ifPresent(problem -> problems.add(new DescriptorProblem(parsed.positionOf("domain"), problem)));
        String schemaName = MeshNames.schemaName(product.domain());
        if (RESERVED_SCHEMAS.contains(schemaName)) {
            problems.add(new DescriptorProblem(parsed.positionOf("domain"), "domain '%s' would become the reserved schema '%s'; choose another domain name".formatted(product.domain(), schemaName)));
        }

        product.storage().ifPresent(storage -> checkStorage(product.domain(), storage, parsed.positionOf("storage"), problems));
        // resolved once, so that a product's unknown catalog is one problem however many assets use it
        Optional<IcebergCatalogResolver.ResolvedCatalog> productCatalog = product.icebergCatalog().flatMap(reference -> icebergCatalogs.resolve(product.domain(), reference, descriptorDirectory, problems));
        ImmutableList.Builder<RegisteredAsset> assets = ImmutableList.builder();
        for (int i = 0; i < product.dataAssets().size(); i++) {
            int index = i;
            DataAssetDescriptor asset = product.dataAssets().get(i);
            String tableName = MeshNames.tableName(asset.name());
            RegisteredAsset owner = tables.get(schemaName + "." + tableName);
            if (owner != null) {
                problems.add(new DescriptorProblem(
                        parsed.positionOfAsset(i, "name"),
                        "table '%s.%s' is already published by data product '%s' (%s); rename this asset".formatted(schemaName, tableName, owner.product().name(), owner.product().file())));
            }

            if (asset.sharedFrom().isPresent()) {
                sharedAsset(parsed, index, schemaName, tableName, owned, problems).ifPresent(assets::add);
                continue;
            }
            asset.storage().ifPresent(storage -> checkStorage(product.domain(), storage, parsed.positionOfAsset(index, "storage"), problems));
            Optional<Location> location = asset.location().flatMap(_ -> resolveLocation(parsed, index, descriptorDirectory, problems));
            Optional<String> locationProblem = location.flatMap(resolved -> domains.locationProblem(product.domain(), resolved));
            locationProblem.ifPresent(problem -> problems.add(new DescriptorProblem(parsed.positionOfAsset(index, "location"), problem)));
            // where domains own their data, a piece of data is published once, with one contract
            if (domains.file().isPresent() && locationProblem.isEmpty()) {
                location.flatMap(resolved -> published.overlapping(DomainLocations.canonical(resolved)))
                        .ifPresent(other -> problems.add(new DescriptorProblem(parsed.positionOfAsset(index, "location"),
                                "location %s holds data that %s publishes from %s; a piece of data is published by one product: read it through that product, or have its owner share the asset with this product"
                                        .formatted(location.orElseThrow(), other.displayName(), other.storageLocation()))));
            }
            Optional<IcebergCatalogResolver.ResolvedCatalog> catalog = asset.catalog().isPresent()
                    ? icebergCatalogs.resolve(product.domain(), asset.catalog().orElseThrow(), descriptorDirectory, problems)
                    : productCatalog;
            Optional<CatalogTable> catalogTable = asset.table().flatMap(table -> catalog.map(resolved -> resolved.table(table)));
            Optional<AssetSchema> declaredSchema = Optional.empty();
            if (asset.schema().isPresent()) {
                Optional<Path> schemaFile = Optional.empty();
                try {
                    schemaFile = Optional.of(folder.confine(descriptorDirectory.resolve(asset.schema().orElseThrow()), "schema file"));
                }
                catch (IllegalArgumentException e) {
                    problems.add(new DescriptorProblem(parsed.positionOfAsset(i, "schema"), e.getMessage()));
                }
                if (schemaFile.isPresent()) {
                    try {
                        declaredSchema = Optional.of(DescriptorParser.parseAssetSchema(schemaFile.orElseThrow()));
                    }
                    catch (DescriptorException e) {
                        problems.addAll(e.problems());
                    }
                }
            }
            if (location.isPresent() || catalogTable.isPresent()) {
                assets.add(new RegisteredAsset(schemaName, tableName, product, asset, location, catalogTable, declaredSchema));
            }
        }
        if (!problems.isEmpty()) {
            throw new DescriptorException(problems, DescriptorIdentity.of(product));
        }
        return assets.build();
    }

    private void checkStorage(String domain, String storage, SourcePosition position, List<DescriptorProblem> problems)
    {
        if (!storageProfiles.contains(storage)) {
            String configured = storageProfiles.isEmpty() ? "none is configured" : "configured: " + String.join(", ", storageProfiles.stream().sorted().toList());
            problems.add(new DescriptorProblem(position, "storage profile '%s' is not configured in the mesh catalog (%s); add mesh.storage.%s.s3.* properties to the catalog, or correct the name".formatted(storage, configured, storage)));
            return;
        }
        domains.storageProfileProblem(domain, storage).ifPresent(problem -> problems.add(new DescriptorProblem(position, problem)));
    }

    private Optional<Location> resolveLocation(ParsedDescriptor parsed, int assetIndex, Path descriptorDirectory, List<DescriptorProblem> problems)
    {
        DataAssetDescriptor asset = parsed.descriptor().dataAssets().get(assetIndex);
        SourcePosition position = parsed.positionOfAsset(assetIndex, "location");
        Location location;
        try {
            location = AssetLocations.resolve(asset.location().orElseThrow(), descriptorDirectory);
        }
        catch (IllegalArgumentException e) {
            problems.add(new DescriptorProblem(position, e.getMessage()));
            return Optional.empty();
        }
        if (!location.scheme().orElse("file").equals("file")) {
            return Optional.of(location);
        }
        try {
            if (fileSystem.directoryExists(location).orElse(false) || fileSystem.newInputFile(location).exists()) {
                return Optional.of(location);
            }
            problems.add(new DescriptorProblem(position, "location %s does not exist; create it or correct the path (local paths are relative to this descriptor)".formatted(location)));
        }
        catch (IOException | RuntimeException e) {
            problems.add(new DescriptorProblem(position, "location %s cannot be read: %s".formatted(location, e.getMessage())));
        }
        return Optional.empty();
    }
}
