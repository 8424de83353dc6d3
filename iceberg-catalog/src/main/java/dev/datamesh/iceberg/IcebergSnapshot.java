package dev.datamesh.iceberg;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One snapshot of an Iceberg table with the schema it was written with: what a query reads. A
 * table that has never been written has no snapshot and reads as empty.
 */
public record IcebergSnapshot(Table table, Optional<Snapshot> snapshot, Schema schema)
{
    public IcebergSnapshot
    {
        requireNonNull(table, "table is null");
        requireNonNull(snapshot, "snapshot is null");
        requireNonNull(schema, "schema is null");
    }

    public Optional<Long> snapshotId()
    {
        return snapshot.map(Snapshot::snapshotId);
    }
}
