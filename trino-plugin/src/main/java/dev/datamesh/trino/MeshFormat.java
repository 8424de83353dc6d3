package dev.datamesh.trino;

import dev.datamesh.descriptor.AssetFormat;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.statistics.DataIdentity;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.DynamicFilter;
import io.trino.spi.statistics.TableStatistics;

import java.io.Closeable;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * What the connector reads of an asset in one format (Parquet files, a Delta Lake table, an
 * Iceberg table): its table at a version, its versions, statistics and files. The metadata, the
 * split manager and the statistics ask the {@link MeshFormats} for the asset's format and call
 * it; none of them asks which format it is.
 */
public interface MeshFormat
{
    /**
     * The format an asset's descriptor names for this reader.
     */
    AssetFormat format();

    /**
     * The asset's table at a version, as its data is, with how it departs from its column
     * contract (not yet enforced).
     *
     * @param schemaId the Iceberg schema the table is resolved with; empty for the one the version has
     */
    MeshTable resolve(ConnectorSession session, RegisteredAsset asset, TableVersion version, OptionalInt schemaId);

    /**
     * The version a FOR VERSION AS OF or FOR TIMESTAMP AS OF clause names.
     */
    TableVersion tableVersion(RegisteredAsset asset, ConnectorTableVersion version);

    /**
     * When the asset's data last changed; empty for an asset with no data yet.
     */
    Optional<Instant> latestDataTime(ConnectorSession session, RegisteredAsset asset);

    /**
     * Whether the handle reads a table that exists without any data: no version to read, no
     * files, no rows (an Iceberg table created but never written).
     */
    default boolean neverWritten(MeshTableHandle handle)
    {
        return false;
    }

    /**
     * What the format's own metadata says of the rows and columns the handle reads.
     */
    TableStatistics statistics(ConnectorSession session, RegisteredAsset asset, MeshTableHandle handle, List<MeshColumnHandle> columns);

    /**
     * The files the handle reads, walked as the splits are asked for.
     *
     * @param pruning the constraint the files are pruned by
     * @param dynamicFiltering whether files may be pruned by the query's dynamic filters
     */
    FileScan scan(ConnectorSession session, RegisteredAsset asset, MeshTableHandle table, Constraint pruning, DynamicFilter dynamicFilter, boolean dynamicFiltering);

    /**
     * What tells the data the handle reads from other data, for statistics computed by ANALYZE.
     */
    DataIdentity dataIdentity(ConnectorSession session, RegisteredAsset asset, MeshTableHandle handle);

    /**
     * @param files the table's files, each with what the dynamic filters can prune it by
     * @param resources closed with the split source: what the file iterator reads from
     * @param waitForDataColumnFilters whether the format prunes files by the values of any column,
     * so that a split source waits for dynamic filters on any column, not only on partition keys
     */
    record FileScan(Iterator<MeshSplitSource.DataFile> files, Closeable resources, boolean waitForDataColumnFilters)
    {
        public FileScan
        {
            requireNonNull(files, "files is null");
            requireNonNull(resources, "resources is null");
        }
    }
}
