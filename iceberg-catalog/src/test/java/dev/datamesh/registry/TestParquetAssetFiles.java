package dev.datamesh.registry;

import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.local.LocalFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestParquetAssetFiles
{
    private final TrinoFileSystem fileSystem = new LocalFileSystemFactory(Path.of("/")).create(ConnectorIdentity.ofUser("test"));

    @TempDir
    Path directory;

    @Test
    void testSingleFile()
            throws IOException
    {
        touch("one.parquet");
        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, location("one.parquet"));
        assertThat(listing.partitionKeys()).isEmpty();
        assertThat(listing.files()).singleElement().satisfies(file -> {
            assertThat(file.location()).isEqualTo(location("one.parquet"));
            assertThat(file.length()).isEqualTo(3);
        });
    }

    @Test
    void testPartitionedFolderSkipsHiddenFiles()
            throws IOException
    {
        touch("t/year=2024/region=EU/part-0.parquet");
        touch("t/year=2024/region=a%3Ab/part-0.parquet");
        touch("t/year=2025/region=__HIVE_DEFAULT_PARTITION__/part-0.parquet");
        touch("t/_SUCCESS");
        touch("t/year=2024/region=EU/.part-0.parquet.crc");
        touch("t/_temporary/year=2026/region=EU/part-9.parquet");

        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, location("t"));
        assertThat(listing.partitionKeys()).containsExactly("year", "region");
        assertThat(listing.files()).extracting(ParquetDataFile::location).containsExactly(
                location("t/year=2024/region=EU/part-0.parquet"),
                location("t/year=2024/region=a%3Ab/part-0.parquet"),
                location("t/year=2025/region=__HIVE_DEFAULT_PARTITION__/part-0.parquet"));
        assertThat(listing.files()).extracting(ParquetDataFile::partitionValues).containsExactly(
                Map.of("year", Optional.of("2024"), "region", Optional.of("EU")),
                Map.of("year", Optional.of("2024"), "region", Optional.of("a:b")),
                Map.of("year", Optional.of("2025"), "region", Optional.empty()));
    }

    @Test
    void testInconsistentPartitionsAndPlainFolders()
            throws IOException
    {
        touch("mixed/year=2024/part-0.parquet");
        touch("mixed/region=EU/part-0.parquet");
        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, location("mixed")))
                .isInstanceOf(IOException.class)
                .hasMessageMatching("inconsistent partition folders: (region=EU|year=2024)/part-0.parquet is partitioned by \\[(region|year)] but (region=EU|year=2024)/part-0.parquet by \\[(region|year)]");

        touch("plain/2024/part-0.parquet");
        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, location("plain")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is in folder '2024', which is not a key=value partition folder");
    }

    @Test
    void testLocations()
    {
        assertThat(AssetLocations.resolve("data/x", directory)).isEqualTo(Location.of("file://" + directory.resolve("data/x")));
        assertThat(AssetLocations.resolve("file:///srv/data/", directory)).isEqualTo(Location.of("file:///srv/data"));
        assertThat(AssetLocations.resolve("s3a://bucket/key", directory)).isEqualTo(Location.of("s3://bucket/key"));
        assertThat(AssetLocations.resolve("s3n://bucket/key", directory)).isEqualTo(Location.of("s3://bucket/key"));
        assertThatThrownBy(() -> AssetLocations.resolve("hdfs://nn/data", directory))
                .hasMessage("location 'hdfs://nn/data' has unsupported scheme 'hdfs'; use a local path, file:// or s3://");
        assertThat(MeshNames.schemaName("Customer Service")).isEqualTo("customer_service");
    }

    private Location location(String relative)
    {
        return Location.of("file://" + directory.resolve(relative));
    }

    private void touch(String relative)
            throws IOException
    {
        Path file = directory.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "abc");
    }
}
