package dev.datamesh.trino.delta;

import com.google.common.cache.Cache;
import com.google.inject.Inject;
import dev.datamesh.formats.delta.DeltaDataFile;
import dev.datamesh.formats.delta.DeltaSnapshot;
import dev.datamesh.formats.delta.DeltaTableException;
import dev.datamesh.formats.delta.DeltaTableLoader;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.DomainCheck;
import dev.datamesh.trino.MeshConfig;
import dev.datamesh.trino.ReadFailures;
import io.trino.cache.EvictableCacheBuilder;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.spi.TrinoException;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

import static dev.datamesh.trino.MeshErrorCode.MESH_ASSET_UNAVAILABLE;
import static io.trino.cache.CacheUtils.uncheckedCacheGet;
import static java.util.Objects.requireNonNull;

/**
 * Replays of Delta logs. Numbered versions never change, so they are replayed once and kept,
 * bounded by mesh.delta.snapshot-cache-files, and a query's metadata, splits and statistics share
 * one replay. The latest state is the kept replay of the version last seen as latest, as long as
 * no commit followed it.
 */
public class DeltaSnapshots
{
    // weighed by files: a replayed snapshot holds about 1.3 KB per live file
    private final Cache<Key, DeltaSnapshot> snapshots;
    private final Cache<String, DeltaCommit> latestCommits = EvictableCacheBuilder.newBuilder()
            .maximumSize(10_000)
            .build();
    private final DomainCheck domainCheck;
    private final ReadFailures failures;

    @Inject
    public DeltaSnapshots(MeshConfig config, DomainCheck domainCheck, ReadFailures failures)
    {
        this.snapshots = cache(config.getDeltaSnapshotCacheFiles());
        this.domainCheck = requireNonNull(domainCheck, "domainCheck is null");
        this.failures = requireNonNull(failures, "failures is null");
    }

    /**
     * Replayed Delta versions, bounded by the live files they list.
     */
    static Cache<Key, DeltaSnapshot> cache(long maxFiles)
    {
        return EvictableCacheBuilder.newBuilder()
                // Guava, under EvictableCache, splits a weight bound between its segments: one segment, so that a version
                // listing as many files as the whole bound still fits
                .concurrencyLevel(1)
                .maximumWeight(maxFiles)
                .<Key, DeltaSnapshot>weigher((_, snapshot) -> snapshot.files().size() + 1)
                .build();
    }

    /**
     * The snapshot at a version.
     */
    public DeltaSnapshot load(TrinoFileSystem fileSystem, RegisteredAsset asset, TableVersion version)
    {
        String location = asset.storageLocation().toString();
        DeltaTableLoader loader = new DeltaTableLoader(fileSystem);
        try {
            Optional<DeltaSnapshot> cached = switch (version) {
                case TableVersion.AtVersion _ -> Optional.ofNullable(snapshots.getIfPresent(new Key(location, version)));
                case TableVersion.Latest _ -> Optional.ofNullable(latestCommits.getIfPresent(location))
                        .filter(latest -> loader.isLatest(asset.storageLocation(), latest.version(), latest.commitTime()))
                        .map(latest -> snapshots.getIfPresent(new Key(location, new TableVersion.AtVersion(latest.version()))));
                default -> Optional.empty();
            };
            if (cached.isPresent()) {
                return cached.orElseThrow();
            }
            DeltaSnapshot snapshot = loader.load(asset.storageLocation(), version);
            // a log can add files, and deletion vectors, by absolute path: checked once per version read
            for (DeltaDataFile file : snapshot.files()) {
                domainCheck.checkInDomain(asset, file.location().toString());
                file.deletionVector()
                        .filter(deletionVector -> deletionVector.storageType().equals("p"))
                        .ifPresent(deletionVector -> domainCheck.checkInDomain(asset, deletionVector.pathOrInlineDv()));
            }
            // a numbered version never changes: a replay another query kept meanwhile is as good as this one
            uncheckedCacheGet(snapshots, new Key(location, new TableVersion.AtVersion(snapshot.version())), () -> snapshot);
            if (version instanceof TableVersion.Latest) {
                loader.commitTime(asset.storageLocation(), snapshot.version())
                        .ifPresent(commitTime -> {
                            // an EvictableCache has no put: the commit now latest replaces the one kept
                            latestCommits.invalidate(location);
                            uncheckedCacheGet(latestCommits, location, () -> new DeltaCommit(snapshot.version(), commitTime));
                        });
            }
            return snapshot;
        }
        catch (DeltaTableException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: %s".formatted(asset.displayName(), failures.explain(asset, e)), e);
        }
        catch (UncheckedIOException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: %s".formatted(asset.displayName(), failures.explain(asset, e.getCause())), e);
        }
    }

    record Key(String location, TableVersion version)
    {
        Key
        {
            requireNonNull(location, "location is null");
            requireNonNull(version, "version is null");
        }
    }

    private record DeltaCommit(long version, Instant commitTime)
    {
        DeltaCommit
        {
            requireNonNull(commitTime, "commitTime is null");
        }
    }
}
