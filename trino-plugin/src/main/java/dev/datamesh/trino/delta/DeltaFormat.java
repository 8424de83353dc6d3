package dev.datamesh.trino.delta;

import com.google.inject.Inject;
import dev.datamesh.descriptor.AssetFormat;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.formats.delta.DeltaDataFile;
import dev.datamesh.formats.delta.DeltaSnapshot;
import dev.datamesh.formats.delta.DeltaTypeConverter;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.ContractCheck;
import dev.datamesh.trino.ContractViolation;
import dev.datamesh.trino.MeshColumn;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.MeshFileSystemFactory;
import dev.datamesh.trino.MeshFormat;
import dev.datamesh.trino.MeshSplitSource;
import dev.datamesh.trino.MeshTable;
import dev.datamesh.trino.MeshTableHandle;
import dev.datamesh.trino.PartitionValues;
import dev.datamesh.trino.ReadFailures;
import dev.datamesh.trino.TableVersions;
import dev.datamesh.trino.statistics.DataIdentity;
import dev.datamesh.trino.statistics.VersionedStatistics;
import io.delta.kernel.types.StructField;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.DynamicFilter;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static io.trino.spi.StandardErrorCode.INVALID_ARGUMENTS;
import static java.util.Objects.requireNonNull;

/**
 * A Delta Lake table: its log replayed by Delta Kernel ({@link DeltaSnapshots}), its columns from
 * the snapshot's schema, its statistics from the log's file statistics and the extended statistics
 * Trino's Delta Lake connector writes beside it, its files with their deletion vectors.
 */
public class DeltaFormat
        implements MeshFormat
{
    private final MeshFileSystemFactory fileSystemFactory;
    private final DeltaSnapshots snapshots;
    private final ContractCheck contractCheck;
    private final ReadFailures failures;
    private final VersionedStatistics versionedStatistics;
    private final DeltaTypeConverter deltaTypes;
    private final DeltaExtendedStatistics extendedStatistics = new DeltaExtendedStatistics();

    @Inject
    public DeltaFormat(MeshFileSystemFactory fileSystemFactory, TypeManager typeManager, DeltaSnapshots snapshots, ContractCheck contractCheck, ReadFailures failures, VersionedStatistics versionedStatistics)
    {
        this.fileSystemFactory = requireNonNull(fileSystemFactory, "fileSystemFactory is null");
        this.deltaTypes = new DeltaTypeConverter(typeManager.getTypeOperators());
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.contractCheck = requireNonNull(contractCheck, "contractCheck is null");
        this.failures = requireNonNull(failures, "failures is null");
        this.versionedStatistics = requireNonNull(versionedStatistics, "versionedStatistics is null");
    }

    @Override
    public AssetFormat format()
    {
        return AssetFormat.DELTA;
    }

    @Override
    public MeshTable resolve(ConnectorSession session, RegisteredAsset asset, TableVersion version, OptionalInt schemaId)
    {
        DeltaSnapshot snapshot = snapshots.load(fileSystemFactory.create(session, asset.storage()), asset, version);
        return failures.resolving(asset, () -> resolve(asset, snapshot));
    }

    private MeshTable resolve(RegisteredAsset asset, DeltaSnapshot snapshot)
    {
        Set<String> partitionColumns = snapshot.partitionColumns().stream()
                .map(name -> name.toLowerCase(Locale.ROOT))
                .collect(toImmutableSet());
        List<MeshColumn> columns = new ArrayList<>();
        Set<String> nullable = new HashSet<>();
        for (StructField field : snapshot.schema().fields()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            Type type = deltaTypes.logicalType(field.getDataType(), name);
            Type fileType = deltaTypes.physicalType(field.getDataType(), snapshot.columnMapping(), name);
            Optional<String> comment = field.getMetadata().contains("comment") ? Optional.of(field.getMetadata().getString("comment")) : Optional.empty();
            Optional<String> description = asset.declaredSchema().flatMap(schema -> schema.column(name)).flatMap(DeclaredColumn::description).or(() -> comment);
            columns.add(new MeshColumn(new MeshColumnHandle(name, type, snapshot.columnMapping().physicalName(field), fileType, partitionColumns.contains(name), Optional.empty()), description));
            if (field.isNullable()) {
                nullable.add(name);
            }
        }
        List<ContractViolation> violations = contractCheck.violations(asset, columns, "the table schema", Optional.of(nullable));
        return new MeshTable(asset, columns, OptionalLong.of(snapshot.version()), OptionalInt.empty(), violations);
    }

    @Override
    public TableVersion tableVersion(RegisteredAsset asset, ConnectorTableVersion version)
    {
        return TableVersions.toTableVersion(version, DeltaFormat::versionNumber);
    }

    private static TableVersion versionNumber(Object value)
    {
        return switch (value) {
            case Long number when number >= 0 -> new TableVersion.AtVersion(number);
            default -> throw new TrinoException(INVALID_ARGUMENTS, "Delta table versions are non-negative integers, not " + value);
        };
    }

    /**
     * Its latest commit.
     */
    @Override
    public Optional<Instant> latestDataTime(ConnectorSession session, RegisteredAsset asset)
    {
        return Optional.of(Instant.ofEpochMilli(snapshots.load(fileSystemFactory.create(session, asset.storage()), asset, TableVersion.LATEST).timestampMillis()));
    }

    /**
     * From the log, of the rows the handle reads, kept by version; with the distinct values and
     * sizes of Trino's extended statistics when the table has them, which can change without a
     * commit (Trino's ANALYZE) and so are looked up each time.
     */
    @Override
    public TableStatistics statistics(ConnectorSession session, RegisteredAsset asset, MeshTableHandle handle, List<MeshColumnHandle> columns)
    {
        TrinoFileSystem fileSystem = fileSystemFactory.create(session, asset.storage());
        TableStatistics fromLog = logStatistics(fileSystem, asset, handle.version().orElseThrow(), handle.partitionConstraint(), handle.dataConstraint(), columns);
        Optional<DeltaExtendedStatistics.TableSketches> sketches = extendedStatistics.read(fileSystem, asset.storageLocation());
        if (sketches.isEmpty()) {
            return fromLog;
        }
        // the sizes describe the whole table
        OptionalDouble share = OptionalDouble.of(1);
        if (!handle.partitionConstraint().isAll() || !handle.dataConstraint().isAll()) {
            Estimate wholeTable = logStatistics(fileSystem, asset, handle.version().orElseThrow(), TupleDomain.all(), TupleDomain.all(), columns).getRowCount();
            share = fromLog.getRowCount().isUnknown() || wholeTable.isUnknown() || wholeTable.getValue() == 0
                    ? OptionalDouble.empty()
                    : OptionalDouble.of(Math.min(1, fromLog.getRowCount().getValue() / wholeTable.getValue()));
        }
        return DeltaStatistics.withSketches(fromLog, columns, sketches.orElseThrow(), share);
    }

    private TableStatistics logStatistics(TrinoFileSystem fileSystem, RegisteredAsset asset, long version, TupleDomain<MeshColumnHandle> partitionConstraint, TupleDomain<MeshColumnHandle> dataConstraint, List<MeshColumnHandle> columns)
    {
        VersionedStatistics.VersionKey key = new VersionedStatistics.VersionKey(asset.storageLocation().toString(), version, OptionalInt.empty(), partitionConstraint, dataConstraint, columns);
        return versionedStatistics.get(asset, key, () -> {
            List<DeltaDataFile> files = snapshots.load(fileSystem, asset, new TableVersion.AtVersion(version)).files().stream()
                    .filter(file -> PartitionValues.matches(PartitionValues.bySqlName(file.partitionValues()), partitionConstraint, file.location().toString()))
                    .filter(file -> DeltaStatistics.mayMatch(file, dataConstraint))
                    .collect(toImmutableList());
            return DeltaStatistics.tableStatistics(files, columns);
        });
    }

    /**
     * The version's live files with their deletion vectors. Files are skipped by a join's values
     * where they are partition keys and by the file statistics the log records, which rarely narrow
     * one file to a join's values: waiting for filters on data columns would only hold the scan back.
     */
    @Override
    public FileScan scan(ConnectorSession session, RegisteredAsset asset, MeshTableHandle table, Constraint pruning, DynamicFilter dynamicFilter, boolean dynamicFiltering)
    {
        TableVersion version = new TableVersion.AtVersion(table.version().orElseThrow());
        Iterator<MeshSplitSource.DataFile> files = snapshots.load(fileSystemFactory.create(session, asset.storage()), asset, version).files().stream()
                .filter(file -> PartitionValues.matches(PartitionValues.bySqlName(file.partitionValues()), file.location().toString(), table.partitionConstraint(), pruning)
                        && DeltaStatistics.mayMatch(file, table.dataConstraint()))
                .map(file -> {
                    Map<String, Optional<String>> partitionValues = PartitionValues.bySqlName(file.partitionValues());
                    return new MeshSplitSource.DataFile(file.location().toString(), file.size(), partitionValues, file.deletionVector(), Optional.empty(),
                            filter -> PartitionValues.matches(partitionValues, filter, file.location().toString()) && DeltaStatistics.mayMatch(file, filter));
                })
                .iterator();
        return new FileScan(files, () -> {}, false);
    }

    @Override
    public DataIdentity dataIdentity(ConnectorSession session, RegisteredAsset asset, MeshTableHandle handle)
    {
        return DataIdentity.delta(asset.storageLocation(), handle.version().orElseThrow());
    }
}
