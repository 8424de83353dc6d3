package dev.datamesh.trino.statistics;

import com.google.inject.Inject;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.MeshColumn;
import dev.datamesh.trino.MeshColumnHandle;
import dev.datamesh.trino.MeshFormat;
import dev.datamesh.trino.MeshFormats;
import dev.datamesh.trino.MeshTable;
import dev.datamesh.trino.MeshTableHandle;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;

import java.util.List;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

/**
 * The statistics the optimizer plans a read of an asset with, from the metadata its format keeps:
 * Parquet footers, the Delta log's file statistics and the extended statistics Trino's Delta Lake
 * connector writes beside it, Iceberg manifests and Puffin files. Delta versions and Iceberg
 * snapshots never change, so their statistics are kept by version and constraint
 * ({@link VersionedStatistics}); Parquet footers are kept by file, as the folder's files may change
 * between queries, and so are Trino's extended statistics files.
 */
public class MetadataStatistics
{
    private final MeshFormats formats;

    @Inject
    public MetadataStatistics(MeshFormats formats)
    {
        this.formats = requireNonNull(formats, "formats is null");
    }

    /**
     * None but the row count, zero, for a table never written.
     */
    public TableStatistics statistics(ConnectorSession session, MeshTable table, MeshTableHandle handle)
    {
        RegisteredAsset asset = table.asset();
        List<MeshColumnHandle> columns = table.columns().stream().map(MeshColumn::handle).collect(toImmutableList());
        MeshFormat format = formats.of(asset);
        if (format.neverWritten(handle)) {
            return TableStatistics.builder().setRowCount(Estimate.zero()).build();
        }
        return format.statistics(session, asset, handle, columns);
    }
}
