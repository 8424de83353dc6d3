package dev.datamesh.trino;

import dev.datamesh.sample.SampleMesh;
import io.trino.Session;
import io.trino.operator.OperatorStats;
import io.trino.spi.QueryId;
import io.trino.spi.connector.SchemaTableName;
import io.trino.sql.planner.optimizations.PlanNodeSearcher;
import io.trino.sql.planner.plan.FilterNode;
import io.trino.sql.planner.plan.PlanNode;
import io.trino.sql.planner.plan.PlanNodeId;
import io.trino.sql.planner.plan.ProjectNode;
import io.trino.sql.planner.plan.TableScanNode;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import io.trino.testing.QueryRunner.MaterializedResultWithPlan;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.LongStream;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A join's dynamic filters prune the files of the table it probes while its splits are planned:
 * Parquet and Delta files by partition values, Iceberg files by their manifests' column bounds. Each case counts the splits the probe side reads, with and
 * without dynamic filtering, and checks the join's result.
 */
final class TestDynamicFiltering
        extends AbstractTestQueryFramework
{
    private static final int EVENT_FILES = 4;
    private static final int EVENTS_PER_FILE = 1_000;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path products = SampleMeshDirectory.create();
        Path lake = products.resolveSibling("data/lake");
        return MeshQueryRunner.builder(products)
                .setSchema("lake")
                .setWorkerCount(0)
                // a second at most, as in the default: the build side here is ready in far less
                .addCatalogProperty("mesh.dynamic-filtering.wait-timeout", "10s")
                .setUp(queryRunner -> {
                    TrinoWrittenIceberg.createCatalog(queryRunner, lake);
                    queryRunner.execute("CREATE TABLE iceberg.lake.events (id bigint, payload varchar)");
                    // one file per insert, with ids that do not overlap
                    for (int file = 0; file < EVENT_FILES; file++) {
                        queryRunner.execute("INSERT INTO iceberg.lake.events SELECT x, 'event ' || CAST(x AS varchar) FROM UNNEST(sequence(%s, %s)) t(x)"
                                .formatted(file * EVENTS_PER_FILE + 1, (file + 1) * EVENTS_PER_FILE));
                    }
                    queryRunner.execute("CREATE TABLE iceberg.lake.picks AS SELECT BIGINT '1500' AS id, 2024 AS year");
                    TrinoWrittenIceberg.publish(products, lake, "events", "picks");
                })
                .build();
    }

    @Test
    void testParquetPartitionsPrunedByJoin()
    {
        long orders2024 = SampleMesh.orders().stream().filter(order -> order.orderYear() == 2024).count();
        String join = "SELECT count(*) FROM sales.orders o JOIN picks p ON o.order_year = p.year";
        assertThat(probeSplits(join, "sales", "orders", true)).isEqualTo(new ProbeSplits(1, orders2024));
        // the sample keeps a year per folder, one file each
        assertThat(probeSplits(join, "sales", "orders", false).splits()).isEqualTo(3);
    }

    @Test
    void testDeltaFilesPrunedByPartition()
    {
        assertThat(probeSplits("SELECT count(*) FROM customer_service.customer_orders c JOIN picks p ON c.order_year = p.year", "customer_service", "customer_orders", true))
                .isEqualTo(new ProbeSplits(1, SampleMesh.customerOrders().stream().filter(order -> order.orderYear() == 2024).count()));
    }

    @Test
    void testIcebergFilesPrunedByColumnBounds()
    {
        String join = "SELECT count(*) FROM events e JOIN picks p ON e.id = p.id";
        assertThat(probeSplits(join, "lake", "events", true)).isEqualTo(new ProbeSplits(1, 1));
        assertThat(probeSplits(join, "lake", "events", false)).isEqualTo(new ProbeSplits(EVENT_FILES, 1));
    }

    @Test
    void testThousandsOfValuesPruneIcebergFiles()
    {
        // as a join's dynamic filter can: one Iceberg expression per value would be too deep to walk
        String ids = LongStream.rangeClosed(1, 20_000).mapToObj(id -> String.valueOf(id * 7)).collect(joining(", "));
        assertQuery("SELECT count(*) FROM events WHERE id IN (%s)".formatted(ids), "VALUES %s".formatted(EVENT_FILES * EVENTS_PER_FILE / 7));
    }

    private record ProbeSplits(long splits, long result) {}

    private ProbeSplits probeSplits(String query, String schema, String table, boolean dynamicFiltering)
    {
        Session session = Session.builder(getSession())
                .setSystemProperty("enable_dynamic_filtering", String.valueOf(dynamicFiltering))
                // the small side is built first, so the filter exists while the probe side is planned
                .setSystemProperty("join_distribution_type", "BROADCAST")
                .setSystemProperty("join_reordering_strategy", "NONE")
                .build();
        MaterializedResultWithPlan result = getDistributedQueryRunner().executeWithPlan(session, query);
        QueryId queryId = result.queryId();
        long rows = (long) result.result().getOnlyValue();
        // the scan's operator is known by the plan node of the filter and projection it runs with
        Set<PlanNodeId> scan = PlanNodeSearcher.searchFrom(result.queryPlan().orElseThrow().getRoot())
                .where(node -> scans(node, new SchemaTableName(schema, table)))
                .findAll().stream()
                .map(PlanNode::getId)
                .collect(toImmutableSet());
        // one driver per split
        long splits = getDistributedQueryRunner().getCoordinator().getQueryManager().getFullQueryInfo(queryId).getQueryStats().getOperatorSummaries().stream()
                .filter(operator -> scan.contains(operator.getPlanNodeId()))
                .mapToLong(OperatorStats::getTotalDrivers)
                .max()
                .orElse(0);
        return new ProbeSplits(splits, rows);
    }

    private static boolean scans(PlanNode node, SchemaTableName table)
    {
        return switch (node) {
            case TableScanNode scan -> scan.getTable().connectorHandle() instanceof MeshTableHandle handle && handle.schemaTableName().equals(table);
            case FilterNode filter -> scans(filter.getSource(), table);
            case ProjectNode project -> scans(project.getSource(), table);
            default -> false;
        };
    }
}
