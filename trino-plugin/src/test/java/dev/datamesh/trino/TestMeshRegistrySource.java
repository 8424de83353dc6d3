package dev.datamesh.trino;

import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import io.airlift.units.Duration;
import io.trino.spi.security.ConnectorIdentity;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.datamesh.trino.SampleMeshDirectory.temporaryDirectory;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

final class TestMeshRegistrySource
{
    @Test
    void testQueryKeepsItsRegistryAcrossReloads()
            throws Exception
    {
        Path folder = temporaryDirectory("registry-source");
        Files.createDirectories(folder.resolve("orders"));
        Path descriptor = folder.resolve("orders.yaml");
        Files.writeString(descriptor, descriptor("orders"));
        MeshRegistryLoader loader = new MeshRegistryLoader(folder, new MeshFileSystemFactory().create(ConnectorIdentity.ofUser("test")));
        MeshRegistrySource source = new MeshRegistrySource(folder, loader::load, new Duration(1, MILLISECONDS));

        MeshRegistry first = source.forQuery("q1");
        assertThat(first.asset("sales", "orders")).isPresent();

        Files.writeString(descriptor, descriptor("orders_renamed"));
        Thread.sleep(20);
        MeshRegistry second = source.current();
        assertThat(second.asset("sales", "orders_renamed")).isPresent();
        assertThat(source.forQuery("q1")).isSameAs(first);
        assertThat(source.forQuery("q2")).isSameAs(second);

        // broken: the last valid version stays, with the problem
        Files.writeString(descriptor, descriptor("orders_renamed").replace("version: 1.0.0\n", ""));
        Thread.sleep(20);
        MeshRegistry third = source.current();
        assertThat(third.asset("sales", "orders_renamed")).isPresent();
        assertThat(third.problems()).singleElement().satisfies(problem -> assertThat(problem.message()).contains("missing required field 'version'"));

        Files.delete(descriptor);
        Thread.sleep(20);
        assertThat(source.current().assets()).isEmpty();
    }

    private static String descriptor(String asset)
    {
        return """
                name: order-data-product
                domain: sales
                owner: sales-team
                version: 1.0.0
                data_assets:
                  - name: %s
                    format: parquet
                    location: orders
                """.formatted(asset);
    }
}
