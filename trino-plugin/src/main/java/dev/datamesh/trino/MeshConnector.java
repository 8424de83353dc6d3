package dev.datamesh.trino;

import com.google.common.collect.ImmutableSet;
import com.google.inject.Inject;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.trino.statistics.MeshStatistics;
import dev.datamesh.trino.statistics.MetadataStatistics;
import dev.datamesh.trino.system.ColumnsTable;
import dev.datamesh.trino.system.ContractViolationsTable;
import dev.datamesh.trino.system.DataAssetsTable;
import dev.datamesh.trino.system.DataProductsTable;
import dev.datamesh.trino.system.DescriptorErrorsTable;
import dev.datamesh.trino.system.SlaStatusTable;
import io.airlift.bootstrap.LifeCycleManager;
import io.trino.spi.catalog.CatalogName;
import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorPageSourceProvider;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplitManager;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.session.PropertyMetadata;
import io.trino.spi.transaction.IsolationLevel;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

public class MeshConnector
        implements Connector
{
    private final LifeCycleManager lifeCycleManager;
    private final MeshRegistrySource registrySource;
    private final MeshTableResolver tableResolver;
    private final MeshFormats formats;
    private final MetadataStatistics tableStatistics;
    private final List<PropertyMetadata<?>> sessionProperties;
    private final MeshSplitManager splitManager;
    private final MeshPageSourceProvider pageSourceProvider;
    private final IcebergCatalogs icebergCatalogs;
    private final MeshStorage storage;
    private final MetadataListing listing;
    private final Set<SystemTable> systemTables;
    private final CatalogName catalogName;
    private final PublishedRegistries publishedRegistries;
    private final RowFilteredTables rowFilteredTables;
    private final ReadGate readGate;
    private final MeshStatistics statistics;

    @Inject
    public MeshConnector(
            CatalogName catalogName,
            PublishedRegistries publishedRegistries,
            RowFilteredTables rowFilteredTables,
            ReadGate readGate,
            LifeCycleManager lifeCycleManager,
            MeshRegistrySource registrySource,
            MeshTableResolver tableResolver,
            MeshFormats formats,
            MetadataStatistics tableStatistics,
            MeshSplitManager splitManager,
            MeshPageSourceProvider pageSourceProvider,
            IcebergCatalogs icebergCatalogs,
            MeshStorage storage,
            MetadataListing listing,
            MeshStatistics statistics,
            AssetErrors assetErrors,
            Clock clock,
            MeshConfig config,
            MeshSessionProperties sessionProperties)
    {
        this.sessionProperties = sessionProperties.getSessionProperties();
        Function<ConnectorSession, CatalogVisibility> visibility = session -> readGate.catalogVisibility(session, catalogName.toString());
        this.systemTables = ImmutableSet.of(
                new DataProductsTable(registrySource, visibility),
                new DataAssetsTable(registrySource, visibility),
                new ColumnsTable(registrySource, visibility, tableResolver),
                new SlaStatusTable(registrySource, visibility, tableResolver, assetErrors, clock),
                new DescriptorErrorsTable(registrySource, visibility),
                new ContractViolationsTable(registrySource, visibility, tableResolver, config.getContractMode()));
        this.storage = requireNonNull(storage, "storage is null");
        this.statistics = requireNonNull(statistics, "statistics is null");
        this.listing = requireNonNull(listing, "listing is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.publishedRegistries = requireNonNull(publishedRegistries, "publishedRegistries is null");
        this.rowFilteredTables = requireNonNull(rowFilteredTables, "rowFilteredTables is null");
        this.readGate = requireNonNull(readGate, "readGate is null");
        this.icebergCatalogs = requireNonNull(icebergCatalogs, "icebergCatalogs is null");
        this.lifeCycleManager = requireNonNull(lifeCycleManager, "lifeCycleManager is null");
        this.registrySource = requireNonNull(registrySource, "registrySource is null");
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
        this.formats = requireNonNull(formats, "formats is null");
        this.tableStatistics = requireNonNull(tableStatistics, "tableStatistics is null");
        this.splitManager = requireNonNull(splitManager, "splitManager is null");
        this.pageSourceProvider = requireNonNull(pageSourceProvider, "pageSourceProvider is null");
    }

    @Override
    public ConnectorTransactionHandle beginTransaction(IsolationLevel isolationLevel, boolean readOnly, boolean autoCommit)
    {
        return MeshTransactionHandle.INSTANCE;
    }

    @Override
    public ConnectorMetadata getMetadata(ConnectorSession session, ConnectorTransactionHandle transactionHandle)
    {
        return new MeshMetadata(registrySource::forQuery, tableResolver, formats, tableStatistics, listing, statistics, (queryId, table) -> rowFilteredTables.filters(queryId, catalogName.toString(), table),
                (readSession, table) -> readGate.checkCanRead(readSession, catalogName.toString(), table.getSchemaName(), table.getTableName()));
    }

    @Override
    public List<PropertyMetadata<?>> getSessionProperties()
    {
        return sessionProperties;
    }

    @Override
    public Set<SystemTable> getSystemTables()
    {
        return systemTables;
    }

    @Override
    public ConnectorSplitManager getSplitManager()
    {
        return splitManager;
    }

    @Override
    public ConnectorPageSourceProvider getPageSourceProvider()
    {
        return pageSourceProvider;
    }

    @Override
    public void shutdown()
    {
        publishedRegistries.withdraw(catalogName.toString(), registrySource);
        lifeCycleManager.stop();
        listing.close();
        icebergCatalogs.close();
        storage.close();
    }
}
