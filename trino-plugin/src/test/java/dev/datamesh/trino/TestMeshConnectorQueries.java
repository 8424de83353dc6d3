package dev.datamesh.trino;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.sample.SampleMesh.Customer;
import dev.datamesh.sample.SampleMesh.CustomerOrder;
import dev.datamesh.sample.SampleMesh.Order;
import dev.datamesh.sample.SampleMesh.Shipment;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import io.trino.testing.QueryRunner.MaterializedResultWithPlan;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.reducing;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL over the sample mesh, with every expected result computed from the generated rows.
 */
final class TestMeshConnectorQueries
        extends AbstractTestQueryFramework
{
    private static final List<Customer> CUSTOMERS = SampleMesh.customers();
    private static final List<Order> ORDERS = SampleMesh.orders();

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        QueryRunner queryRunner = MeshQueryRunner.create(products, 1);
        // the same mesh read in tiny splits, so every file is cut across its row groups
        MeshQueryRunner.createCatalog(queryRunner, "mesh_small_splits", products, ImmutableMap.of("mesh.max-split-size", "8kB"));
        return queryRunner;
    }

    @Test
    void testShowSchemasAndTables()
    {
        assertThat(computeActual("SHOW SCHEMAS").getOnlyColumnAsSet())
                .containsExactlyInAnyOrder("customer_service", "sales", "logistics", "information_schema", "system");
        assertThat(computeActual("SHOW TABLES FROM customer_service").getOnlyColumnAsSet()).containsExactlyInAnyOrder("customer_profile", "customer_orders");
        assertThat(computeActual("SHOW TABLES FROM sales").getOnlyColumnAsSet()).containsExactly("orders");
        assertThat(computeActual("SHOW TABLES FROM logistics").getOnlyColumnAsSet()).containsExactly("shipments");
    }

    @Test
    void testIcebergSampleAsset()
    {
        List<Shipment> shipments = SampleMesh.shipments();
        MaterializedResult describe = computeActual("DESCRIBE logistics.shipments");
        assertThat(describe.getMaterializedRows().stream().map(row -> row.getField(0) + " " + row.getField(1) + " " + row.getField(3)).toList()).containsExactly(
                "shipment_id bigint Shipment number",
                "order_id bigint Web-shop order shipped (customer_orders.order_id)",
                "customer_id bigint Customer the parcel goes to (customer_profile.customer_id)",
                "carrier varchar Carrier that took the parcel",
                "shipped_at timestamp(6) with time zone When the carrier took the parcel; the table is partitioned by its month",
                "delivered_at timestamp(6) with time zone When the parcel was delivered or returned; empty while in transit",
                "status varchar delivered, in_transit or returned",
                "weight_kg decimal(8,2) Parcel weight in kilograms",
                "destination_country varchar ISO country code of the delivery address");

        BigDecimal weight = shipments.stream().map(Shipment::weightKg).reduce(BigDecimal.ZERO, BigDecimal::add);
        long inTransit = shipments.stream().filter(shipment -> shipment.deliveredAt().isEmpty()).count();
        assertQuery("SELECT count(*), sum(weight_kg), count(*) - count(delivered_at) FROM logistics.shipments", "VALUES (%s, %s, %s)".formatted(shipments.size(), weight, inTransit));

        // hidden partitioning by month(shipped_at): one month's files only
        long march2024 = shipments.stream().filter(shipment -> shipment.shippedAt().getYear() == 2024 && shipment.shippedAt().getMonthValue() == 3).count();
        String inMarch = "SELECT count(*) FROM logistics.shipments WHERE shipped_at >= TIMESTAMP '2024-03-01 00:00:00 UTC' AND shipped_at < TIMESTAMP '2024-04-01 00:00:00 UTC'";
        assertQuery(inMarch, "VALUES " + march2024);
        assertThat(physicalInputPositions(getDistributedQueryRunner().executeWithPlan(getSession(), inMarch))).isEqualTo(march2024);

        // the tagged first snapshot holds the shipments until the end of 2024
        long until2024 = shipments.stream().filter(shipment -> shipment.shippedAt().getYear() < 2025).count();
        assertQuery("SELECT count(*), max(year(shipped_at)) FROM logistics.shipments FOR VERSION AS OF '%s'".formatted(SampleMesh.SHIPMENTS_2024_TAG), "VALUES (%s, 2024)".formatted(until2024));
    }

    @Test
    void testDescribeShowsContractDescriptions()
    {
        MaterializedResult describe = computeActual("DESCRIBE sales.orders");
        assertThat(describe.getMaterializedRows().stream().map(MaterializedRow::getFields).toList()).containsExactly(
                List.of("order_id", "bigint", "", "Order number"),
                List.of("customer_id", "bigint", "", "Customer who placed the order (customer_service.customer_profile)"),
                List.of("order_date", "date", "", "Day the order was placed"),
                List.of("status", "varchar", "", "delivered, shipped, cancelled or returned"),
                List.of("channel", "varchar", "", "web, mobile, store or partner"),
                List.of("quantity", "integer", "", "Number of items"),
                List.of("amount", "decimal(12,2)", "", "Order total in EUR"),
                List.of("order_year", "integer", "partition key", "Year of order_date; the partition key"));

        assertQuery(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'customer_service' AND table_name = 'customer_profile' AND column_name IN ('email', 'lifetime_value')",
                "VALUES ('email', 'varchar'), ('lifetime_value', 'decimal(12,2)')");
        assertQuery(
                "SHOW COLUMNS FROM customer_profile LIKE 'sign%'",
                "VALUES ('signup_date', 'date', '', 'Day the customer signed up')");
    }

    @Test
    void testTableCommentNamesProductAndOwner()
    {
        assertQuery(
                "SELECT comment FROM system.metadata.table_comments WHERE catalog_name = 'mesh' AND schema_name = 'sales' AND table_name = 'orders'",
                "VALUES 'One row per order, partitioned by order year. — Data product order-data-product 2.1.0 (domain sales), owned by sales-analytics-team'");
    }

    @Test
    void testSelectEveryRow()
    {
        MaterializedResult result = computeActual("SELECT customer_id, email, signup_date, lifetime_value FROM customer_profile");
        assertThat(result.getRowCount()).isEqualTo(SampleMesh.CUSTOMER_COUNT);
        Set<List<Object>> expected = CUSTOMERS.stream()
                .map(customer -> List.<Object>of(customer.customerId(), customer.email(), customer.signupDate(), customer.lifetimeValue()))
                .collect(toImmutableSet());
        assertThat(result.getMaterializedRows().stream().map(MaterializedRow::getFields).collect(toImmutableSet())).isEqualTo(expected);
    }

    @Test
    void testSelectOneRowWithEveryColumn()
    {
        Customer customer = CUSTOMERS.get(41);
        MaterializedResult result = computeActual("SELECT * FROM customer_profile WHERE customer_id = 42");
        assertThat(result.getMaterializedRows()).hasSize(1);
        assertThat(result.getMaterializedRows().getFirst().getFields()).containsExactly(
                42L, customer.firstName(), customer.lastName(), customer.email(), customer.phone(),
                customer.country(), customer.region(), customer.segment(), customer.signupDate(), customer.lifetimeValue());
    }

    @Test
    void testFilterAndProjection()
    {
        MaterializedResult result = computeActual("SELECT customer_id, last_name FROM customer_profile WHERE country = 'JP' AND segment = 'enterprise' AND lifetime_value > 25000");
        Set<List<Object>> expected = CUSTOMERS.stream()
                .filter(customer -> customer.country().equals("JP") && customer.segment().equals("enterprise") && customer.lifetimeValue().compareTo(BigDecimal.valueOf(25000)) > 0)
                .map(customer -> List.<Object>of(customer.customerId(), customer.lastName()))
                .collect(toImmutableSet());
        assertThat(expected).isNotEmpty();
        assertThat(result.getMaterializedRows().stream().map(MaterializedRow::getFields).collect(toImmutableSet())).isEqualTo(expected);
    }

    @Test
    void testPartitionPruningReadsOnlyMatchingFolders()
    {
        List<Order> orders2024 = ORDERS.stream().filter(order -> order.orderYear() == 2024).toList();
        BigDecimal total = orders2024.stream().map(Order::amount).reduce(BigDecimal.ZERO, BigDecimal::add);

        MaterializedResultWithPlan result = getDistributedQueryRunner().executeWithPlan(getSession(), "SELECT count(*), sum(amount) FROM sales.orders WHERE order_year = 2024");
        assertThat(result.result().getMaterializedRows().getFirst().getFields()).containsExactly((long) orders2024.size(), total);
        assertThat(physicalInputPositions(result)).isEqualTo(orders2024.size());

        assertQuery("SELECT DISTINCT order_year FROM sales.orders WHERE order_year >= 2024", "VALUES 2024, 2025");
        // an expression the summary cannot hold still prunes by the partition key
        assertThat(computeScalar("SELECT count(*) FROM sales.orders WHERE order_year % 2 = 1"))
                .isEqualTo(ORDERS.stream().filter(order -> order.orderYear() % 2 == 1).count());
    }

    @Test
    void testRowGroupsSkippedByStatistics()
    {
        MaterializedResultWithPlan result = getDistributedQueryRunner().executeWithPlan(getSession(), "SELECT first_name FROM customer_profile WHERE customer_id = 4321");
        assertThat(result.result().getOnlyValue()).isEqualTo(CUSTOMERS.get(4320).firstName());
        // the files hold 2,500 rows each in small row groups; min/max of customer_id rules out all but one
        assertThat(physicalInputPositions(result)).isLessThan(1000);
    }

    @Test
    void testRowGroupsSkippedByDictionary()
    {
        // 'lost' lies between the smallest and largest status, so only the dictionaries can rule it out
        MaterializedResultWithPlan result = getDistributedQueryRunner().executeWithPlan(getSession(), "SELECT count(*) FROM sales.orders WHERE status = 'lost'");
        assertThat(result.result().getOnlyValue()).isEqualTo(0L);
        assertThat(physicalInputPositions(result)).isZero();
    }

    @Test
    void testExplainShowsPushedDownConstraint()
    {
        String plan = (String) computeScalar("EXPLAIN SELECT order_id FROM sales.orders WHERE order_year = 2024 AND status = 'shipped'");
        assertThat(plan).contains("orders partitions [order_year] constraint on [status]");
    }

    @Test
    void testRowCountStatisticsFollowPartitionPruning()
    {
        assertThat(statsRowCount("SHOW STATS FOR sales.orders")).isEqualTo((double) SampleMesh.ORDER_COUNT);
        assertThat(statsRowCount("SHOW STATS FOR (SELECT * FROM sales.orders WHERE order_year = 2024)"))
                .isEqualTo((double) ORDERS.stream().filter(order -> order.orderYear() == 2024).count());
        assertThat(statsRowCount("SHOW STATS FOR customer_profile")).isEqualTo((double) SampleMesh.CUSTOMER_COUNT);
    }

    @Test
    void testCrossDomainJoin()
    {
        Map<Long, String> regionByCustomer = CUSTOMERS.stream().collect(java.util.stream.Collectors.toMap(Customer::customerId, Customer::region));
        Map<String, BigDecimal> expected = ORDERS.stream()
                .filter(order -> order.status().equals("delivered"))
                .collect(groupingBy(order -> regionByCustomer.get(order.customerId()), TreeMap::new, reducing(BigDecimal.ZERO, Order::amount, BigDecimal::add)));

        MaterializedResult result = computeActual("""
                SELECT c.region, sum(o.amount)
                FROM sales.orders o
                JOIN customer_service.customer_profile c ON o.customer_id = c.customer_id
                WHERE o.status = 'delivered'
                GROUP BY c.region
                ORDER BY c.region""");
        assertThat(result.getMaterializedRows().stream().map(MaterializedRow::getFields).collect(toImmutableList()))
                .isEqualTo(expected.entrySet().stream().map(entry -> List.<Object>of(entry.getKey(), entry.getValue())).collect(toImmutableList()));
    }

    @Test
    void testSmallSplitsReadEveryRowGroupOnce()
    {
        long idSum = CUSTOMERS.stream().mapToLong(Customer::customerId).sum();
        assertQuery("SELECT count(*), sum(customer_id) FROM mesh_small_splits.customer_service.customer_profile", "VALUES (%s, %s)".formatted(SampleMesh.CUSTOMER_COUNT, idSum));
        assertQuery("SELECT count(*) FROM mesh_small_splits.sales.orders", "VALUES " + SampleMesh.ORDER_COUNT);
    }

    @Test
    void testDeltaAssetWithVersions()
    {
        List<CustomerOrder> orders = SampleMesh.customerOrders();
        BigDecimal total = orders.stream().map(CustomerOrder::total).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertQuery("SELECT count(*), sum(total) FROM customer_orders", "VALUES (%s, %s)".formatted(orders.size(), total));
        long before2025 = orders.stream().filter(order -> order.orderYear() < 2025).count();
        assertQuery("SELECT count(*), max(order_year) FROM customer_orders FOR VERSION AS OF 0", "VALUES (%s, 2024)".formatted(before2025));
        assertQuery("SELECT count(*) FROM customer_orders FOR TIMESTAMP AS OF TIMESTAMP '2025-06-01 00:00:00 UTC'", "VALUES " + before2025);
        assertQuery("SELECT count(*) FROM customer_orders FOR TIMESTAMP AS OF TIMESTAMP '2026-06-01 00:00:00 UTC'", "VALUES " + orders.size());

        CustomerOrder first = orders.getFirst();
        MaterializedResult row = computeActual("SELECT order_id, customer_id, order_time, channel, basket_size, total, order_year FROM customer_orders WHERE order_id = " + first.orderId());
        assertThat(row.getMaterializedRows().getFirst().getFields()).containsExactly(
                first.orderId(), first.customerId(), first.orderTime().atZone(ZoneId.of("UTC")), first.channel(), first.basketSize(), first.total(), first.orderYear());

        assertQuery(
                "SHOW COLUMNS FROM customer_orders LIKE 'order_%'",
                "VALUES ('order_id', 'bigint', '', 'Web-shop order number'), " +
                        "('order_time', 'timestamp(6) with time zone', '', 'When the order was placed'), " +
                        "('order_year', 'integer', 'partition key', 'Year of order_time; the partition column')");
    }

    @Test
    void testDeltaFilesSkippedByStatisticsAndPartitions()
    {
        long orders2025 = SampleMesh.customerOrders().stream().filter(order -> order.orderYear() == 2025).count();
        // order_time is not the partition column: only the statistics of each file can rule it out
        MaterializedResultWithPlan result = getDistributedQueryRunner().executeWithPlan(getSession(),
                "SELECT count(*) FROM customer_orders WHERE order_time >= TIMESTAMP '2025-01-01 00:00:00 UTC'");
        assertThat(result.result().getOnlyValue()).isEqualTo(orders2025);
        assertThat(physicalInputPositions(result)).isEqualTo(orders2025);

        long orders2024 = SampleMesh.customerOrders().stream().filter(order -> order.orderYear() == 2024).count();
        MaterializedResultWithPlan pruned = getDistributedQueryRunner().executeWithPlan(getSession(), "SELECT count(*) FROM customer_orders WHERE order_year = 2024");
        assertThat(pruned.result().getOnlyValue()).isEqualTo(orders2024);
        assertThat(physicalInputPositions(pruned)).isEqualTo(orders2024);
    }

    @Test
    void testDeltaStatisticsFromTheLog()
    {
        MaterializedResult stats = computeActual("SHOW STATS FOR customer_orders");
        assertThat(statsRowCount("SHOW STATS FOR customer_orders")).isEqualTo((double) SampleMesh.CUSTOMER_ORDER_COUNT);
        MaterializedRow basketSize = stats.getMaterializedRows().stream().filter(row -> "basket_size".equals(row.getField(0))).findFirst().orElseThrow();
        // column_name, data_size, distinct_values_count, nulls_fraction, row_count, low_value, high_value
        assertThat(basketSize.getField(3)).isEqualTo(0.0);
        assertThat(basketSize.getField(5)).isEqualTo("1");
        assertThat(basketSize.getField(6)).isEqualTo("6");
        assertThat(statsRowCount("SHOW STATS FOR (SELECT * FROM customer_orders WHERE order_year = 2025)"))
                .isEqualTo((double) SampleMesh.customerOrders().stream().filter(order -> order.orderYear() == 2025).count());
    }

    @Test
    void testJoinAcrossParquetAndDelta()
    {
        Map<Long, String> segmentByCustomer = CUSTOMERS.stream().collect(java.util.stream.Collectors.toMap(Customer::customerId, Customer::segment));
        Map<String, Long> expected = SampleMesh.customerOrders().stream()
                .filter(order -> order.channel().equals("mobile") && order.orderYear() == 2025)
                .collect(groupingBy(order -> segmentByCustomer.get(order.customerId()), TreeMap::new, java.util.stream.Collectors.counting()));
        MaterializedResult result = computeActual("""
                SELECT p.segment, count(*)
                FROM customer_orders o
                JOIN customer_profile p ON o.customer_id = p.customer_id
                WHERE o.channel = 'mobile' AND o.order_year = 2025
                GROUP BY p.segment
                ORDER BY p.segment""");
        assertThat(result.getMaterializedRows().stream().map(MaterializedRow::getFields).collect(toImmutableList()))
                .isEqualTo(expected.entrySet().stream().map(entry -> List.<Object>of(entry.getKey(), entry.getValue())).collect(toImmutableList()));
    }

    @Test
    void testReadOnly()
    {
        assertQueryFails("INSERT INTO sales.orders (order_id) VALUES (1)", "This connector does not support inserts");
        assertQueryFails("SELECT * FROM sales.orders FOR VERSION AS OF 1", "Table sales.orders is a parquet asset, which has no versions to travel to");
    }

    private Object statsRowCount(String showStats)
    {
        // the summary row, the one without a column name, carries the row count
        return computeActual(showStats).getMaterializedRows().stream()
                .filter(row -> row.getField(0) == null)
                .findFirst()
                .orElseThrow()
                .getField(4);
    }

    private long physicalInputPositions(MaterializedResultWithPlan result)
    {
        return getDistributedQueryRunner().getCoordinator().getQueryManager()
                .getFullQueryInfo(result.queryId())
                .getQueryStats()
                .getPhysicalInputPositions();
    }

    @Test
    void testIcebergManifestsReadByTheMeshsPlanningThreads()
    {
        // the latest snapshot of shipments lists two manifests, which Iceberg reads in parallel on the executor it is given
        assertQuery("SELECT count(*) FROM logistics.shipments", "VALUES " + SampleMesh.shipments().size());
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                .anyMatch(name -> name.startsWith("mesh-iceberg-planning-"));
    }
}
