package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.trino.SampleMeshDirectory;
import dev.datamesh.trino.sample.SampleMesh;
import io.trino.Session;
import io.trino.execution.QueryStats;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import io.trino.testing.QueryRunner.MaterializedResultWithPlan;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes by which a user could learn what governance hides without reading it: what a scan reads
 * under a row filter, tables resolved before the access check, other users' queries, definer
 * rights of materialized views, queries that end before the audit saw them. Each test asserts the
 * channel itself (rows and bytes read, the error, the audit line), not only the result.
 */
public class TestGovernanceSideChannels
        extends AbstractTestQueryFramework
{
    // row filters on the Delta and Iceberg assets, beside the sample's region filter on the Parquet one
    private static final String TEST_POLICY = """
            row_filters:
              - name: analysts-see-web-orders
                scope: {products: [customer-data-product], assets: [customer_orders]}
                applies_to: {roles: [analyst]}
                filter: "channel = 'web'"
              - name: logistics-sees-delivered-shipments
                scope: {products: [shipment-data-product], assets: [shipments]}
                applies_to: {roles: [logistics]}
                filter: "status = 'delivered'"
            """;

    private GovernedMeshRunner mesh;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        mesh = GovernedMeshRunner.create(products, ImmutableMap.of("side-channels.yaml", TEST_POLICY), "5s");
        return mesh.queryRunner();
    }

    /**
     * carlos sees AMER customers only. Before, country = 'DE' (EMEA customers, all hidden) read
     * the row groups that hold them and country = 'XX' read nothing: an oracle for any value of
     * a hidden row. Under a row filter the scan now reads the same whatever the query asks.
     */
    @Test
    public void testScanUnderRowFilterReadsTheSameWhateverTheQueryAsks()
    {
        Session carlos = mesh.sessionOf("carlos");
        String table = "customer_service.customer_profile";
        ScanInput hiddenOnly = scan(carlos, "SELECT count(*) FROM %s WHERE country = 'DE'".formatted(table), 0);
        ScanInput nothing = scan(carlos, "SELECT count(*) FROM %s WHERE country = 'XX'".formatted(table), 0);
        assertThat(hiddenOnly).isEqualTo(nothing);
        // what a scan reads depends on the columns the query names, never on the hidden rows' values
        assertThat(scan(carlos, "SELECT count(*) FROM %s WHERE email < 'b' AND country IN ('DE', 'FR')".formatted(table), 0))
                .isEqualTo(scan(carlos, "SELECT count(*) FROM %s WHERE email < '' AND country = 'XX'".formatted(table), 0));
        assertThat(nothing.rows()).as("the whole table is read").isEqualTo(SampleMesh.CUSTOMER_COUNT);

        // a dynamic filter built from the query's own values prunes nothing either
        ScanInput joinHidden = scan(carlos, "SELECT count(*) FROM %s p JOIN (VALUES 'DE') v(c) ON p.country = v.c".formatted(table), 0);
        ScanInput joinNothing = scan(carlos, "SELECT count(*) FROM %s p JOIN (VALUES 'XX') v(c) ON p.country = v.c".formatted(table), 0);
        assertThat(joinHidden).isEqualTo(joinNothing).isEqualTo(nothing);

        // the same table without a row filter keeps every pruning route
        Session olivia = mesh.sessionOf("olivia");
        long germans = SampleMesh.customers().stream().filter(customer -> customer.country().equals("DE")).count();
        assertThat(germans).isPositive();
        ScanInput unfilteredHit = scan(olivia, "SELECT count(*) FROM %s WHERE country = 'DE'".formatted(table), germans);
        ScanInput unfilteredMiss = scan(olivia, "SELECT count(*) FROM %s WHERE country = 'XX'".formatted(table), 0);
        assertThat(unfilteredMiss.rows()).isZero();
        assertThat(unfilteredHit.rows()).isPositive();
        ScanInput unfilteredJoinMiss = scan(olivia, "SELECT count(*) FROM %s p JOIN (VALUES 'XX') v(c) ON p.country = v.c".formatted(table), 0);
        assertThat(unfilteredJoinMiss.rows()).isZero();
    }

    /**
     * alice reads web orders only: partition values (order_year) and Delta file statistics must
     * not tell her whether a year or a value exists among the mobile orders.
     */
    @Test
    public void testDeltaPartitionsAndFileStatisticsUnderRowFilter()
    {
        Session alice = mesh.sessionOf("alice");
        String table = "customer_service.customer_orders";
        // (a predicate that contradicts the filter itself, channel = 'mobile', is empty before any read)
        long mobileOrder = SampleMesh.customerOrders().stream()
                .filter(order -> order.channel().equals("mobile") && order.orderTime().getYear() == 2023)
                .findFirst()
                .orElseThrow()
                .orderId();
        ScanInput hiddenOnly = scan(alice, "SELECT count(*) FROM %s WHERE order_year = 2023 AND order_id = %s".formatted(table, mobileOrder), 0);
        ScanInput nothing = scan(alice, "SELECT count(*) FROM %s WHERE order_year = 1999 AND order_id = 1".formatted(table), 0);
        assertThat(hiddenOnly).isEqualTo(nothing);
        assertThat(nothing.rows()).isEqualTo(SampleMesh.CUSTOMER_ORDER_COUNT);

        Session olivia = mesh.sessionOf("olivia");
        assertThat(scan(olivia, "SELECT count(*) FROM %s WHERE order_year = 1999".formatted(table), 0).rows()).isZero();
    }

    /**
     * luis reads delivered shipments only: Iceberg's manifests (month partitions, column bounds)
     * must not tell him about shipments still in transit (no delivery time).
     */
    @Test
    public void testIcebergManifestsUnderRowFilter()
    {
        Session luis = mesh.sessionOf("luis");
        String table = "logistics.shipments";
        assertThat(SampleMesh.shipments().stream()
                .filter(shipment -> shipment.deliveredAt().isEmpty() && shipment.shippedAt().isBefore(OffsetDateTime.of(2023, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC))))
                .as("hidden shipments the predicate matches")
                .isNotEmpty();
        ScanInput hiddenOnly = scan(luis, "SELECT count(*) FROM %s WHERE delivered_at IS NULL AND shipped_at < TIMESTAMP '2023-03-01 00:00:00 UTC'".formatted(table), 0);
        ScanInput nothing = scan(luis, "SELECT count(*) FROM %s WHERE shipped_at < TIMESTAMP '1990-01-01 00:00:00 UTC'".formatted(table), 0);
        assertThat(hiddenOnly).isEqualTo(nothing);
        assertThat(nothing.rows()).isEqualTo(SampleMesh.CUSTOMER_ORDER_COUNT);

        Session alice = mesh.sessionOf("alice");
        assertThat(scan(alice, "SELECT count(*) FROM %s WHERE shipped_at < TIMESTAMP '1990-01-01 00:00:00 UTC'".formatted(table), 0).rows()).isZero();
    }

    private ScanInput scan(Session session, String sql, long expectedCount)
    {
        MaterializedResultWithPlan result = getDistributedQueryRunner().executeWithPlan(session, sql);
        assertThat(result.result().getOnlyValue()).as(sql).isEqualTo(expectedCount);
        QueryStats stats = getDistributedQueryRunner().getCoordinator().getQueryManager()
                .getFullQueryInfo(result.queryId())
                .getQueryStats();
        return new ScanInput(stats.getPhysicalInputPositions(), stats.getPhysicalInputDataSize().toBytes());
    }

    private record ScanInput(long rows, long bytes) {}
}
