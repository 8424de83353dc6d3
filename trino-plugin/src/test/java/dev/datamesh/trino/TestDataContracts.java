package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.trino.MeshErrorCode.MESH_CONTRACT_VIOLATION;
import static io.trino.testing.assertions.TrinoExceptionAssert.assertTrinoExceptionThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Delta table and a partitioned Parquet table read under column contracts they break in every
 * way, by a catalog that quarantines them (the default) and by one that serves them with the
 * violations listed.
 */
public class TestDataContracts
        extends AbstractTestQueryFramework
{
    private Path contract;
    private Path parquetContract;

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
        // the sales orders (Parquet, partitioned by order_year) under a contract with types that are no SQL types
        parquetContract = Files.writeString(domain.resolve("parquet_orders_contract.json"), """
                {"columns": [
                  {"name": "order_id", "type": "bigint"},
                  {"name": "customer_id", "type": "bigint"},
                  {"name": "order_date", "type": "date"},
                  {"name": "status", "type": "varchar"},
                  {"name": "channel", "type": "varchar"},
                  {"name": "quantity", "type": "bigint"},
                  {"name": "amount", "type": "decimal(12,2"},
                  {"name": "order_year", "type": "integr"},
                  {"name": "coupon", "type": "varchar"},
                  {"name": "gift_note", "type": "varchar"}
                ]}
                """);
        dataProduct("contracts-data-product", "contracts", "contracts-team")
                .asset(
                        delta("orders", "../../data/customer-service/customer_orders").schema("orders_contract.json"),
                        parquet("parquet_orders", "../../data/sales/orders").schema("parquet_orders_contract.json"))
                .writeTo(domain.resolve("contracts-data-product.yaml"));
        QueryRunner queryRunner = MeshQueryRunner.create(products, 1);
        MeshQueryRunner.createCatalog(queryRunner, "mesh_warn", products, ImmutableMap.of("mesh.contracts.mode", "WARN"));
        return queryRunner;
    }

    @Test
    public void testEveryKindOfViolationIsListed()
    {
        String violations = "SELECT column_name, kind, action FROM %s.system.contract_violations WHERE table_schema = 'contracts' AND table_name = 'orders'";
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
        assertTrinoExceptionThrownBy(() -> computeActual("SELECT count(*) FROM contracts.orders")).hasErrorCode(MESH_CONTRACT_VIOLATION);
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
    public void testInvalidTypesAreReportedOnce()
    {
        // a partition key too, which takes its type from the contract
        assertQuery("SELECT column_name, kind FROM system.contract_violations WHERE table_name = 'parquet_orders'", """
                VALUES ('quantity', 'type_mismatch'),
                       ('amount', 'invalid_type'),
                       ('order_year', 'invalid_type'),
                       ('coupon', 'missing_column'),
                       ('gift_note', 'missing_column')
                """);
        assertQuery("SELECT message FROM system.contract_violations WHERE column_name = 'order_year'",
                "VALUES 'column ''order_year'' (%s:9:3) declares type ''integr'', which is not a SQL type'".formatted(parquetContract));
        // served as text meanwhile under WARN, as a partition key without a declared type is
        assertQuery("SELECT count(*), min(typeof(order_year)) FROM mesh_warn.contracts.parquet_orders", "VALUES (8000, 'varchar')");
    }

    @Test
    public void testQuarantineErrorNamesTheFirstViolations()
    {
        assertTrinoExceptionThrownBy(() -> computeActual("SELECT count(*) FROM contracts.parquet_orders"))
                .hasErrorCode(MESH_CONTRACT_VIOLATION)
                .hasMessage("asset 'parquet_orders' of data product 'contracts-data-product' (domain contracts) violates its schema contract %s: ".formatted(parquetContract)
                        + "column 'quantity' is declared as bigint (%s:7:3) but the data has integer; ".formatted(parquetContract)
                        + "column 'amount' (%s:8:3) declares type 'decimal(12,2', which is not a SQL type; ".formatted(parquetContract)
                        + "column 'order_year' (%s:9:3) declares type 'integr', which is not a SQL type; ".formatted(parquetContract)
                        + "and 2 more, listed in system.contract_violations (table_schema 'contracts', table_name 'parquet_orders')");
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
