package dev.datamesh.formats.delta;

import com.google.common.collect.ImmutableList;
import dev.datamesh.registry.HadoopPaths;
import dev.datamesh.registry.TableVersion;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.ScanImpl;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.deletionvectors.DeletionVectorUtils;
import io.delta.kernel.internal.deletionvectors.RoaringBitmapArray;
import io.delta.kernel.types.StructField;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Replays a Delta table's log with Delta Kernel (commits, classic, multi-part and v2 checkpoints)
 * through TrinoFileSystem, giving the snapshot's schema and live files; the data files themselves
 * are read elsewhere.
 */
public final class DeltaTableLoader
{
    // Kernel accepts these, but the files then hold older types that our reader would misread
    private static final List<String> UNREADABLE_FEATURES = List.of("typeWidening", "typeWidening-preview");

    private final TrinoFileSystem fileSystem;
    private final Engine engine;

    public DeltaTableLoader(TrinoFileSystem fileSystem)
    {
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.engine = DefaultEngine.create(new TrinoFileIO(fileSystem));
    }

    public DeltaSnapshot load(Location tableLocation, TableVersion version)
            throws DeltaTableException
    {
        try {
            Table table = Table.forPath(engine, HadoopPaths.toHadoopPath(tableLocation));
            Snapshot snapshot = switch (version) {
                case TableVersion.Latest _ -> table.getLatestSnapshot(engine);
                case TableVersion.AtVersion(long number) -> table.getSnapshotAsOfVersion(engine, number);
                case TableVersion.AtTimestamp(long millis) -> {
                    // as Trino's Delta connector does, a time after the last commit reads the latest version
                    Snapshot latest = table.getLatestSnapshot(engine);
                    yield latest.getTimestamp(engine) <= millis ? latest : table.getSnapshotAsOfTimestamp(engine, millis);
                }
                case TableVersion.AtReference(String name) -> throw new DeltaTableException("the Delta table at %s has no branch or tag '%s'; Delta tables are read by version number or timestamp".formatted(tableLocation, name), null);
            };
            Set<String> readerFeatures = ((SnapshotImpl) snapshot).getProtocol().getReaderFeatures();
            for (String feature : UNREADABLE_FEATURES) {
                if (readerFeatures.contains(feature)) {
                    throw new DeltaTableException("the Delta table at %s uses the reader feature '%s' (column types changed after data was written), which the mesh cannot read yet".formatted(tableLocation, feature), null);
                }
            }
            Map<String, String> configuration = ((SnapshotImpl) snapshot).getMetadata().getConfiguration();
            DeltaColumnMapping columnMapping = DeltaColumnMapping.fromTableProperty(Optional.ofNullable(configuration.get("delta.columnMapping.mode")));

            // under column mapping the log keys partition values by physical name
            Map<String, String> logicalNames = new HashMap<>();
            for (StructField field : snapshot.getSchema().fields()) {
                logicalNames.put(columnMapping.physicalName(field), field.getName());
            }

            ImmutableList.Builder<DeltaDataFile> files = ImmutableList.builder();
            Scan scan = snapshot.getScanBuilder().build();
            try (CloseableIterator<FilteredColumnarBatch> batches = ((ScanImpl) scan).getScanFiles(engine, true)) {
                while (batches.hasNext()) {
                    try (CloseableIterator<Row> rows = batches.next().getRows()) {
                        while (rows.hasNext()) {
                            files.add(dataFile(tableLocation, rows.next(), logicalNames));
                        }
                    }
                }
            }
            return new DeltaSnapshot(
                    tableLocation,
                    snapshot.getVersion(),
                    snapshot.getTimestamp(engine),
                    snapshot.getSchema(),
                    snapshot.getPartitionColumnNames(),
                    columnMapping,
                    files.build());
        }
        catch (TableNotFoundException e) {
            throw new DeltaTableException("no Delta table at %s: the folder has no _delta_log with a commit or checkpoint".formatted(tableLocation), e);
        }
        catch (IOException | RuntimeException e) {
            // Kernel reports invalid logs (missing protocol or metadata, gaps between versions, unknown features) as runtime errors
            throw new DeltaTableException("cannot read the Delta log at %s: %s".formatted(tableLocation, e.getMessage()), e);
        }
    }

    /**
     * Tells the commit of a version apart from one written under the same number after the table
     * was deleted and created again: by its file's modification time, empty when the version has no
     * commit file of its own (a log cleaned up to a checkpoint).
     */
    public Optional<Instant> commitTime(Location tableLocation, long version)
    {
        try {
            return Optional.of(fileSystem.newInputFile(commitFile(tableLocation, version)).lastModified());
        }
        catch (FileNotFoundException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the commit %s of the Delta table at %s: %s".formatted(version, tableLocation, e.getMessage()), e);
        }
    }

    /**
     * Whether a version is still the table's latest: its commit is the one seen before and no
     * commit follows it. Writers add a commit file atomically, so probing the next one is what
     * Trino's Delta connector does too instead of listing the log.
     */
    public boolean isLatest(Location tableLocation, long version, Instant commitTime)
    {
        try {
            return commitTime(tableLocation, version).equals(Optional.of(commitTime))
                    && !fileSystem.newInputFile(commitFile(tableLocation, version + 1)).exists();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of the Delta table at %s: %s".formatted(tableLocation, e.getMessage()), e);
        }
    }

    private static Location commitFile(Location tableLocation, long version)
    {
        return tableLocation.appendPath("_delta_log").appendPath("%020d.json".formatted(version));
    }

    /**
     * Loads the positions of the rows a deletion vector removes.
     */
    public RoaringBitmapArray deletedRows(DeltaDeletionVector deletionVector)
    {
        DeletionVectorDescriptor descriptor = new DeletionVectorDescriptor(
                deletionVector.storageType(),
                deletionVector.pathOrInlineDv(),
                deletionVector.offset(),
                deletionVector.sizeInBytes(),
                deletionVector.cardinality());
        return DeletionVectorUtils.loadNewDvAndBitmap(engine, HadoopPaths.toHadoopPath(Location.of(deletionVector.tableLocation())), descriptor)._2;
    }

    private static DeltaDataFile dataFile(Location tableLocation, Row scanFile, Map<String, String> logicalNames)
    {
        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
        Map<String, Optional<String>> partitionValues = new LinkedHashMap<>();
        InternalScanFileUtils.getPartitionValues(scanFile).forEach((key, value) -> partitionValues.put(logicalNames.getOrDefault(key, key), Optional.ofNullable(value)));
        DeletionVectorDescriptor descriptor = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile);
        Optional<DeltaDeletionVector> deletionVector = Optional.ofNullable(descriptor)
                .map(dv -> new DeltaDeletionVector(tableLocation.toString(), dv.getStorageType(), dv.getPathOrInlineDv(), dv.getOffset(), dv.getSizeInBytes(), dv.getCardinality()));
        Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
        Optional<DeltaFileStatistics> statistics = add.isNullAt(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)
                ? Optional.empty()
                : DeltaFileStatistics.parse(add.getString(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL), logicalNames);
        return new DeltaDataFile(HadoopPaths.toLocation(status.getPath()), status.getSize(), partitionValues, deletionVector, statistics);
    }
}
