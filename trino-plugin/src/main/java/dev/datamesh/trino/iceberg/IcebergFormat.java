package dev.datamesh.trino.iceberg;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import dev.datamesh.descriptor.AssetFormat;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.formats.TypeMappingException;
import dev.datamesh.formats.iceberg.IcebergTypeConverter;
import dev.datamesh.iceberg.IcebergSnapshot;
import dev.datamesh.iceberg.IcebergTableException;
import dev.datamesh.iceberg.IcebergTables;
import dev.datamesh.registry.HadoopPaths;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.ColumnIdentity;
import dev.datamesh.trino.ContractCheck;
import dev.datamesh.trino.ContractViolation;
import dev.datamesh.trino.DomainCheck;
import dev.datamesh.trino.MeshColumn;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.MeshFormat;
import dev.datamesh.trino.MeshSplitSource;
import dev.datamesh.trino.MeshTable;
import dev.datamesh.trino.MeshTableHandle;
import dev.datamesh.trino.ReadFailures;
import dev.datamesh.trino.TableVersions;
import dev.datamesh.trino.statistics.DataIdentity;
import dev.datamesh.trino.statistics.VersionedStatistics;
import io.airlift.slice.Slice;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.DynamicFilter;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.statistics.TableStatistics;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static dev.datamesh.trino.MeshErrorCode.MESH_ASSET_UNAVAILABLE;
import static dev.datamesh.trino.MeshErrorCode.MESH_BAD_DATA;
import static dev.datamesh.trino.MeshErrorCode.MESH_UNSUPPORTED_ASSET;
import static io.trino.spi.StandardErrorCode.INVALID_ARGUMENTS;
import static java.util.Objects.requireNonNull;

/**
 * An Iceberg table, from its catalog: its columns from a schema of the table's metadata, its
 * statistics from manifests and Puffin files, its files (with their delete files) from the
 * snapshot's manifests, read manifest by manifest as the splits are asked for. Tables are reloaded
 * when the loaded one is older than mesh.iceberg.metadata-cache-ttl.
 */
public class IcebergFormat
        implements MeshFormat
{
    private final IcebergTables icebergTables;
    private final IcebergPlanningExecutor icebergPlanning;
    private final IcebergTypeConverter icebergTypes;
    private final ContractCheck contractCheck;
    private final DomainCheck domainCheck;
    private final ReadFailures failures;
    private final VersionedStatistics versionedStatistics;

    @Inject
    public IcebergFormat(IcebergTables icebergTables, IcebergPlanningExecutor icebergPlanning, TypeManager typeManager, ContractCheck contractCheck, DomainCheck domainCheck, ReadFailures failures, VersionedStatistics versionedStatistics)
    {
        this.icebergTables = requireNonNull(icebergTables, "icebergTables is null");
        this.icebergPlanning = requireNonNull(icebergPlanning, "icebergPlanning is null");
        this.icebergTypes = new IcebergTypeConverter(typeManager.getTypeOperators());
        this.contractCheck = requireNonNull(contractCheck, "contractCheck is null");
        this.domainCheck = requireNonNull(domainCheck, "domainCheck is null");
        this.failures = requireNonNull(failures, "failures is null");
        this.versionedStatistics = requireNonNull(versionedStatistics, "versionedStatistics is null");
    }

    @Override
    public AssetFormat format()
    {
        return AssetFormat.ICEBERG;
    }

    /**
     * With the schema of the given id when there is one, else with the schema the version has (the
     * current schema for the latest state and for branches, the snapshot's own schema for a
     * snapshot id, tag or timestamp).
     */
    @Override
    public MeshTable resolve(ConnectorSession session, RegisteredAsset asset, TableVersion version, OptionalInt schemaId)
    {
        IcebergSnapshot snapshot = schemaId.isPresent()
                ? load(asset, version, schemaId.getAsInt())
                : load(asset, version);
        return failures.resolving(asset, () -> resolve(asset, snapshot));
    }

    private MeshTable resolve(RegisteredAsset asset, IcebergSnapshot snapshot)
    {
        List<MeshColumn> columns = new ArrayList<>();
        Set<String> nullable = new HashSet<>();
        Map<String, String> icebergNameBySqlName = new HashMap<>();
        for (Types.NestedField field : snapshot.schema().columns()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            String previous = icebergNameBySqlName.putIfAbsent(name, field.name());
            if (previous != null) {
                throw new TrinoException(MESH_BAD_DATA, "the Iceberg table has columns '%s' and '%s', which differ only in case; SQL cannot tell them apart".formatted(previous, field.name()));
            }
            Type type = icebergTypes.toTrinoType(field.type(), name);
            Optional<String> description = asset.declaredSchema().flatMap(schema -> schema.column(name)).flatMap(DeclaredColumn::description).or(() -> Optional.ofNullable(field.doc()));
            columns.add(new MeshColumn(MeshColumnHandle.icebergColumn(name, type, identity(field)), description));
            if (field.isOptional()) {
                nullable.add(name);
            }
        }
        List<ContractViolation> violations = contractCheck.violations(asset, columns, "the table schema", Optional.of(nullable));
        return new MeshTable(asset, columns, snapshot.snapshotId().map(OptionalLong::of).orElseGet(OptionalLong::empty), OptionalInt.of(snapshot.schema().schemaId()), violations);
    }

    /**
     * The snapshot of the asset at a version.
     */
    private IcebergSnapshot load(RegisteredAsset asset, TableVersion version)
    {
        IcebergSnapshot snapshot;
        try {
            snapshot = icebergTables.snapshot(asset, version);
        }
        catch (IcebergTableException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: %s".formatted(asset.displayName(), failures.explain(asset, e)), e);
        }
        // where the catalog or the metadata says the table lives, before its manifests are read
        domainCheck.checkInDomain(asset, snapshot.table().location());
        return snapshot;
    }

    /**
     * The snapshot a table handle reads, with the schema its columns were resolved with.
     */
    private IcebergSnapshot load(RegisteredAsset asset, TableVersion version, int schemaId)
    {
        IcebergSnapshot snapshot = load(asset, version);
        Schema schema = snapshot.table().schemas().get(schemaId);
        if (schema == null) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: schema %s, which the query was planned with, has been removed from the table's metadata; run the query again".formatted(asset.displayName(), schemaId));
        }
        return new IcebergSnapshot(snapshot.table(), snapshot.snapshot(), schema);
    }

    private IcebergSnapshot load(RegisteredAsset asset, MeshTableHandle handle)
    {
        return load(asset, new TableVersion.AtVersion(handle.version().getAsLong()), handle.schemaId().orElseThrow());
    }

    /**
     * A table created but never written has no snapshot.
     */
    @Override
    public boolean neverWritten(MeshTableHandle handle)
    {
        return handle.version().isEmpty();
    }

    @Override
    public TableVersion tableVersion(RegisteredAsset asset, ConnectorTableVersion version)
    {
        return TableVersions.toTableVersion(version, IcebergFormat::snapshotOrReference);
    }

    private static TableVersion snapshotOrReference(Object value)
    {
        return switch (value) {
            case Long number -> new TableVersion.AtVersion(number);
            case Slice name -> new TableVersion.AtReference(name.toStringUtf8());
            default -> throw new TrinoException(INVALID_ARGUMENTS, "Iceberg tables are read at a snapshot id, a branch or a tag, not " + value);
        };
    }

    /**
     * Its current snapshot.
     */
    @Override
    public Optional<Instant> latestDataTime(ConnectorSession session, RegisteredAsset asset)
    {
        return load(asset, TableVersion.LATEST).snapshot().map(snapshot -> Instant.ofEpochMilli(snapshot.timestampMillis()));
    }

    /**
     * From the manifests and Puffin files, kept by snapshot, schema and constraint under the
     * table's name in the mesh, as its catalog may move it.
     */
    @Override
    public TableStatistics statistics(ConnectorSession session, RegisteredAsset asset, MeshTableHandle handle, List<MeshColumnHandle> columns)
    {
        VersionedStatistics.VersionKey key = new VersionedStatistics.VersionKey(asset.displayName(), handle.version().getAsLong(), handle.schemaId(), handle.partitionConstraint(), handle.dataConstraint(), columns);
        return versionedStatistics.get(asset, key, () -> {
            long snapshotId = handle.version().getAsLong();
            IcebergSnapshot snapshot = load(asset, handle);
            try (CloseableIterable<FileScanTask> tasks = icebergPlanning.planWith(snapshot.table().newScan()
                            .useSnapshot(snapshotId)
                            .filter(IcebergPredicates.toExpression(handle.dataConstraint(), snapshot.schema()))
                            .includeColumnStats())
                    .planFiles()) {
                return IcebergStatistics.tableStatistics(tasks, snapshot.schema(), columns, IcebergStatistics.distinctValues(snapshot.table(), snapshotId));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The files of the snapshot, read from its manifests as the splits are asked for; with their
     * column bounds, to check against a join's values once they are known, when the query has
     * dynamic filters.
     */
    @Override
    public FileScan scan(ConnectorSession session, RegisteredAsset asset, MeshTableHandle table, Constraint pruning, DynamicFilter dynamicFilter, boolean dynamicFiltering)
    {
        long snapshotId = table.version().getAsLong();
        IcebergSnapshot snapshot = load(asset, table);
        TableScan scan = icebergPlanning.planWith(snapshot.table().newScan())
                .useSnapshot(snapshotId)
                .filter(IcebergPredicates.toExpression(table.dataConstraint(), snapshot.schema()));
        boolean pruneByDynamicFilters = dynamicFiltering && !dynamicFilter.getColumnsCovered().isEmpty();
        if (pruneByDynamicFilters) {
            scan = scan.includeColumnStats();
        }
        CloseableIterable<FileScanTask> tasks = scan.planFiles();
        IcebergFileFilter fileFilter = new IcebergFileFilter(snapshot.schema());
        Iterator<FileScanTask> taskIterator = tasks.iterator();
        Iterator<MeshSplitSource.DataFile> files = new Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                return planning(asset, snapshotId, taskIterator::hasNext);
            }

            @Override
            public MeshSplitSource.DataFile next()
            {
                FileScanTask task = planning(asset, snapshotId, taskIterator::next);
                return dataFile(asset, snapshot, task, pruneByDynamicFilters ? filter -> fileFilter.mayMatch(task.file(), filter) : _ -> true);
            }
        };
        return new FileScan(files, tasks, true);
    }

    private <T> T planning(RegisteredAsset asset, long snapshotId, Supplier<T> step)
    {
        try {
            return step.get();
        }
        catch (TrinoException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw new TrinoException(MESH_ASSET_UNAVAILABLE, "Cannot read %s: cannot plan the scan of snapshot %s: %s".formatted(asset.displayName(), snapshotId, failures.explain(asset, e)), e);
        }
    }

    private MeshSplitSource.DataFile dataFile(RegisteredAsset asset, IcebergSnapshot snapshot, FileScanTask task, Predicate<TupleDomain<MeshColumnHandle>> mayMatch)
    {
        DataFile file = task.file();
        checkParquet(asset, file.location(), file.format());
        domainCheck.checkInDomain(asset, file.location());
        ImmutableList.Builder<IcebergDeleteFile> deletes = ImmutableList.builder();
        for (DeleteFile delete : task.deletes()) {
            checkParquet(asset, delete.location(), delete.format());
            domainCheck.checkInDomain(asset, delete.location());
            deletes.add(switch (delete.content()) {
                case POSITION_DELETES -> new IcebergDeleteFile(delete.location(), delete.fileSizeInBytes(), IcebergDeleteFile.Kind.POSITION, ImmutableList.of());
                case EQUALITY_DELETES -> new IcebergDeleteFile(delete.location(), delete.fileSizeInBytes(), IcebergDeleteFile.Kind.EQUALITY, equalityColumns(asset, snapshot, delete));
                case DATA -> throw new IllegalStateException("data file listed as a delete file: " + delete.location());
            });
        }
        List<IcebergDeleteFile> deleteFiles = deletes.build();
        return new MeshSplitSource.DataFile(
                HadoopPaths.toLocation(file.location()).toString(),
                file.fileSizeInBytes(),
                ImmutableMap.of(),
                Optional.empty(),
                deleteFiles.isEmpty() ? Optional.empty() : Optional.of(new IcebergDeletes(file.location(), deleteFiles)),
                mayMatch);
    }

    private static void checkParquet(RegisteredAsset asset, String file, FileFormat format)
    {
        if (format != FileFormat.PARQUET) {
            throw new TrinoException(MESH_UNSUPPORTED_ASSET, "Cannot read %s: file %s is in %s format; the mesh reads Iceberg tables whose data and delete files are Parquet".formatted(asset.displayName(), file, format));
        }
    }

    private List<MeshColumnHandle> equalityColumns(RegisteredAsset asset, IcebergSnapshot snapshot, DeleteFile delete)
    {
        ImmutableList.Builder<MeshColumnHandle> columns = ImmutableList.builder();
        for (int fieldId : delete.equalityFieldIds()) {
            // the column may have been dropped since: its type is then in an older schema
            Types.NestedField field = Optional.ofNullable(snapshot.schema().findField(fieldId))
                    .or(() -> snapshot.table().schemas().values().stream()
                            .map(schema -> schema.findField(fieldId))
                            .filter(Objects::nonNull)
                            .findFirst())
                    .orElseThrow(() -> new TrinoException(MESH_BAD_DATA, "Cannot read %s: equality delete file %s names field id %s, which no schema of the table has".formatted(asset.displayName(), delete.location(), fieldId)));
            if (!field.type().isPrimitiveType()) {
                throw new TrinoException(MESH_UNSUPPORTED_ASSET, "Cannot read %s: equality delete file %s compares the nested field '%s'".formatted(asset.displayName(), delete.location(), field.name()));
            }
            Type type;
            try {
                type = icebergTypes.toTrinoType(field.type(), field.name());
            }
            catch (TypeMappingException e) {
                throw ReadFailures.typeMappingFailure(e);
            }
            columns.add(MeshColumnHandle.icebergColumn("$equality$" + fieldId, type, identity(field)));
        }
        return columns.build();
    }

    /**
     * The field ids by which the data files are read.
     */
    private static ColumnIdentity identity(Types.NestedField field)
    {
        return new ColumnIdentity(field.fieldId(), children(field.type()));
    }

    private static ImmutableList<ColumnIdentity> children(org.apache.iceberg.types.Type type)
    {
        if (!type.isNestedType()) {
            return ImmutableList.of();
        }
        return type.asNestedType().fields().stream()
                .map(IcebergFormat::identity)
                .collect(toImmutableList());
    }

    @Override
    public DataIdentity dataIdentity(ConnectorSession session, RegisteredAsset asset, MeshTableHandle handle)
    {
        return DataIdentity.iceberg(load(asset, handle).table().location(), handle.version().getAsLong());
    }
}
