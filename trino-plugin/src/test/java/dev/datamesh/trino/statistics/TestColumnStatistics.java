package dev.datamesh.trino.statistics;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.trino.MeshConnectorFactory;
import dev.datamesh.trino.MeshPlugin;
import dev.datamesh.trino.SampleMeshDirectory;
import dev.datamesh.trino.TrinoWrittenIceberg;
import dev.datamesh.trino.sample.SampleMesh;
import io.airlift.log.Level;
import io.airlift.log.Logging;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static io.trino.testing.TestingSession.testSessionBuilder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The column statistics the optimizer gets for each format, from the data's own metadata: Parquet
 * footers, the Delta log, Iceberg manifests and the Puffin files Trino's Iceberg connector writes.
 */
final class TestColumnStatistics
        extends AbstractTestQueryFramework
{
    private static final int EVENTS = 5_000;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Logging.initialize().setLevel("org.apache.iceberg", Level.WARN);
        Path products = SampleMeshDirectory.create();
        Path lake = products.resolveSibling("data/lake");
        QueryRunner queryRunner = DistributedQueryRunner.builder(testSessionBuilder().setCatalog("mesh").setSchema("sales").build())
                .setWorkerCount(0)
                .build();
        try {
            // Trino's Iceberg connector keeps each column's distinct values in a Puffin file
            TrinoWrittenIceberg.createCatalog(queryRunner, lake);
            queryRunner.execute("""
                    CREATE TABLE iceberg.lake.events AS
                    SELECT x AS id, x %% 7 AS bucket, IF(x %% 10 = 0, NULL, CAST(x AS double) / 4) AS score, 'name-' || CAST(x %% 100 AS varchar) AS name
                    FROM UNNEST(sequence(1, %s)) t(x)""".formatted(EVENTS));
            TrinoWrittenIceberg.publish(products, lake, "events");
            queryRunner.installPlugin(new MeshPlugin());
            queryRunner.createCatalog("mesh", MeshConnectorFactory.CONNECTOR_NAME, ImmutableMap.of("mesh.descriptors.directory", products.toString()));
            return queryRunner;
        }
        catch (Throwable e) {
            queryRunner.close();
            throw e;
        }
    }

    @Test
    void testParquetStatisticsFromFooters()
    {
        List<SampleMesh.Order> orders = SampleMesh.orders();
        Map<String, MaterializedRow> statistics = columnStatistics("SHOW STATS FOR sales.orders");
        assertThat(rowCount(statistics)).isEqualTo(orders.size());
        assertThat(statistics.get("order_id").getFields()).containsExactly("order_id", null, null, 0.0, null,
                String.valueOf(orders.stream().mapToLong(SampleMesh.Order::orderId).min().orElseThrow()),
                String.valueOf(orders.stream().mapToLong(SampleMesh.Order::orderId).max().orElseThrow()));
        assertThat(statistics.get("order_date").getFields()).containsExactly("order_date", null, null, 0.0, null,
                orders.stream().map(SampleMesh.Order::orderDate).min(Comparable::compareTo).orElseThrow().toString(),
                orders.stream().map(SampleMesh.Order::orderDate).max(Comparable::compareTo).orElseThrow().toString());
        assertThat(statistics.get("amount").getField(3)).isEqualTo(0.0);
        assertThat(new BigDecimal((String) statistics.get("amount").getField(5))).isEqualByComparingTo(orders.stream().map(SampleMesh.Order::amount).min(Comparable::compareTo).orElseThrow());
        assertThat(new BigDecimal((String) statistics.get("amount").getField(6))).isEqualByComparingTo(orders.stream().map(SampleMesh.Order::amount).max(Comparable::compareTo).orElseThrow());
        // the bytes of the values, from the footers; strings get no range
        assertThat((Double) statistics.get("status").getField(1)).isPositive();
        assertThat(statistics.get("status").getField(5)).isNull();
        // the partition key's values are the folders'
        assertThat(statistics.get("order_year").getFields()).containsExactly("order_year", null,
                (double) orders.stream().mapToInt(SampleMesh.Order::orderYear).distinct().count(), 0.0, null,
                String.valueOf(orders.stream().mapToInt(SampleMesh.Order::orderYear).min().orElseThrow()),
                String.valueOf(orders.stream().mapToInt(SampleMesh.Order::orderYear).max().orElseThrow()));
    }

    @Test
    void testParquetStatisticsFollowPartitionPruning()
    {
        Map<String, MaterializedRow> statistics = columnStatistics("SHOW STATS FOR (SELECT * FROM sales.orders WHERE order_year = 2024)");
        assertThat(statistics.get("order_year").getFields()).containsExactly("order_year", null, 1.0, 0.0, null, "2024", "2024");
        assertThat(statistics.get("order_date").getField(5)).isEqualTo("2024-01-01");
    }

    @Test
    void testDeltaPartitionKeyStatistics()
    {
        List<SampleMesh.CustomerOrder> orders = SampleMesh.customerOrders();
        Map<String, MaterializedRow> statistics = columnStatistics("SHOW STATS FOR customer_service.customer_orders");
        assertThat(statistics.get("order_year").getFields()).containsExactly("order_year", null,
                (double) orders.stream().mapToInt(SampleMesh.CustomerOrder::orderYear).distinct().count(), 0.0, null,
                String.valueOf(orders.stream().mapToInt(SampleMesh.CustomerOrder::orderYear).min().orElseThrow()),
                String.valueOf(orders.stream().mapToInt(SampleMesh.CustomerOrder::orderYear).max().orElseThrow()));
    }

    @Test
    void testIcebergStatisticsAsTrinosIcebergConnectorGivesThem()
    {
        Map<String, MaterializedRow> mesh = columnStatistics("SHOW STATS FOR lake.events");
        Map<String, MaterializedRow> native_ = columnStatistics("SHOW STATS FOR iceberg.lake.events");
        assertThat(rowCount(mesh)).isEqualTo(EVENTS);
        for (String column : List.of("id", "bucket", "score", "name")) {
            MaterializedRow meshRow = mesh.get(column);
            MaterializedRow nativeRow = native_.get(column);
            // data size, distinct values, nulls fraction, low and high
            for (int field : new int[] {1, 2, 3, 5, 6}) {
                assertThat(meshRow.getField(field)).as("%s of %s", nativeRow, column).isEqualTo(nativeRow.getField(field));
            }
        }
        // the counts are the sketches' estimates of the real counts
        assertThat((Double) mesh.get("id").getField(2)).isCloseTo(EVENTS, within(EVENTS * 0.05));
        assertThat(mesh.get("bucket").getField(2)).isEqualTo(7.0);
        assertThat(mesh.get("name").getField(2)).isEqualTo(100.0);
        assertThat(mesh.get("score").getField(3)).isEqualTo(0.1);
        assertThat((Double) mesh.get("name").getField(1)).isPositive();
    }

    @Test
    void testJoinOfIcebergTablesIsPlannedWithEstimates()
    {
        String join = "SELECT count(*) FROM %1$s a JOIN %1$s b ON a.id = b.bucket WHERE a.score > 100";
        String meshPlan = (String) computeScalar("EXPLAIN " + join.formatted("lake.events"));
        assertThat(meshPlan).contains("InnerJoin").doesNotContain("rows: ?");
        // the same estimate at the join as on Trino's own connector
        assertThat(joinEstimate(meshPlan)).isEqualTo(joinEstimate((String) computeScalar("EXPLAIN " + join.formatted("iceberg.lake.events"))));
    }

    private static String joinEstimate(String plan)
    {
        List<String> lines = Arrays.asList(plan.split("\n"));
        int join = lines.stream().filter(line -> line.contains("InnerJoin")).findFirst().map(lines::indexOf).orElseThrow();
        return lines.subList(join, lines.size()).stream().filter(line -> line.contains("Estimates:")).findFirst().orElseThrow().trim();
    }

    private Map<String, MaterializedRow> columnStatistics(String showStats)
    {
        MaterializedResult result = computeActual(showStats);
        return result.getMaterializedRows().stream()
                .collect(toImmutableMap(row -> row.getField(0) == null ? "" : (String) row.getField(0), row -> row));
    }

    private static double rowCount(Map<String, MaterializedRow> statistics)
    {
        return (double) statistics.get("").getField(4);
    }
}
