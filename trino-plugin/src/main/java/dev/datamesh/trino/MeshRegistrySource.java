package dev.datamesh.trino;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import dev.datamesh.registry.RegisteredAsset;
import io.airlift.log.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * The registry of a mesh catalog, kept current: the descriptor folder is checked for added,
 * changed and removed files at most once per refresh period and loaded again when it changed. A
 * product whose file turns invalid keeps its last valid version (its problems are reported with
 * the registry's); a removed file removes its product. A query sees one registry from its first
 * look to its end, whatever reloads happen meanwhile, and so does governance for that query.
 * Nothing is read before the first use: the coordinator's connector loads the registry when it
 * starts ({@link #load()}); a worker's never does, it reads only what the coordinator's splits
 * and table handles name.
 */
public final class MeshRegistrySource
{
    private static final Logger log = Logger.get(MeshRegistrySource.class);

    private final Path directory;
    private final Supplier<MeshRegistry> loader;
    private final long refreshNanos;
    private final ReentrantLock reloadLock = new ReentrantLock();
    // Guava's builder: EvictableCacheBuilder has no expireAfterAccess
    private final Cache<String, MeshRegistry> queryRegistries = CacheBuilder.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .maximumSize(100_000)
            .build();
    // null until the first load
    private volatile State state;

    private record State(MeshRegistry registry, List<FileStamp> stamps, long checkedAt) {}

    private record FileStamp(Path file, long modified, long size) {}

    /**
     * @param loader loads the registry from the directory's descriptors
     */
    public MeshRegistrySource(Path directory, Supplier<MeshRegistry> loader, io.airlift.units.Duration refreshPeriod)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.refreshNanos = refreshPeriod.roundTo(NANOSECONDS);
    }

    /**
     * Reads the descriptors unless they were read before.
     *
     * @return the registry in force
     */
    public MeshRegistry load()
    {
        State current = state;
        if (current != null) {
            return current.registry();
        }
        // the first load: there is no registry to serve meanwhile
        reloadLock.lock();
        try {
            if (state == null) {
                List<FileStamp> stamps = stamps();
                state = new State(loader.get(), stamps, System.nanoTime());
            }
            return state.registry();
        }
        finally {
            reloadLock.unlock();
        }
    }

    /**
     * The registry of the query: the current one when the query first asks, the same one after.
     */
    public MeshRegistry forQuery(String queryId)
    {
        try {
            return queryRegistries.get(queryId, this::current);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public MeshRegistry current()
    {
        State current = state;
        if (current == null) {
            return load();
        }
        if (System.nanoTime() - current.checkedAt() < refreshNanos) {
            return current.registry();
        }
        // one thread reads the descriptors again; the others keep serving the registry in force
        if (!reloadLock.tryLock()) {
            return current.registry();
        }
        try {
            current = state;
            if (System.nanoTime() - current.checkedAt() < refreshNanos) {
                return current.registry();
            }
            List<FileStamp> stamps = stamps();
            MeshRegistry registry = current.registry();
            if (!stamps.equals(current.stamps())) {
                try {
                    registry = keepLastValidProducts(current.registry(), loader.get());
                    log.info("Reloaded the descriptors of %s: %s data products, %s assets, %s problems", directory, registry.products().size(), registry.assets().size(), registry.problems().size());
                }
                catch (RuntimeException e) {
                    log.error(e, "Keeping the descriptors loaded before: %s cannot be read", directory);
                }
            }
            state = new State(registry, stamps, System.nanoTime());
            return registry;
        }
        finally {
            reloadLock.unlock();
        }
    }

    /**
     * The loaded registry, plus the last valid version of each product that is missing from it
     * although its descriptor file is still there and defines no other product: that file, or a
     * schema file it names, is now invalid. Unless another product took its name or its tables,
     * or an asset shared with it is no longer shared: a share its owner withdrew is not kept alive
     * by the consumer's last version, and a kept shared asset reads as its owner publishes it now.
     */
    static MeshRegistry keepLastValidProducts(MeshRegistry previous, MeshRegistry loaded)
    {
        Set<String> loadedNames = loaded.products().stream().map(DataProductDescriptor::name).collect(toImmutableSet());
        Set<Path> loadedFiles = loaded.products().stream().map(product -> normalized(product.file())).collect(toImmutableSet());
        Set<String> loadedTables = new HashSet<>();
        loaded.assets().forEach(asset -> loadedTables.add(asset.schemaName() + "." + asset.tableName()));

        List<DataProductDescriptor> products = new ArrayList<>(loaded.products());
        List<RegisteredAsset> assets = new ArrayList<>(loaded.assets());
        for (DataProductDescriptor product : previous.products()) {
            if (loadedNames.contains(product.name()) || loadedFiles.contains(normalized(product.file())) || !Files.isRegularFile(product.file())) {
                continue;
            }
            List<RegisteredAsset> productAssets = previous.assets().stream()
                    .filter(asset -> asset.product().name().equals(product.name()))
                    .collect(toImmutableList());
            if (productAssets.stream().anyMatch(asset -> loadedTables.contains(asset.schemaName() + "." + asset.tableName()))) {
                continue;
            }
            Optional<List<RegisteredAsset>> kept = withCurrentOwners(product, productAssets, assets);
            if (kept.isEmpty()) {
                log.warn("Not keeping the last valid version of data product '%s' (%s): an asset it publishes is no longer shared with it", product.name(), product.file());
                continue;
            }
            log.warn("Keeping the last valid version of data product '%s': %s or a file it names is invalid", product.name(), product.file());
            products.add(product);
            assets.addAll(kept.orElseThrow());
        }
        return new MeshRegistry(products, assets, loaded.folderProblems(), loaded.rejectedDescriptors());
    }

    /**
     * The product's assets, those shared with it taken from their owners as served now; none when
     * an owner no longer serves the asset or shares it with the product.
     */
    private static Optional<List<RegisteredAsset>> withCurrentOwners(DataProductDescriptor product, List<RegisteredAsset> productAssets, List<RegisteredAsset> served)
    {
        ImmutableList.Builder<RegisteredAsset> kept = ImmutableList.builder();
        for (RegisteredAsset asset : productAssets) {
            if (asset.sharedFrom().isEmpty()) {
                kept.add(asset);
                continue;
            }
            RegisteredAsset previousOwner = asset.sharedFrom().orElseThrow();
            Optional<RegisteredAsset> owner = served.stream()
                    .filter(candidate -> candidate.sharedFrom().isEmpty()
                            && candidate.product().name().equals(previousOwner.product().name())
                            && candidate.asset().name().equals(previousOwner.asset().name()))
                    .findFirst();
            if (owner.isEmpty() || !owner.orElseThrow().asset().sharedWith().contains(MeshRegistryLoader.sharedWithName(product))) {
                return Optional.empty();
            }
            kept.add(RegisteredAsset.shared(asset.schemaName(), asset.tableName(), product, asset.asset(), owner.orElseThrow()));
        }
        return Optional.of(kept.build());
    }

    private static Path normalized(Path file)
    {
        return file.toAbsolutePath().normalize();
    }

    private List<FileStamp> stamps()
    {
        if (!Files.isDirectory(directory)) {
            return ImmutableList.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            List<FileStamp> stamps = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                try {
                    stamps.add(new FileStamp(file, Files.getLastModifiedTime(file).toMillis(), Files.size(file)));
                }
                catch (IOException e) {
                    stamps.add(new FileStamp(file, -1, -1));
                }
            }
            return stamps;
        }
        catch (IOException | UncheckedIOException e) {
            log.warn("Cannot list %s: %s", directory, e.getMessage());
            return state == null ? ImmutableList.of() : state.stamps();
        }
    }
}
