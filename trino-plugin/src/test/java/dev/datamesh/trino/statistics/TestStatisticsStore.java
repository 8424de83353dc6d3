package dev.datamesh.trino.statistics;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.trino.MeshFileSystemFactory;
import dev.datamesh.trino.MeshStorage;
import io.opentelemetry.api.OpenTelemetry;
import io.trino.filesystem.s3.S3FileSystemConfig;
import io.trino.spi.TrinoException;
import io.trino.spi.catalog.CatalogName;
import io.trino.spi.connector.SchemaTableName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static dev.datamesh.trino.MeshErrorCode.MESH_STATISTICS_NOT_CONFIGURED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestStatisticsStore
{
    private static final SchemaTableName ORDERS = new SchemaTableName("sales", "orders");
    private static final StoredStatistics STATISTICS = new StoredStatistics(
            "sales.orders",
            new DataIdentity("delta: file:///data/sales/orders at version 3"),
            Instant.parse("2026-01-02T03:04:05Z"),
            "olivia",
            8_000,
            ImmutableMap.of(
                    "channel", new StoredStatistics.Column("varchar", OptionalLong.of(8_000), OptionalLong.of(4), OptionalLong.of(41_000), OptionalDouble.empty(), OptionalDouble.empty()),
                    "order_date", new StoredStatistics.Column("date", OptionalLong.of(7_990), OptionalLong.of(1_095), OptionalLong.empty(), OptionalDouble.of(19_358), OptionalDouble.of(20_452))));

    @Test
    void testStatisticsKeptAsJsonPerCatalogAndTable()
            throws IOException
    {
        Path location = temporaryDirectory("statistics-store");
        StatisticsStore store = store(new MeshStatisticsConfig().setLocation(location.toString()));
        assertThat(store.read(ORDERS)).isEmpty();
        store.write(ORDERS, STATISTICS);
        assertThat(store.read(ORDERS)).contains(STATISTICS);

        Path file = location.resolve("mesh/sales/orders.json");
        assertThat(Files.readString(file)).contains("\"identity\" : \"delta: file:///data/sales/orders at version 3\"", "\"analyzedAt\" : \"2026-01-02T03:04:05Z\"");
        // what another server of the platform, or the next start of this one, reads
        assertThat(store(new MeshStatisticsConfig().setLocation("file://" + location)).read(ORDERS)).contains(STATISTICS);
        // statistics only help planning: a file that cannot be read is no statistics, not a failed query
        Files.writeString(file, "{\"table\": ");
        assertThat(store(new MeshStatisticsConfig().setLocation(location.toString())).read(ORDERS)).isEmpty();
    }

    @Test
    void testWithoutLocationNothingIsKept()
    {
        StatisticsStore store = store(new MeshStatisticsConfig());
        assertThat(store.read(ORDERS)).isEmpty();
        assertThatThrownBy(() -> store.checkConfigured(ORDERS))
                .isInstanceOfSatisfying(TrinoException.class, e -> assertThat(e.getErrorCode()).isEqualTo(MESH_STATISTICS_NOT_CONFIGURED.toErrorCode()))
                .hasMessageContaining("Cannot analyze mesh.sales.orders: catalog mesh keeps no statistics")
                .hasMessageContaining("mesh.statistics.location");
    }

    @Test
    void testLocationAndStorageProfileChecked()
    {
        assertThatThrownBy(() -> store(new MeshStatisticsConfig().setLocation("var/statistics")))
                .hasMessage("mesh.statistics.location must be an absolute local path, a file:// or an s3:// URI, not var/statistics");
        assertThatThrownBy(() -> store(new MeshStatisticsConfig().setLocation("gs://platform/statistics")))
                .hasMessage("mesh.statistics.location must be an absolute local path, a file:// or an s3:// URI, not gs://platform/statistics");
        assertThatThrownBy(() -> store(new MeshStatisticsConfig().setLocation("/srv/statistics").setStorageProfile("platform")))
                .hasMessage("mesh.statistics.storage-profile names the S3 credentials of the statistics location, which is file:///srv/statistics");
        assertThatThrownBy(() -> store(new MeshStatisticsConfig().setLocation("s3://platform/statistics").setStorageProfile("elsewhere")))
                .hasMessage("mesh.statistics.storage-profile: storage profile 'elsewhere' is not configured in this catalog; add mesh.storage.elsewhere.s3.* properties");
        store(new MeshStatisticsConfig().setLocation("s3a://platform/statistics").setStorageProfile("platform"));
    }

    private static StatisticsStore store(MeshStatisticsConfig config)
    {
        MeshStorage storage = new MeshStorage(new S3FileSystemConfig(), ImmutableMap.of("platform", new S3FileSystemConfig()), OpenTelemetry.noop());
        return new StatisticsStore(config, new MeshFileSystemFactory(storage), storage, new CatalogName("mesh"));
    }
}
