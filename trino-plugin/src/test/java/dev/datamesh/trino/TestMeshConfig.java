package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.units.DataSize.Unit.MEGABYTE;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestMeshConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(MeshConfig.class)
                .setDescriptorsDirectory(null)
                .setDomainsFile(null)
                .setMaxSplitSize(DataSize.of(64, MEGABYTE))
                .setIcebergMetadataCacheTtl(new Duration(30, SECONDS))
                .setDescriptorsRefreshPeriod(new Duration(30, SECONDS))
                .setContractMode(MeshConfig.ContractMode.ENFORCE)
                .setListingTimeout(new Duration(10, SECONDS))
                .setListingFailureTtl(new Duration(1, MINUTES))
                .setMetadataParallelism(8)
                .setDynamicFilteringWaitTimeout(new Duration(1, SECONDS))
                .setDeltaSnapshotCacheFiles(200_000)
                .setParquetFooterCacheSize(10_000)
                .setIcebergTableCacheSize(1_000)
                .setIcebergPlanningThreads(2 * Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("mesh.descriptors.directory", "/srv/mesh/products")
                .put("mesh.domains-file", "/srv/mesh/domains.yaml")
                .put("mesh.max-split-size", "16MB")
                .put("mesh.iceberg.metadata-cache-ttl", "5m")
                .put("mesh.descriptors.refresh-period", "2s")
                .put("mesh.contracts.mode", "WARN")
                .put("mesh.metadata.listing-timeout", "3s")
                .put("mesh.metadata.listing-failure-ttl", "10m")
                .put("mesh.metadata.parallelism", "16")
                .put("mesh.dynamic-filtering.wait-timeout", "250ms")
                .put("mesh.delta.snapshot-cache-files", "1000000")
                .put("mesh.parquet.footer-cache-size", "50000")
                .put("mesh.iceberg.table-cache-size", "200")
                .put("mesh.iceberg.planning-threads", "0")
                .buildOrThrow();

        MeshConfig expected = new MeshConfig()
                .setDescriptorsDirectory(Path.of("/srv/mesh/products"))
                .setDomainsFile(Path.of("/srv/mesh/domains.yaml"))
                .setMaxSplitSize(DataSize.of(16, MEGABYTE))
                .setIcebergMetadataCacheTtl(new Duration(5, MINUTES))
                .setDescriptorsRefreshPeriod(new Duration(2, SECONDS))
                .setContractMode(MeshConfig.ContractMode.WARN)
                .setListingTimeout(new Duration(3, SECONDS))
                .setListingFailureTtl(new Duration(10, MINUTES))
                .setMetadataParallelism(16)
                .setDynamicFilteringWaitTimeout(new Duration(250, MILLISECONDS))
                .setDeltaSnapshotCacheFiles(1_000_000)
                .setParquetFooterCacheSize(50_000)
                .setIcebergTableCacheSize(200)
                .setIcebergPlanningThreads(0);

        assertFullMapping(properties, expected);
    }
}
