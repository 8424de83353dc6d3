package dev.datamesh.trino;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.IcebergTables;
import dev.datamesh.registry.DomainLocations;
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
import io.airlift.log.Logger;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;

import java.time.Clock;

import static com.google.inject.multibindings.Multibinder.newSetBinder;
import static io.airlift.configuration.ConfigBinder.configBinder;

public class MeshModule
        implements Module
{
    private static final Logger log = Logger.get(MeshModule.class);

    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(MeshConfig.class);
        binder.bind(MeshFileSystemFactory.class).in(Scopes.SINGLETON);
        binder.bind(TrinoFileSystemFactory.class).to(MeshFileSystemFactory.class).in(Scopes.SINGLETON);
        binder.bind(MeshTableResolver.class).in(Scopes.SINGLETON);
        binder.bind(ContractCheck.class).in(Scopes.SINGLETON);
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

    /**
     * The platform's domains file, read once when the catalog starts: a file that cannot be read
     * stops the catalog, since serving without it would let any domain publish anything.
     */
    @Provides
    @Singleton
    public static DomainLocations domainLocations(MeshConfig config)
    {
        if (config.getDomainsFile() == null) {
            log.warn("mesh.domains-file is not set: data locations are not bound to domains, so any descriptor may publish any location this server can read, " +
                    "another domain's data included, with any storage profile and Iceberg catalog of the catalog; declare each domain's locations in a domains file for a shared mesh");
            return DomainLocations.UNDECLARED;
        }
        try {
            return DomainLocations.load(config.getDomainsFile());
        }
        catch (DescriptorException e) {
            throw new IllegalArgumentException("Invalid domains file (mesh.domains-file):\n" + String.join("\n", e.problems().stream().map(DescriptorProblem::toString).toList()), e);
        }
    }

    @Provides
    @Singleton
    public static MeshRegistrySource registrySource(MeshConfig config, TrinoFileSystemFactory fileSystemFactory, MeshStorage storage, DeclaredIcebergCatalogs icebergCatalogs, DomainLocations domainLocations)
    {
        // the registry only checks that local locations exist; reading the data is done as the querying user
        MeshRegistryLoader loader = new MeshRegistryLoader(config.getDescriptorsDirectory(), fileSystemFactory.create(ConnectorIdentity.ofUser("data-mesh")), storage.profileNames(), icebergCatalogs.catalogs(), domainLocations);
        return new MeshRegistrySource(config.getDescriptorsDirectory(), loader::load, config.getDescriptorsRefreshPeriod());
    }
}
