package dev.datamesh.registry;

import io.trino.filesystem.Location;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestAssetLocations
{
    private static final Path DESCRIPTOR_DIRECTORY = Path.of("/srv/mesh/products/sales");

    @Test
    void testRelativePath()
    {
        assertThat(resolve("orders")).isEqualTo(Location.of("file:///srv/mesh/products/sales/orders"));
        assertThat(resolve("./data/orders/")).isEqualTo(Location.of("file:///srv/mesh/products/sales/data/orders"));
        assertThat(resolve("../../data/sales/orders.parquet")).isEqualTo(Location.of("file:///srv/mesh/data/sales/orders.parquet"));
    }

    @Test
    void testAbsolutePath()
    {
        assertThat(resolve("/data/sales/orders")).isEqualTo(Location.of("file:///data/sales/orders"));
    }

    @Test
    void testFileUri()
    {
        assertThat(resolve("file:///data/sales/orders")).isEqualTo(Location.of("file:///data/sales/orders"));
        assertThat(resolve("file:///data/sales/orders/")).isEqualTo(Location.of("file:///data/sales/orders"));
        assertThat(resolve("file:///data/sales/../orders")).isEqualTo(Location.of("file:///data/orders"));
    }

    @Test
    void testInvalidFileUri()
    {
        // "data" would be a host name
        assertThatThrownBy(() -> resolve("file://data/orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("location 'file://data/orders' is not a valid file URI (URI has an authority component); write file:///absolute/path, or a path relative to the descriptor");
    }

    @Test
    void testS3()
    {
        assertThat(resolve("s3://bucket/sales/orders")).isEqualTo(Location.of("s3://bucket/sales/orders"));
        assertThat(resolve("s3a://bucket/sales/orders")).isEqualTo(Location.of("s3://bucket/sales/orders"));
        assertThat(resolve("s3n://bucket/sales/orders")).isEqualTo(Location.of("s3://bucket/sales/orders"));
        assertThat(resolve("S3A://bucket/sales/orders")).isEqualTo(Location.of("s3://bucket/sales/orders"));
    }

    @Test
    void testUnsupportedScheme()
    {
        assertThatThrownBy(() -> resolve("hdfs://namenode/sales/orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("location 'hdfs://namenode/sales/orders' has unsupported scheme 'hdfs'; use a local path, file:// or s3://");
        assertThatThrownBy(() -> resolve("gs://bucket/orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("location 'gs://bucket/orders' has unsupported scheme 'gs'; use a local path, file:// or s3://");
    }

    private static Location resolve(String location)
    {
        return AssetLocations.resolve(location, DESCRIPTOR_DIRECTORY);
    }
}
