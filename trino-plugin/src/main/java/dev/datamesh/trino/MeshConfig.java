package dev.datamesh.trino;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import io.airlift.units.MaxDataSize;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDataSize;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;

import static io.airlift.units.DataSize.Unit.MEGABYTE;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

public class MeshConfig
{
    public enum ContractMode
    {
        /** an asset whose data departs from its contract is quarantined: its queries fail with the violations */
        ENFORCE,
        /** served as its data is; the violations are listed in system.contract_violations */
        WARN,
    }

    private Path descriptorsDirectory;
    private Path domainsFile;
    private DataSize maxSplitSize = DataSize.of(64, MEGABYTE);
    private Duration icebergMetadataCacheTtl = new Duration(30, SECONDS);
    private Duration descriptorsRefreshPeriod = new Duration(30, SECONDS);
    private ContractMode contractMode = ContractMode.ENFORCE;
    private Duration listingTimeout = new Duration(10, SECONDS);
    private Duration listingFailureTtl = new Duration(1, MINUTES);
    private int metadataParallelism = 8;
    private Duration dynamicFilteringWaitTimeout = new Duration(1, SECONDS);
    private long deltaSnapshotCacheFiles = 200_000;
    private long parquetFooterCacheSize = 10_000;
    private long icebergTableCacheSize = 1_000;
    private int icebergPlanningThreads = 2 * Runtime.getRuntime().availableProcessors();

    @NotNull
    public Path getDescriptorsDirectory()
    {
        return descriptorsDirectory;
    }

    @Config("mesh.descriptors.directory")
    @ConfigDescription("Folder of data product descriptor files (*.yaml, *.yml, searched recursively)")
    public MeshConfig setDescriptorsDirectory(Path descriptorsDirectory)
    {
        this.descriptorsDirectory = descriptorsDirectory;
        return this;
    }

    public Path getDomainsFile()
    {
        return domainsFile;
    }

    @Config("mesh.domains-file")
    @ConfigDescription("The platform's domains file: the data locations, storage profiles and Iceberg catalogs each domain may publish from; without it any descriptor may publish any location the server can read")
    public MeshConfig setDomainsFile(Path domainsFile)
    {
        this.domainsFile = domainsFile;
        return this;
    }

    @NotNull
    @MinDuration("1ms")
    public Duration getDescriptorsRefreshPeriod()
    {
        return descriptorsRefreshPeriod;
    }

    @Config("mesh.descriptors.refresh-period")
    @ConfigDescription("How often the descriptor folder is checked for added, changed and removed files")
    public MeshConfig setDescriptorsRefreshPeriod(Duration descriptorsRefreshPeriod)
    {
        this.descriptorsRefreshPeriod = descriptorsRefreshPeriod;
        return this;
    }

    @NotNull
    public ContractMode getContractMode()
    {
        return contractMode;
    }

    @Config("mesh.contracts.mode")
    @ConfigDescription("ENFORCE: an asset whose data departs from its declared schema fails its queries with the violations; WARN: it is served as its data is, the violations listed in system.contract_violations")
    public MeshConfig setContractMode(ContractMode contractMode)
    {
        this.contractMode = contractMode;
        return this;
    }

    @NotNull
    @MinDataSize("1kB")
    @MaxDataSize("1GB")
    public DataSize getMaxSplitSize()
    {
        return maxSplitSize;
    }

    @Config("mesh.max-split-size")
    @ConfigDescription("Largest byte range of a data file read as one split; smaller splits spread one big file over more workers and cores")
    public MeshConfig setMaxSplitSize(DataSize maxSplitSize)
    {
        this.maxSplitSize = maxSplitSize;
        return this;
    }

    @NotNull
    @MaxDuration("1d")
    public Duration getIcebergMetadataCacheTtl()
    {
        return icebergMetadataCacheTtl;
    }

    @Config("mesh.iceberg.metadata-cache-ttl")
    @ConfigDescription("How long a loaded Iceberg table is reused before queries look for a newer snapshot; 0s looks every time")
    public MeshConfig setIcebergMetadataCacheTtl(Duration icebergMetadataCacheTtl)
    {
        this.icebergMetadataCacheTtl = icebergMetadataCacheTtl;
        return this;
    }

    @NotNull
    @MinDuration("1ms")
    public Duration getListingTimeout()
    {
        return listingTimeout;
    }

    @Config("mesh.metadata.listing-timeout")
    @ConfigDescription("How long a listing of columns or comments (information_schema, JDBC metadata, SQL tools' navigators) waits for the tables it reads; tables not read by then are left out of it")
    public MeshConfig setListingTimeout(Duration listingTimeout)
    {
        this.listingTimeout = listingTimeout;
        return this;
    }

    @NotNull
    public Duration getListingFailureTtl()
    {
        return listingFailureTtl;
    }

    @Config("mesh.metadata.listing-failure-ttl")
    @ConfigDescription("How long a table that a listing could not read, or not within the listing timeout, is left out of listings without being read again; queries on the table always read it")
    public MeshConfig setListingFailureTtl(Duration listingFailureTtl)
    {
        this.listingFailureTtl = listingFailureTtl;
        return this;
    }

    @Min(1)
    public int getMetadataParallelism()
    {
        return metadataParallelism;
    }

    @Config("mesh.metadata.parallelism")
    @ConfigDescription("Number of tables a listing reads at the same time")
    public MeshConfig setMetadataParallelism(int metadataParallelism)
    {
        this.metadataParallelism = metadataParallelism;
        return this;
    }

    @NotNull
    @MaxDuration("1h")
    public Duration getDynamicFilteringWaitTimeout()
    {
        return dynamicFilteringWaitTimeout;
    }

    @Config("mesh.dynamic-filtering.wait-timeout")
    @ConfigDescription("How long split planning of a table waits for the dynamic filters of the query's joins, which can spare it reading partitions and files; 0s plans at once")
    public MeshConfig setDynamicFilteringWaitTimeout(Duration dynamicFilteringWaitTimeout)
    {
        this.dynamicFilteringWaitTimeout = dynamicFilteringWaitTimeout;
        return this;
    }

    @Min(0)
    public long getDeltaSnapshotCacheFiles()
    {
        return deltaSnapshotCacheFiles;
    }

    @Config("mesh.delta.snapshot-cache-files")
    @ConfigDescription("How many live files the replayed Delta snapshots kept in memory may list in total (about 1.3 KB each); a snapshot is replayed again once evicted")
    public MeshConfig setDeltaSnapshotCacheFiles(long deltaSnapshotCacheFiles)
    {
        this.deltaSnapshotCacheFiles = deltaSnapshotCacheFiles;
        return this;
    }

    @Min(0)
    public long getParquetFooterCacheSize()
    {
        return parquetFooterCacheSize;
    }

    @Config("mesh.parquet.footer-cache-size")
    @ConfigDescription("How many Parquet files' footer summaries (row count, column statistics) are kept in memory for planning; a footer evicted is read again")
    public MeshConfig setParquetFooterCacheSize(long parquetFooterCacheSize)
    {
        this.parquetFooterCacheSize = parquetFooterCacheSize;
        return this;
    }

    @Min(0)
    public long getIcebergTableCacheSize()
    {
        return icebergTableCacheSize;
    }

    @Config("mesh.iceberg.table-cache-size")
    @ConfigDescription("How many loaded Iceberg tables (their metadata: schemas, snapshots, refs) are kept in memory for mesh.iceberg.metadata-cache-ttl; a table evicted is loaded again")
    public MeshConfig setIcebergTableCacheSize(long icebergTableCacheSize)
    {
        this.icebergTableCacheSize = icebergTableCacheSize;
        return this;
    }

    @Min(0)
    public int getIcebergPlanningThreads()
    {
        return icebergPlanningThreads;
    }

    @Config("mesh.iceberg.planning-threads")
    @ConfigDescription("Threads that read Iceberg manifests while splits and statistics are planned; 0 reads them in the planning thread, one at a time")
    public MeshConfig setIcebergPlanningThreads(int icebergPlanningThreads)
    {
        this.icebergPlanningThreads = icebergPlanningThreads;
        return this;
    }
}
