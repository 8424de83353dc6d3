package dev.datamesh.trino.delta;

import com.google.common.cache.Cache;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.formats.delta.DeltaColumnMapping;
import dev.datamesh.formats.delta.DeltaDataFile;
import dev.datamesh.formats.delta.DeltaSnapshot;
import dev.datamesh.registry.TableVersion;
import io.delta.kernel.types.StructType;
import io.trino.filesystem.Location;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.Optional;

import static io.trino.cache.CacheUtils.uncheckedCacheGet;
import static org.assertj.core.api.Assertions.assertThat;

final class TestDeltaSnapshotCache
{
    private static final Location TABLE = Location.of("file:///data/events");

    @Test
    void testVersionAsLargeAsTheBoundIsKept()
    {
        Cache<DeltaSnapshots.Key, DeltaSnapshot> cache = DeltaSnapshots.cache(200_000);
        uncheckedCacheGet(cache, key(1), () -> snapshot(1, 199_999));
        assertThat(cache.getIfPresent(key(1))).isNotNull();

        // a second version that does not fit beside it evicts it
        uncheckedCacheGet(cache, key(2), () -> snapshot(2, 100_000));
        assertThat(cache.getIfPresent(key(2))).isNotNull();
        assertThat(cache.getIfPresent(key(1))).isNull();
    }

    @Test
    void testVersionLargerThanTheBoundIsNotKept()
    {
        Cache<DeltaSnapshots.Key, DeltaSnapshot> cache = DeltaSnapshots.cache(1_000);
        uncheckedCacheGet(cache, key(1), () -> snapshot(1, 1_000));
        assertThat(cache.getIfPresent(key(1))).isNull();
    }

    private static DeltaSnapshots.Key key(long version)
    {
        return new DeltaSnapshots.Key(TABLE.toString(), new TableVersion.AtVersion(version));
    }

    private static DeltaSnapshot snapshot(long version, int files)
    {
        DeltaDataFile file = new DeltaDataFile(TABLE.appendPath("part-0.parquet"), 1024, ImmutableMap.of(), Optional.empty(), Optional.empty());
        return new DeltaSnapshot(TABLE, version, 0, new StructType(), ImmutableList.of(), DeltaColumnMapping.NONE, Collections.nCopies(files, file));
    }
}
