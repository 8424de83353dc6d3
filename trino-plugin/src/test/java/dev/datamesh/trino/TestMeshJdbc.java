package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.sample.SampleMesh.Customer;
import dev.datamesh.sample.SampleMesh.CustomerOrder;
import dev.datamesh.sample.SampleMesh.Order;
import dev.datamesh.sample.SampleMesh.Shipment;
import dev.datamesh.trino.security.GovernedMeshRunner;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * What a BI tool or DBeaver sees through the Trino JDBC driver at jdbc:trino://host:port/mesh.
 */
@TestInstance(PER_CLASS)
final class TestMeshJdbc
{
    private QueryRunner queryRunner;
    private String jdbcUrl;

    @BeforeAll
    void setUp()
            throws Exception
    {
        // the sample mesh as bin/mesh start serves it: under its governance, read by the analyst alice
        queryRunner = GovernedMeshRunner.create(SampleMeshDirectory.create(), ImmutableMap.of(), "5s").queryRunner();
        var address = ((DistributedQueryRunner) queryRunner).getCoordinator().getAddress();
        jdbcUrl = "jdbc:trino://%s:%s/mesh".formatted(address.getHost(), address.getPort());
    }

    @AfterAll
    void tearDown()
    {
        queryRunner.close();
    }

    @Test
    void testNavigatorMetadata()
            throws SQLException
    {
        try (Connection connection = connect()) {
            DatabaseMetaData metadata = connection.getMetaData();
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = metadata.getSchemas("mesh", null)) {
                while (rs.next()) {
                    schemas.add(rs.getString("TABLE_SCHEM"));
                }
            }
            assertThat(schemas).containsExactlyInAnyOrder("customer_service", "information_schema", "logistics", "sales", "system");

            try (ResultSet rs = metadata.getTables("mesh", "sales", "%", null)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("TABLE_NAME")).isEqualTo("orders");
                // Trino's system.jdbc.tables returns no remarks: no JDBC client gets a table comment from getTables
                assertThat(rs.getString("REMARKS")).isNull();
                assertThat(rs.next()).isFalse();
            }

            // where the table comment is visible (docs/connector.md): system.metadata.table_comments, SHOW CREATE TABLE, the catalog tables
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT comment FROM system.metadata.table_comments WHERE catalog_name = 'mesh' AND schema_name = 'sales' AND table_name = 'orders'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("One row per order, partitioned by order year.");
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SHOW CREATE TABLE mesh.sales.orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("COMMENT 'One row per order, partitioned by order year.");
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT a.description, p.description FROM mesh.system.data_assets a JOIN mesh.system.data_products p USING (data_product) WHERE a.table_name = 'orders'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("One row per order, partitioned by order year.");
                assertThat(rs.getString(2)).isEqualTo("Customer orders from every sales channel.");
            }

            try (ResultSet rs = metadata.getColumns("mesh", "customer_service", "customer_profile", "email")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("TYPE_NAME")).isEqualTo("varchar");
                assertThat(rs.getString("REMARKS")).isEqualTo("Contact e-mail address");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void testCrossDomainJoin()
            throws SQLException
    {
        Map<Long, Customer> customers = SampleMesh.customers().stream().collect(toMap(Customer::customerId, customer -> customer));
        Map<String, BigDecimal> expected = new TreeMap<>();
        for (Order order : SampleMesh.orders()) {
            if (order.orderYear() == 2025) {
                expected.merge(customers.get(order.customerId()).segment(), order.amount(), BigDecimal::add);
            }
        }

        Map<String, BigDecimal> actual = new TreeMap<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT c.segment, sum(o.amount) AS revenue
                        FROM sales.orders o
                        JOIN customer_service.customer_profile c ON o.customer_id = c.customer_id
                        WHERE o.order_year = 2025
                        GROUP BY c.segment""")) {
            while (rs.next()) {
                actual.put(rs.getString("segment"), rs.getBigDecimal("revenue"));
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * The README's query across the three domains and formats: customers (Parquet), web-shop
     * orders (Delta) and shipments (Iceberg), compared with the same figures computed from the
     * generated rows.
     */
    @Test
    void testReadmeThreeFormatQuery()
            throws SQLException
    {
        Map<Long, Customer> customers = SampleMesh.customers().stream().collect(toMap(Customer::customerId, customer -> customer));
        Map<Long, CustomerOrder> orders = SampleMesh.customerOrders().stream().collect(toMap(CustomerOrder::orderId, order -> order));
        Map<String, Long> count = new TreeMap<>();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        Map<String, Long> hours = new TreeMap<>();
        for (Shipment shipment : SampleMesh.shipments()) {
            if (!shipment.status().equals("delivered")) {
                continue;
            }
            CustomerOrder order = orders.get(shipment.orderId());
            String region = customers.get(order.customerId()).region();
            count.merge(region, 1L, Long::sum);
            revenue.merge(region, order.total(), BigDecimal::add);
            hours.merge(region, Duration.between(shipment.shippedAt(), shipment.deliveredAt().orElseThrow()).toHours(), Long::sum);
        }

        List<String> regions = new ArrayList<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(DocPages.sqlBlock(DocPages.README, "-- Parquet (customer_service) x Delta (customer_service) x Iceberg (logistics)"))) {
            while (rs.next()) {
                String region = rs.getString("region");
                regions.add(region);
                assertThat(rs.getLong("delivered_orders")).isEqualTo(count.get(region));
                assertThat(rs.getBigDecimal("revenue")).isEqualTo(revenue.get(region));
                assertThat(rs.getDouble("avg_delivery_hours")).isCloseTo((double) hours.get(region) / count.get(region), within(0.05));
            }
        }
        assertThat(regions).containsExactlyElementsOf(count.keySet());
    }

    @Test
    void testDeltaAssetWithTimeTravel()
            throws SQLException
    {
        List<SampleMesh.CustomerOrder> orders = SampleMesh.customerOrders();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT (SELECT count(*) FROM customer_orders),
                               (SELECT count(*) FROM customer_orders FOR VERSION AS OF 0),
                               (SELECT sum(total) FROM customer_orders o JOIN customer_profile p ON o.customer_id = p.customer_id WHERE p.region = 'EMEA')""")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(orders.size());
            assertThat(rs.getLong(2)).isEqualTo(orders.stream().filter(order -> order.orderYear() < 2025).count());
            Map<Long, String> regions = SampleMesh.customers().stream().collect(toMap(Customer::customerId, Customer::region));
            assertThat(rs.getBigDecimal(3)).isEqualTo(orders.stream()
                    .filter(order -> regions.get(order.customerId()).equals("EMEA"))
                    .map(SampleMesh.CustomerOrder::total)
                    .reduce(BigDecimal.ZERO, BigDecimal::add));
        }
    }

    @Test
    void testTypedValues()
            throws SQLException
    {
        Customer customer = SampleMesh.customers().get(6);
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT customer_id, signup_date, lifetime_value FROM customer_profile WHERE customer_id = 7")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(7);
            assertThat(rs.getDate(2).toLocalDate()).isEqualTo(customer.signupDate());
            assertThat(rs.getBigDecimal(3)).isEqualTo(customer.lifetimeValue());
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void testMissingTableError()
    {
        assertThatThrownBy(() -> {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT * FROM sales.invoices");
            }
        })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Table 'mesh.sales.invoices' does not exist");
    }

    private Connection connect()
            throws SQLException
    {
        Connection connection = DriverManager.getConnection(jdbcUrl, "alice", null);
        connection.setSchema("customer_service");
        return connection;
    }
}
