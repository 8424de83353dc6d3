package dev.datamesh.storage;

import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoFileSystemFactory;
import io.trino.spi.security.ConnectorIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestStorageSchemes
{
    @TempDir
    Path directory;

    @Test
    void testLocalFiles()
            throws IOException
    {
        Path file = directory.resolve("data.parquet");
        Files.writeString(file, "PAR1");
        TrinoFileSystem fileSystem = StorageSchemes.localFiles().create(ConnectorIdentity.ofUser("test"));
        assertThat(fileSystem.newInputFile(Location.of("file://" + file)).length()).isEqualTo(4);
        assertThat(fileSystem.newInputFile(Location.of("local://" + file)).length()).isEqualTo(4);

        assertThatThrownBy(() -> fileSystem.newInputFile(Location.of("s3://bucket/data.parquet")).length())
                .isInstanceOf(UnsupportedLocationException.class)
                .hasMessage("Location s3://bucket/data.parquet is in S3, which this reader is not configured for");
        assertThatThrownBy(() -> fileSystem.newInputFile(Location.of("gs://bucket/data.parquet")).length())
                .isInstanceOf(UnsupportedLocationException.class)
                .hasMessage("Location gs://bucket/data.parquet uses the 'gs' scheme, which this mesh is not configured to read; use a local path, file:// or s3://");
    }

    @Test
    void testObjectStoreClient()
    {
        TrinoFileSystemFactory s3 = _ -> {
            throw new UnsupportedOperationException();
        };
        Supplier<TrinoFileSystemFactory> client = () -> s3;
        for (String location : new String[] {"s3://bucket/a", "s3a://bucket/a", "s3n://bucket/a"}) {
            assertThat(StorageSchemes.factoryFor(Location.of(location), Optional.of(client))).isSameAs(s3);
        }
        // local files need no client: asking for one would make it (and fail where it cannot be made)
        Supplier<TrinoFileSystemFactory> unusable = () -> {
            throw new AssertionError("the client was asked for");
        };
        assertThat(StorageSchemes.factoryFor(Location.of("file:///tmp/a"), Optional.of(unusable))).isNotSameAs(s3);
    }
}
