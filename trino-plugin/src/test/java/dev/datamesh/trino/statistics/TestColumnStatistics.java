package dev.datamesh.trino.statistics;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.registry.testing.TestFiles;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.trino.MeshQueryRunner;
import dev.datamesh.trino.SampleMeshDirectory;
import dev.datamesh.trino.TrinoWrittenIceberg;
import dev.datamesh.trino.delta.TrinoExtendedStatisticsFile;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.delta;
import static dev.datamesh.registry.testing.DataProductYaml.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The column statistics the optimizer gets for each format, from the data's own metadata: Parquet
 * footers, the Delta log and the extended statistics Trino's Delta Lake connector writes beside
 * it, Iceberg manifests and the Puffin files Trino's Iceberg connector writes.
 */
final class TestColumnStatistics
        extends AbstractTestQueryFramework
{
    private static final int EVENTS = 5_000;
    private static final Path GOLDEN_COLUMN_MAPPING = SampleMeshDirectory.repositoryRoot().resolveSibling("shared/testdata/delta-golden/table-with-columnmapping-mode-name");
    private static final String CHANNEL_SKETCH = TrinoExtendedStatisticsFile.sketch(List.of("web", "mobile"));
    private static final long CHANNEL_BYTES = 12_345;
    // 10,000 values, more than any of the tables has rows
    private static final String OVERFULL_SKETCH = TrinoExtendedStatisticsFile.sketch(LongStream.rangeClosed(1, 10_000).boxed().toList());

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        Path lake = products.resolveSibling("data/lake");
        return MeshQueryRunner.builder(products)
                .setSchema("sales")
                .setWorkerCount(0)
                .setUp(queryRunner -> {
                    // Trino's Iceberg connector keeps each column's distinct values in a Puffin file
                    TrinoWrittenIceberg.createCatalog(queryRunner, lake);
                    queryRunner.execute("""
                            CREATE TABLE iceberg.lake.events AS
                            SELECT x AS id, x %% 7 AS bucket, IF(x %% 10 = 0, NULL, CAST(x AS double) / 4) AS score, 'name-' || CAST(x %% 100 AS varchar) AS name
                            FROM UNNEST(sequence(1, %s)) t(x)""".formatted(EVENTS));
                    TrinoWrittenIceberg.publish(products, lake, "events");
                    publishDeltaWithExtendedStatistics(products, lake.resolve("delta"));
                })
                .build();
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
    void testDeltaDistinctValuesFromTrinosExtendedStatistics()
    {
        List<SampleMesh.CustomerOrder> orders = SampleMesh.customerOrders();
        Map<String, MaterializedRow> statistics = columnStatistics("SHOW STATS FOR delta_lake.orders_sketched");
        assertThat(rowCount(statistics)).isEqualTo(orders.size());
        // the sketch's estimate, and the size ANALYZE recorded for a string column
        assertThat(statistics.get("channel").getField(2)).isEqualTo((double) TrinoExtendedStatisticsFile.cardinality(CHANNEL_SKETCH)).isEqualTo(2.0);
        assertThat(statistics.get("channel").getField(1)).isEqualTo((double) CHANNEL_BYTES);
        assertThat(statistics.get("customer_id").getField(2)).isEqualTo((double) TrinoExtendedStatisticsFile.cardinality(customerSketch()));
        assertThat((Double) statistics.get("customer_id").getField(2)).isCloseTo(orders.stream().map(SampleMesh.CustomerOrder::customerId).distinct().count(), within(orders.size() * 0.02));
        // a sketch of more values than the column has rows (stale, or of another table): never more than its non-null rows
        assertThat(TrinoExtendedStatisticsFile.cardinality(OVERFULL_SKETCH)).isGreaterThan(orders.size());
        assertThat(statistics.get("order_id").getField(2)).isEqualTo((double) orders.size());
        // the log's figures stay: nulls and range
        assertThat(statistics.get("order_id").getField(3)).isEqualTo(0.0);
        assertThat(statistics.get("order_id").getField(5)).isEqualTo(String.valueOf(orders.stream().mapToLong(SampleMesh.CustomerOrder::orderId).min().orElseThrow()));
        // the partition key counts its partitions, whatever sketch the file has of it
        assertThat(statistics.get("order_year").getField(2)).isEqualTo((double) orderYears());
        // a column the file has no sketch of
        assertThat(statistics.get("basket_size").getField(2)).isNull();

        // a partition read: as many distinct values as it has rows at most, its share of the bytes
        long rows2025 = orders.stream().filter(order -> order.orderYear() == 2025).count();
        Map<String, MaterializedRow> partition = columnStatistics("SHOW STATS FOR (SELECT * FROM delta_lake.orders_sketched WHERE order_year = 2025)");
        assertThat(rowCount(partition)).isEqualTo(rows2025);
        assertThat(partition.get("order_id").getField(2)).isEqualTo((double) rows2025);
        assertThat(partition.get("channel").getField(2)).isEqualTo(2.0);
        assertThat((Double) partition.get("channel").getField(1)).isCloseTo((double) CHANNEL_BYTES * rows2025 / orders.size(), within(0.001));
    }

    @Test
    void testDeltaWithABrokenExtendedStatisticsFileHasNoDistinctValues()
    {
        Map<String, MaterializedRow> statistics = columnStatistics("SHOW STATS FOR delta_lake.orders_broken");
        assertThat(rowCount(statistics)).isEqualTo(SampleMesh.customerOrders().size());
        assertThat(statistics.get("channel").getField(2)).isNull();
        assertThat(statistics.get("order_year").getField(2)).isEqualTo((double) orderYears());
        assertThat(computeScalar("SELECT count(DISTINCT channel) FROM delta_lake.orders_broken")).isEqualTo(2L);
        // nor has a table without the file
        assertThat(columnStatistics("SHOW STATS FOR customer_service.customer_orders").get("channel").getField(2)).isNull();
    }

    @Test
    void testDeltaExtendedStatisticsUnderColumnMappingByPhysicalName()
    {
        assumeTrue(Files.isDirectory(GOLDEN_COLUMN_MAPPING), "the Delta golden tables are not here");
        Map<String, MaterializedRow> statistics = columnStatistics("SHOW STATS FOR delta_lake.column_mapping");
        assertThat(rowCount(statistics)).isEqualTo(6.0);
        assertThat(statistics.get("stringtype").getField(2)).isEqualTo(3.0);
        // Trino keys columns by physical name: a logical name is no key
        assertThat(statistics.get("integertype").getField(2)).isNull();
        // the log's statistics of a mixed-case column (IntegerType), under its physical name
        assertThat(statistics.get("integertype").getField(3)).isEqualTo(1.0 / 6);
        assertThat(statistics.get("integertype").getField(5)).isNotNull();
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

    /**
     * Copies of the sample's Delta orders, one with the extended statistics file Trino's ANALYZE
     * would leave and one with a broken file, and the golden table with column mapping by name,
     * published as domain "delta-lake".
     */
    private static void publishDeltaWithExtendedStatistics(Path products, Path folder)
            throws IOException
    {
        Path orders = products.resolveSibling("data/customer-service/customer_orders");
        Path sketched = folder.resolve("orders_sketched");
        TestFiles.copyTree(orders, sketched);
        TrinoExtendedStatisticsFile.write(sketched, TrinoExtendedStatisticsFile.json(
                Instant.now(),
                ImmutableMap.of(
                        "order_id", TrinoExtendedStatisticsFile.Column.of(OVERFULL_SKETCH),
                        "customer_id", TrinoExtendedStatisticsFile.Column.of(customerSketch()),
                        "channel", TrinoExtendedStatisticsFile.Column.of(CHANNEL_BYTES, CHANNEL_SKETCH),
                        "order_year", TrinoExtendedStatisticsFile.Column.of(OVERFULL_SKETCH)),
                Optional.empty()));
        Path broken = folder.resolve("orders_broken");
        TestFiles.copyTree(orders, broken);
        TrinoExtendedStatisticsFile.write(broken, "{\"modelVersion\":4,\"columnStatistics\":{\"channel\":{\"ndvSummary\":\"AAAA\"}}}");

        DataProductYaml descriptor = dataProduct("delta-lake-product", "delta-lake", "lake-team")
                .asset(delta("orders_sketched", quoted(sketched)), delta("orders_broken", quoted(broken)));
        if (Files.isDirectory(GOLDEN_COLUMN_MAPPING)) {
            Path mapped = folder.resolve("column_mapping");
            TestFiles.copyTree(GOLDEN_COLUMN_MAPPING, mapped);
            TrinoExtendedStatisticsFile.write(mapped, TrinoExtendedStatisticsFile.json(
                    Instant.now(),
                    ImmutableMap.of(
                            // the physical name of column StringType
                            "col-7f007ffd-c4e2-4d7e-84c2-af985d4e3feb", TrinoExtendedStatisticsFile.Column.of(TrinoExtendedStatisticsFile.sketch(List.of("0", "1", "2"))),
                            "IntegerType", TrinoExtendedStatisticsFile.Column.of(TrinoExtendedStatisticsFile.sketch(List.of(1L, 2L)))),
                    Optional.of(List.of("stringtype", "integertype"))));
            descriptor.asset(delta("column_mapping", quoted(mapped)));
        }
        descriptor.writeTo(products.resolve("delta-lake/delta-lake-product.yaml"));
    }

    private static String customerSketch()
    {
        return TrinoExtendedStatisticsFile.sketch(SampleMesh.customerOrders().stream().map(SampleMesh.CustomerOrder::customerId).toList());
    }

    private static long orderYears()
    {
        return SampleMesh.customerOrders().stream().mapToInt(SampleMesh.CustomerOrder::orderYear).distinct().count();
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
