package dev.datamesh.registry;

import dev.datamesh.registry.testing.MeshFolder;
import io.trino.filesystem.TrinoFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

import static dev.datamesh.registry.testing.TestFiles.localFileSystem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestParquetAssetFiles
{
    private final TrinoFileSystem fileSystem = localFileSystem();

    @RegisterExtension
    final MeshFolder directory = new MeshFolder();

    @Test
    void testSingleFile()
            throws IOException
    {
        directory.write("orders.parquet", "PAR1data");
        directory.touch("other.parquet");

        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, directory.location("orders.parquet"));

        assertThat(listing.partitionKeys()).isEmpty();
        assertThat(listing.files()).singleElement().satisfies(file -> {
            assertThat(file.location()).isEqualTo(directory.location("orders.parquet"));
            assertThat(file.length()).isEqualTo(8);
            assertThat(file.partitionValues()).isEmpty();
        });
    }

    @Test
    void testFolderOfFiles()
            throws IOException
    {
        directory.write("orders/part-1.parquet", "PAR1");
        directory.write("orders/part-0.parquet", "PAR1PAR1");
        directory.touch("orders-backup/part-9.parquet");

        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, directory.location("orders"));

        assertThat(listing.partitionKeys()).isEmpty();
        assertThat(listing.files()).extracting(ParquetDataFile::location).containsExactly(directory.location("orders/part-0.parquet"), directory.location("orders/part-1.parquet"));
        assertThat(listing.files()).extracting(ParquetDataFile::length).containsExactly(8L, 4L);
        assertThat(listing.files()).allSatisfy(file -> assertThat(file.partitionValues()).isEmpty());
    }

    @Test
    void testEmptyFolder()
            throws IOException
    {
        Files.createDirectories(directory.resolve("orders"));
        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, directory.location("orders"));
        assertThat(listing.files()).isEmpty();
        assertThat(listing.partitionKeys()).isEmpty();
    }

    @Test
    void testHivePartitions()
            throws IOException
    {
        directory.touch("t/year=2024/region=EU/part-0.parquet");
        directory.touch("t/year=2024/region=EU/part-1.parquet");
        directory.touch("t/year=2024/region=a%3Ab/part-0.parquet");
        directory.touch("t/year=2025/region=__HIVE_DEFAULT_PARTITION__/part-0.parquet");

        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, directory.location("t"));

        // in folder order, not alphabetical
        assertThat(listing.partitionKeys()).containsExactly("year", "region");
        assertThat(listing.files()).extracting(ParquetDataFile::location).containsExactly(
                directory.location("t/year=2024/region=EU/part-0.parquet"),
                directory.location("t/year=2024/region=EU/part-1.parquet"),
                directory.location("t/year=2024/region=a%3Ab/part-0.parquet"),
                directory.location("t/year=2025/region=__HIVE_DEFAULT_PARTITION__/part-0.parquet"));
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
        directory.touch("promo/discount=100%/part-0.parquet");
        assertThat(ParquetAssetFiles.list(fileSystem, directory.location("promo")).files())
                .extracting(ParquetDataFile::partitionValues)
                .containsExactly(Map.of("discount", Optional.of("100%")));
    }

    @Test
    void testHiddenFilesAreSkipped()
            throws IOException
    {
        directory.touch("t/year=2024/part-0.parquet");
        directory.touch("t/_SUCCESS");
        directory.touch("t/.part-0.parquet.crc");
        directory.touch("t/year=2024/.part-0.parquet.crc");
        directory.touch("t/year=2024/_committed_123");
        // would be an inconsistent partition layout if it were read
        directory.touch("t/_temporary/0/part-9.parquet");
        directory.touch("t/.hive-staging/part-9.parquet");

        ParquetFileListing listing = ParquetAssetFiles.list(fileSystem, directory.location("t"));

        assertThat(listing.partitionKeys()).containsExactly("year");
        assertThat(listing.files()).extracting(ParquetDataFile::location).containsExactly(directory.location("t/year=2024/part-0.parquet"));
    }

    @Test
    void testInconsistentPartitionKeys()
            throws IOException
    {
        directory.touch("t/year=2024/part-0.parquet");
        directory.touch("t/region=EU/part-1.parquet");

        // which of the two is listed first is up to the file system
        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, directory.location("t")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("inconsistent partition folders: ")
                .hasMessageContaining("year=2024/part-0.parquet")
                .hasMessageContaining("region=EU/part-1.parquet")
                .hasMessageContaining("partitioned by [year]")
                .hasMessageContaining("[region]");

        directory.touch("u/year=2024/part-0.parquet");
        directory.touch("u/part-1.parquet");
        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, directory.location("u")))
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
        directory.touch("t/2024/part-0.parquet");

        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, directory.location("t")))
                .isInstanceOf(IOException.class)
                .hasMessage("file %s is in folder '2024', which is not a key=value partition folder; a Parquet asset folder holds data files or partition folders only"
                        .formatted(fileSystem.listFiles(directory.location("t")).next().location()));
    }

    @Test
    void testMissingLocation()
    {
        assertThatThrownBy(() -> ParquetAssetFiles.list(fileSystem, directory.location("absent.parquet")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(directory.resolve("absent.parquet").toString());
    }
}
