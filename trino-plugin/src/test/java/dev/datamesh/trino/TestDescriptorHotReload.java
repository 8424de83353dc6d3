package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.sample.SampleMesh;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD;

/**
 * Descriptor files added, changed, broken and removed under a running catalog: each change is
 * served within the refresh period, without a restart; a broken file keeps the last valid version
 * of its product.
 */
@Execution(SAME_THREAD)
public class TestDescriptorHotReload
        extends AbstractTestQueryFramework
{
    private static final Duration WITHIN_REFRESH = Duration.ofSeconds(10);

    private Path products;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        products = SampleMeshDirectory.create();
        return MeshQueryRunner.create(products, 1, ImmutableMap.of("mesh.descriptors.refresh-period", "200ms"));
    }

    @Test
    public void testAddChangeBreakAndRemoveADescriptor()
            throws Exception
    {
        Path descriptor = products.resolve("sales/returns-data-product.yaml");
        // its asset's format on line 8
        dataProduct("returns-data-product", "sales", "sales-team")
                .description("Orders, seen by the returns desk.")
                .asset(parquet("returns", "../../data/sales/orders"))
                .writeTo(descriptor);
        awaitTrue(() -> tables("sales").contains("returns"));
        assertQuery("SELECT count(*) FROM sales.returns", "VALUES " + SampleMesh.ORDER_COUNT);

        // changed: another asset name and a filtered location
        Files.writeString(descriptor, Files.readString(descriptor)
                .replace("name: returns\n", "name: returns_2024\n")
                .replace("location: ../../data/sales/orders\n", "location: ../../data/sales/orders/order_year=2024\n"));
        awaitTrue(() -> tables("sales").contains("returns_2024") && !tables("sales").contains("returns"));
        assertQuery("SELECT count(*) FROM sales.returns_2024", "VALUES " + SampleMesh.orders().stream().filter(order -> order.orderYear() == 2024).count());

        // broken: the last valid version keeps serving, and the problem is in the catalog
        Files.writeString(descriptor, Files.readString(descriptor).replace("format: parquet", "format: csv"));
        awaitTrue(() -> computeActual("SELECT count(*) FROM system.descriptor_errors").getOnlyValue().equals(1L));
        assertQuery("SELECT line, message, data_product FROM system.descriptor_errors",
                "VALUES (8, '''data_assets[0].format'' has unsupported value ''csv''; use one of: parquet, delta, iceberg', 'returns-data-product')");
        assertThat(tables("sales")).contains("returns_2024");
        assertQuery("SELECT count(*) FROM sales.returns_2024", "VALUES " + SampleMesh.orders().stream().filter(order -> order.orderYear() == 2024).count());

        // removed
        Files.delete(descriptor);
        awaitTrue(() -> !tables("sales").contains("returns_2024"));
        assertQuery("SELECT count(*) FROM sales.orders", "VALUES " + SampleMesh.ORDER_COUNT);
    }

    private java.util.List<Object> tables(String schema)
    {
        return computeActual("SHOW TABLES FROM " + schema).getOnlyColumnAsSet().stream().toList();
    }

    private static void awaitTrue(Supplier<Boolean> condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + WITHIN_REFRESH.toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("condition met within %s", WITHIN_REFRESH).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
