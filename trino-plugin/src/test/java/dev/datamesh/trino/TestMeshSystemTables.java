package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.datamesh.registry.testing.DataProductYaml.asset;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.trino.SampleMeshDirectory.customerProfileFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.parallel.ExecutionMode.SAME_THREAD;

/**
 * The catalog of the mesh as SQL: mesh.system.data_products, data_assets, columns, sla_status
 * and descriptor_errors over the sample mesh, with freshness measured against the data's age.
 */
@Execution(SAME_THREAD)
public class TestMeshSystemTables
        extends AbstractTestQueryFramework
{
    private Path products;
    private Path freshFile;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        products = SampleMeshDirectory.create();
        // a product whose only file's age the test sets, against a freshness of one hour
        Path data = products.resolveSibling("data/freshness/readings");
        Files.createDirectories(data);
        freshFile = Files.copy(customerProfileFile(products), data.resolve("part-00000.parquet"));
        dataProduct("readings-data-product", "freshness", "sensor-team")
                .sla("{freshness: 1 hour}")
                .asset(parquet("readings", "../data/freshness/readings"))
                .grantRead("analyst")
                .writeTo(products.resolve("freshness.yaml"));
        // its format on line 7
        dataProduct("broken-data-product", "finance", "finance-team")
                .asset(asset("invoices", "csv").location("/nowhere"))
                .writeTo(products.resolve("broken.yaml"));
        return MeshQueryRunner.create(products, 1, ImmutableMap.of("mesh.descriptors.refresh-period", "200ms"));
    }

    @Test
    public void testDataProductsAndAssets()
    {
        assertQuery("SELECT data_product, domain, table_schema, owner, version, freshness, cardinality(readers), assets FROM system.data_products",
                """
                VALUES ('customer-data-product', 'customer-service', 'customer_service', 'customer-data-team', '1.0.0', '1 hour', 3, 2),
                       ('order-data-product', 'sales', 'sales', 'sales-analytics-team', '2.1.0', '1 day', 2, 1),
                       ('shipment-data-product', 'logistics', 'logistics', 'logistics-team', '1.0.0', '4 hours', 4, 1),
                       ('readings-data-product', 'freshness', 'freshness', 'sensor-team', '1.0.0', '1 hour', 1, 1)
                """);
        assertQuery("SELECT table_schema, table_name, format, contains(classifications, 'pii'), update_frequency FROM system.data_assets",
                """
                VALUES ('customer_service', 'customer_profile', 'parquet', true, 'hourly'),
                       ('customer_service', 'customer_orders', 'delta', false, 'daily'),
                       ('sales', 'orders', 'parquet', false, 'daily'),
                       ('logistics', 'shipments', 'iceberg', false, 'hourly'),
                       ('freshness', 'readings', 'parquet', false, NULL)
                """);
        assertQuery("SELECT location LIKE 'table logistics.shipments in the jdbc catalog ''mesh'' at jdbc:sqlite:%/data/logistics/iceberg_catalog.db%' FROM system.data_assets WHERE table_name = 'shipments'", "VALUES true");
    }

    @Test
    public void testColumnsWithTheirMeaning()
    {
        assertQuery("SELECT column_name, data_type, description, classifications, declared FROM system.columns WHERE table_name = 'customer_profile' AND column_name IN ('customer_id', 'email')",
                "VALUES ('customer_id', 'bigint', 'Stable customer identifier, shared with the sales domain', ARRAY[], true), ('email', 'varchar', 'Contact e-mail address', ARRAY['pii', 'contact'], true)");
        // an asset without a column contract lists the columns of its data
        assertQuery("SELECT count(*), bool_and(NOT declared) FROM system.columns WHERE table_name = 'readings'", "VALUES (10, true)");
    }

    @Test
    public void testFreshnessMeasuredAgainstTheSla()
            throws Exception
    {
        Files.setLastModifiedTime(freshFile, FileTime.from(Instant.now().minus(Duration.ofMinutes(30))));
        MaterializedRow fresh = computeActual("SELECT status, lag_seconds, freshness FROM system.sla_status WHERE table_name = 'readings'").getMaterializedRows().getFirst();
        assertThat(fresh.getField(0)).isEqualTo("ok");
        assertThat((long) fresh.getField(1)).isBetween(29 * 60L, 40 * 60L);

        Files.setLastModifiedTime(freshFile, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        assertQuery("SELECT status, lag_seconds > 7000 FROM system.sla_status WHERE table_name = 'readings'", "VALUES ('breached', true)");

        // the sample: Delta commits dated 2025 and 2026 are older than an hour; the other data was just written
        assertQuery("SELECT table_name, status FROM system.sla_status WHERE table_schema <> 'freshness'",
                "VALUES ('customer_profile', 'ok'), ('customer_orders', 'breached'), ('orders', 'ok'), ('shipments', 'ok')");
    }

    @Test
    public void testDescriptorErrors()
    {
        List<MaterializedRow> errors = computeActual("SELECT file, line, column_number, message, data_product, descriptor_file, domain, owner FROM system.descriptor_errors").getMaterializedRows();
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getField(0)).isEqualTo(products.resolve("broken.yaml").toString());
            assertThat(error.getFields().subList(1, 5)).containsExactly(7L, 13L, "'data_assets[0].format' has unsupported value 'csv'; use one of: parquet, delta, iceberg", null);
            // what the file says of itself, though it is left out
            assertThat(error.getFields().subList(5, 8)).containsExactly(products.resolve("broken.yaml").toString(), "finance", "finance-team");
        });
    }
}
