package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Delta table read under a column contract it breaks in every way, by a catalog that
 * quarantines it (the default) and by one that serves it with the violations listed.
 */
public class TestDataContracts
        extends AbstractTestQueryFramework
{
    private Path contract;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        Path domain = Files.createDirectories(products.resolve("contracts"));
        contract = Files.writeString(domain.resolve("orders_contract.json"), """
                {"columns": [
                  {"name": "order_id", "type": "bigint", "nullable": false},
                  {"name": "customer_id", "type": "bigint", "nullable": false},
                  {"name": "order_time", "type": "timestamp(6) with time zone"},
                  {"name": "basket_size", "type": "bigint"},
                  {"name": "total", "type": "decimal(12,2)"},
                  {"name": "order_year", "type": "integer"},
                  {"name": "coupon", "type": "varchar"}
                ]}
                """);
        Files.writeString(domain.resolve("contracts-data-product.yaml"), """
                name: contracts-data-product
                domain: contracts
                owner: contracts-team
                version: 1.0.0
                data_assets:
                  - name: orders
                    format: delta
                    location: ../../data/customer-service/customer_orders
                    schema: orders_contract.json
                """);
        QueryRunner queryRunner = MeshQueryRunner.create(products, 1);
        queryRunner.createCatalog("mesh_warn", MeshConnectorFactory.CONNECTOR_NAME, ImmutableMap.of(
                "mesh.descriptors.directory", products.toString(),
                "mesh.contracts.mode", "WARN"));
        return queryRunner;
    }

    @Test
    public void testEveryKindOfViolationIsListed()
    {
        String violations = "SELECT column_name, kind, action FROM %s.system.contract_violations WHERE table_schema = 'contracts'";
        assertQuery(violations.formatted("mesh"), """
                VALUES ('customer_id', 'nullability', 'quarantined'),
                       ('basket_size', 'type_mismatch', 'quarantined'),
                       ('coupon', 'missing_column', 'quarantined'),
                       ('channel', 'extra_column', 'served')
                """);
        assertQuery(violations.formatted("mesh_warn"), """
                VALUES ('customer_id', 'nullability', 'served'),
                       ('basket_size', 'type_mismatch', 'served'),
                       ('coupon', 'missing_column', 'served'),
                       ('channel', 'extra_column', 'served')
                """);
        assertQuery("SELECT message FROM system.contract_violations WHERE column_name = 'basket_size'",
                "VALUES 'column ''basket_size'' is declared as bigint (%s:5:3) but the data has integer'".formatted(contract));
        // the sample's own tables keep their contracts
        assertQuery("SELECT count(*) FROM system.contract_violations WHERE table_schema <> 'contracts' AND kind <> 'extra_column'", "VALUES 0");
    }

    @Test
    public void testEnforcedContractQuarantinesTheTable()
    {
        assertThat(queryFailure("SELECT count(*) FROM contracts.orders"))
                .startsWith("asset 'orders' of data product 'contracts-data-product' (domain contracts) violates its schema contract " + contract + ": ")
                .contains("column 'coupon' (%s:8:3) is missing from the table schema".formatted(contract))
                .contains("column 'basket_size' is declared as bigint")
                .contains("column 'customer_id' is declared not null (%s:3:3) but the table schema allows nulls".formatted(contract))
                .doesNotContain("channel");
        // the other tables keep serving
        assertQuery("SELECT count(*) FROM customer_service.customer_orders", "VALUES 6000");
    }

    @Test
    public void testWarnedContractServesTheData()
    {
        assertQuery("SELECT count(*), count(DISTINCT channel) FROM mesh_warn.contracts.orders", "VALUES (6000, 2)");
    }

    private String queryFailure(String sql)
    {
        try {
            computeActual(sql);
        }
        catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("query did not fail: " + sql);
    }
}
