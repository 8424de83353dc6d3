package dev.datamesh.trino.statistics;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.datamesh.registry.ParquetDataFile;
import io.trino.filesystem.Location;

import java.util.Comparator;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Which data statistics were computed on: stored statistics describe a query's data only when
 * the data it reads has the identity they were stored with. The mesh never writes into a domain's
 * data, so the identity is what the data already says of itself: a Parquet asset's files (their
 * paths, sizes and modification times, so that a file added, removed or rewritten changes it),
 * a Delta table's version, an Iceberg table's snapshot.
 */
public record DataIdentity(String value)
{
    @JsonCreator
    public DataIdentity
    {
        requireNonNull(value, "value is null");
    }

    public static DataIdentity parquet(List<ParquetDataFile> files)
    {
        Hasher digest = Hashing.sha256().newHasher();
        files.stream()
                .sorted(Comparator.comparing(file -> file.location().toString()))
                .forEach(file -> digest
                        .putString(file.location().toString(), UTF_8)
                        .putByte((byte) 0)
                        .putLong(file.length())
                        .putLong(file.lastModified().toEpochMilli()));
        return new DataIdentity("parquet: %s files, sha256 %s".formatted(files.size(), digest.hash()));
    }

    public static DataIdentity delta(Location table, long version)
    {
        return new DataIdentity("delta: %s at version %s".formatted(table, version));
    }

    /**
     * @param table the table's location, so that a snapshot id of another table never matches
     */
    public static DataIdentity iceberg(String table, long snapshotId)
    {
        return new DataIdentity("iceberg: %s at snapshot %s".formatted(table, snapshotId));
    }

    @JsonValue
    @Override
    public String value()
    {
        return value;
    }
}
