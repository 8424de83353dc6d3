package dev.datamesh.trino;

import com.google.common.base.Suppliers;
import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.IcebergTables;
import dev.datamesh.registry.MeshRegistryLoader;
import dev.datamesh.trino.delta.DeltaFormat;
import dev.datamesh.trino.delta.DeltaSnapshots;
import dev.datamesh.trino.iceberg.IcebergFormat;
import dev.datamesh.trino.iceberg.IcebergPlanningExecutor;
import dev.datamesh.trino.parquet.ParquetFormat;
import dev.datamesh.trino.statistics.MeshStatistics;
import dev.datamesh.trino.statistics.MeshStatisticsConfig;
import dev.datamesh.trino.statistics.MetadataStatistics;
import dev.datamesh.trino.statistics.StatisticsStore;
import dev.datamesh.trino.statistics.VersionedStatistics;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;

import java.time.Clock;
import java.util.function.Supplier;

import static com.google.inject.multibindings.Multibinder.newSetBinder;
import static io.airlift.configuration.ConfigBinder.configBinder;

public class MeshModule
        implements Module
{
    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(MeshConfig.class);
        binder.bind(MeshFileSystemFactory.class).in(Scopes.SINGLETON);
        binder.bind(TrinoFileSystemFactory.class).to(MeshFileSystemFactory.class).in(Scopes.SINGLETON);
        binder.bind(MeshTableResolver.class).in(Scopes.SINGLETON);
        binder.bind(ContractCheck.class).in(Scopes.SINGLETON);
        binder.bind(DomainsFile.class).in(Scopes.SINGLETON);
        binder.bind(DomainCheck.class).in(Scopes.SINGLETON);
        binder.bind(ReadFailures.class).in(Scopes.SINGLETON);
        binder.bind(VersionedStatistics.class).in(Scopes.SINGLETON);
        binder.bind(DeltaSnapshots.class).in(Scopes.SINGLETON);
        Multibinder<MeshFormat> formats = newSetBinder(binder, MeshFormat.class);
        formats.addBinding().to(ParquetFormat.class).in(Scopes.SINGLETON);
        formats.addBinding().to(DeltaFormat.class).in(Scopes.SINGLETON);
        formats.addBinding().to(IcebergFormat.class).in(Scopes.SINGLETON);
        binder.bind(MeshFormats.class).in(Scopes.SINGLETON);
        binder.bind(AssetErrors.class).in(Scopes.SINGLETON);
        binder.bind(MetadataListing.class).in(Scopes.SINGLETON);
        binder.bind(IcebergPlanningExecutor.class).in(Scopes.SINGLETON);
        binder.bind(MetadataStatistics.class).in(Scopes.SINGLETON);
        configBinder(binder).bindConfig(MeshStatisticsConfig.class);
        binder.bind(StatisticsStore.class).in(Scopes.SINGLETON);
        binder.bind(MeshStatistics.class).in(Scopes.SINGLETON);
        binder.bind(Clock.class).toInstance(Clock.systemUTC());
        binder.bind(MeshSessionProperties.class).in(Scopes.SINGLETON);
        binder.bind(MeshSplitManager.class).in(Scopes.SINGLETON);
        binder.bind(MeshPageSourceProvider.class).in(Scopes.SINGLETON);
        binder.bind(MeshConnector.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    public static IcebergCatalogs icebergCatalogs(MeshFileSystemFactory fileSystemFactory, DeclaredIcebergCatalogs declaredCatalogs)
    {
        return IcebergCatalogs.forReading(fileSystemFactory.forIdentity(ConnectorIdentity.ofUser("data-mesh")), declaredCatalogs.catalogs());
    }

    @Provides
    @Singleton
    public static IcebergTables icebergTables(MeshFileSystemFactory fileSystemFactory, IcebergCatalogs catalogs, MeshConfig config)
    {
        return new IcebergTables(
                fileSystemFactory.forIdentity(ConnectorIdentity.ofUser("data-mesh")),
                catalogs,
                java.time.Duration.ofMillis(config.getIcebergMetadataCacheTtl().toMillis()),
                config.getIcebergTableCacheSize());
    }

    @Provides
    @Singleton
    public static MeshRegistrySource registrySource(MeshConfig config, TrinoFileSystemFactory fileSystemFactory, MeshStorage storage, DeclaredIcebergCatalogs icebergCatalogs, DomainsFile domainsFile)
    {
        // the registry only checks that local locations exist; reading the data is done as the querying user.
        // Nothing is read before the registry first loads, which only the coordinator's connector does
        Supplier<MeshRegistryLoader> loader = Suppliers.memoize(() -> new MeshRegistryLoader(
                config.getDescriptorsDirectory(), fileSystemFactory.create(ConnectorIdentity.ofUser("data-mesh")), storage.profileNames(), icebergCatalogs.catalogs(), domainsFile.locations()));
        return new MeshRegistrySource(config.getDescriptorsDirectory(), () -> loader.get().load(), config.getDescriptorsRefreshPeriod());
    }
}
