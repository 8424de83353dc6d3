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
        touch("orders.parquet", "PAR1data");
        touch("other.parquet");

        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, location("orders.parquet"));

        assertThat(listing.partitionKeys()).isEmpty();
        assertThat(listing.files()).singleElement().satisfies(file -> {
            assertThat(file.location()).isEqualTo(location("orders.parquet"));
            assertThat(file.length()).isEqualTo(8);
            assertThat(file.partitionValues()).isEmpty();
        });
    }

    @Test
    void testFolderOfFiles()
            throws IOException
    {
        touch("orders/part-1.parquet", "PAR1");
        touch("orders/part-0.parquet", "PAR1PAR1");
        touch("orders-backup/part-9.parquet");

        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, location("orders"));

        assertThat(listing.partitionKeys()).isEmpty();
        assertThat(listing.files()).extracting(ParquetDataFile::location).containsExactly(location("orders/part-0.parquet"), location("orders/part-1.parquet"));
        assertThat(listing.files()).extracting(ParquetDataFile::length).containsExactly(8L, 4L);
        assertThat(listing.files()).allSatisfy(file -> assertThat(file.partitionValues()).isEmpty());
    }

    @Test
    void testEmptyFolder()
            throws IOException
    {
        Files.createDirectories(directory.resolve("orders"));
        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, location("orders"));
        assertThat(listing.files()).isEmpty();
        assertThat(listing.partitionKeys()).isEmpty();
    }

    @Test
    void testHivePartitions()
            throws IOException
    {
        touch("t/year=2024/region=EU/part-0.parquet");
        touch("t/year=2024/region=EU/part-1.parquet");
        touch("t/year=2024/region=a%3Ab/part-0.parquet");
        touch("t/year=2025/region=__HIVE_DEFAULT_PARTITION__/part-0.parquet");

        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, location("t"));

        // in folder order, not alphabetical
        assertThat(listing.partitionKeys()).containsExactly("year", "region");
        assertThat(listing.files()).extracting(ParquetDataFile::location).containsExactly(
                location("t/year=2024/region=EU/part-0.parquet"),
                location("t/year=2024/region=EU/part-1.parquet"),
                location("t/year=2024/region=a%3Ab/part-0.parquet"),
                location("t/year=2025/region=__HIVE_DEFAULT_PARTITION__/part-0.parquet"));
        assertThat(listing.files()).extracting(ParquetDataFile::partitionValues).containsExactly(
                Map.of("year", Optional.of("2024"), "region", Optional.of("EU")),
                Map.of("year", Optional.of("2024"), "region", Optional.of("EU")),
                Map.of("year", Optional.of("2024"), "region", Optional.of("a:b")),
                Map.of("year", Optional.of("2025"), "region", Optional.empty()));
    }

    @Test
    void testPercentThatStartsNoEscapeIsKept()
            throws IOException
    {
        touch("promo/discount=100%/part-0.parquet");
        assertThat(ParquetAssetFiles.list(fileSystem, location("promo")).files())
                .extracting(ParquetDataFile::partitionValues)
                .containsExactly(Map.of("discount", Optional.of("100%")));
    }

    @Test
    void testHiddenFilesAreSkipped()
            throws IOException
    {
        touch("t/year=2024/part-0.parquet");
        touch("t/_SUCCESS");
        touch("t/.part-0.parquet.crc");
        touch("t/year=2024/.part-0.parquet.crc");
        touch("t/year=2024/_committed_123");
        // would be an inconsistent partition layout if it were read
        touch("t/_temporary/0/part-9.parquet");
        touch("t/.hive-staging/part-9.parquet");

        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, location("t"));

        assertThat(listing.partitionKeys()).containsExactly("year");
        assertThat(listing.files()).extracting(ParquetDataFile::location).containsExactly(location("t/year=2024/part-0.parquet"));
    }

    @Test
    void testInconsistentPartitionKeys()
            throws IOException
    {
        touch("t/year=2024/part-0.parquet");
        touch("t/region=EU/part-1.parquet");

        // which of the two is listed first is up to the file system
        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, location("t")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("inconsistent partition folders: ")
                .hasMessageContaining("year=2024/part-0.parquet")
                .hasMessageContaining("region=EU/part-1.parquet")
                .hasMessageContaining("partitioned by [year]")
                .hasMessageContaining("[region]");

        touch("u/year=2024/part-0.parquet");
        touch("u/part-1.parquet");
        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, location("u")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("inconsistent partition folders: ")
                .hasMessageContaining("year=2024/part-0.parquet")
                .hasMessageContaining("part-1.parquet")
                .hasMessageContaining("[]");
    }

    @Test
    void testPlainSubFolder()
            throws IOException
    {
        touch("t/2024/part-0.parquet");

        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, location("t")))
                .isInstanceOf(IOException.class)
                .hasMessage("file %s is in folder '2024', which is not a key=value partition folder; a Parquet asset folder holds data files or partition folders only"
                        .formatted(fileSystem.listFiles(location("t")).next().location()));
    }

    @Test
    void testMissingLocation()
    {
        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, location("absent.parquet")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(directory.resolve("absent.parquet").toString());
    }

    private Location location(String relative)
    {
        return Location.of("file://" + directory.resolve(relative));
    }

    private void touch(String relative)
            throws IOException
    {
        touch(relative, "PAR1");
    }

    private void touch(String relative, String content)
            throws IOException
    {
        Path file = directory.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
