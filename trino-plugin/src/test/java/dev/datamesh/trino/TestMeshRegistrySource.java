package dev.datamesh.trino;

import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import io.airlift.units.Duration;
import io.trino.spi.security.ConnectorIdentity;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
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

    /**
     * The consumer's descriptor is not changed when the owner withdraws a share: its last valid
     * version must not keep the withdrawn share alive.
     */
    @Test
    void testWithdrawnShareIsNotKeptByTheConsumersLastVersion()
            throws Exception
    {
        Path folder = temporaryDirectory("registry-source-shares");
        Files.createDirectories(folder.resolve("orders"));
        Path owner = folder.resolve("a-orders.yaml");
        Files.writeString(owner, descriptor("orders") + "    shared_with: [reporting/report-product]\n");
        Files.writeString(folder.resolve("b-report.yaml"), """
                name: report-product
                domain: reporting
                owner: reporting-team
                version: 1.0.0
                data_assets:
                  - name: order_report
                    format: parquet
                    shared_from: {product: order-data-product, asset: orders}
                """);
        MeshRegistryLoader loader = new MeshRegistryLoader(folder, new MeshFileSystemFactory().create(ConnectorIdentity.ofUser("test")));
        MeshRegistrySource source = new MeshRegistrySource(folder, loader::load, new Duration(1, MILLISECONDS));
        assertThat(source.current().asset("reporting", "order_report")).isPresent();

        // the owner's new contract reaches the consumer that is kept meanwhile
        Files.writeString(owner, descriptor("orders") + "    shared_with: [reporting/report-product]\n    description: now described\n");
        Files.writeString(folder.resolve("b-report.yaml"), Files.readString(folder.resolve("b-report.yaml")).replace("version: 1.0.0\n", ""));
        Thread.sleep(20);
        assertThat(source.current().asset("reporting", "order_report").orElseThrow().sharedFrom().orElseThrow().asset().description()).contains("now described");

        Files.writeString(owner, descriptor("orders"));
        Thread.sleep(20);
        MeshRegistry withdrawn = source.current();
        assertThat(withdrawn.asset("sales", "orders")).isPresent();
        assertThat(withdrawn.asset("reporting", "order_report")).isEmpty();
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
