package dev.datamesh.trino;

import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.MeshRegistryLoader;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.registry.testing.DataProductYaml.Asset;
import io.airlift.units.Duration;
import io.trino.spi.security.ConnectorIdentity;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.datamesh.registry.testing.DataProductYaml.asset;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
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
        Path descriptor = orders(parquet("orders", "orders")).writeTo(folder.resolve("orders.yaml"));
        MeshRegistryLoader loader = new MeshRegistryLoader(folder, new MeshFileSystemFactory().create(ConnectorIdentity.ofUser("test")));
        MeshRegistrySource source = new MeshRegistrySource(folder, loader::load, new Duration(1, MILLISECONDS));

        MeshRegistry first = source.forQuery("q1");
        assertThat(first.asset("sales", "orders")).isPresent();

        orders(parquet("orders_renamed", "orders")).writeTo(descriptor);
        Thread.sleep(20);
        MeshRegistry second = source.current();
        assertThat(second.asset("sales", "orders_renamed")).isPresent();
        assertThat(source.forQuery("q1")).isSameAs(first);
        assertThat(source.forQuery("q2")).isSameAs(second);

        // broken: the last valid version stays, with the problem
        orders(parquet("orders_renamed", "orders")).withoutVersion().writeTo(descriptor);
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
        Path owner = orders(parquet("orders", "orders").sharedWith("reporting/report-product")).writeTo(folder.resolve("a-orders.yaml"));
        DataProductYaml report = dataProduct("report-product", "reporting", "reporting-team")
                .asset(asset("order_report", "parquet").sharedFrom("order-data-product", "orders"));
        Path consumer = report.writeTo(folder.resolve("b-report.yaml"));
        MeshRegistryLoader loader = new MeshRegistryLoader(folder, new MeshFileSystemFactory().create(ConnectorIdentity.ofUser("test")));
        MeshRegistrySource source = new MeshRegistrySource(folder, loader::load, new Duration(1, MILLISECONDS));
        assertThat(source.current().asset("reporting", "order_report")).isPresent();

        // the owner's new contract reaches the consumer that is kept meanwhile
        orders(parquet("orders", "orders").sharedWith("reporting/report-product").description("now described")).writeTo(owner);
        report.withoutVersion().writeTo(consumer);
        Thread.sleep(20);
        assertThat(source.current().asset("reporting", "order_report").orElseThrow().sharedFrom().orElseThrow().asset().description()).contains("now described");

        orders(parquet("orders", "orders")).writeTo(owner);
        Thread.sleep(20);
        MeshRegistry withdrawn = source.current();
        assertThat(withdrawn.asset("sales", "orders")).isPresent();
        assertThat(withdrawn.asset("reporting", "order_report")).isEmpty();
    }

    private static DataProductYaml orders(Asset asset)
    {
        return dataProduct("order-data-product", "sales", "sales-team").asset(asset);
    }
}
