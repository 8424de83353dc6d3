package dev.datamesh.trino.benchmark;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.registry.testing.DataProductYaml;
import dev.datamesh.sample.ParquetFileWriter;
import dev.datamesh.trino.MeshConnectorFactory;
import dev.datamesh.trino.MeshPlugin;
import io.airlift.log.Level;
import io.airlift.log.Logging;
import io.airlift.units.DataSize;
import io.trino.Session;
import io.trino.plugin.tpch.TpchPlugin;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.MaterializedResult;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Set;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static dev.datamesh.registry.testing.DataProductYaml.dataProduct;
import static dev.datamesh.registry.testing.DataProductYaml.parquet;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static io.airlift.slice.Slices.utf8Slice;
import static io.airlift.units.DataSize.Unit.MEGABYTE;
import static io.trino.testing.TestingSession.testSessionBuilder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The join shapes read from real distributed plans: TPC-H tiny tables through Trino's tpch
 * connector and through the mesh on Parquet copies of them.
 */
@TestInstance(PER_CLASS)
final class TestJoinShape
{
    private static final Set<String> TABLES = ImmutableSet.of("customer", "orders", "nation", "region", "part", "partsupp");
    // the tables of ASIAN_ORDERS, copied to Parquet
    private static final Set<String> COPIED_TABLES = ImmutableSet.of("customer", "orders", "nation", "region");
    private static final String ASIAN_ORDERS = """
            SELECT c_name, o_totalprice
            FROM customer
            JOIN orders ON c_custkey = o_custkey
            JOIN nation ON c_nationkey = n_nationkey
            JOIN region ON n_regionkey = r_regionkey
            WHERE r_name = 'ASIA'""";

    private Path root;
    private QueryRunner queryRunner;

    @BeforeAll
    void setUp()
            throws Exception
    {
        Logging.initialize().setLevel("io.trino", Level.WARN);
        root = temporaryDirectory("join-shape");
        queryRunner = DistributedQueryRunner.builder(testSessionBuilder().build()).setWorkerCount(0).build();
        queryRunner.installPlugin(new TpchPlugin());
        queryRunner.createCatalog("tpch", "tpch", ImmutableMap.of("tpch.column-naming", "STANDARD"));
        // Parquet copies of the tables, written directly: a Hive catalog writing them costs seconds
        DataProductYaml descriptor = dataProduct("tpch-tiny", "tpch", "benchmark");
        for (String table : COPIED_TABLES) {
            MaterializedResult rows = queryRunner.execute("SELECT * FROM tpch.tiny." + table);
            ParquetFileWriter.write(root.resolve(table).resolve("data.parquet"), rows.getColumnNames(), rows.getTypes(), rows.getMaterializedRows().stream()
                    .map(row -> row.getFields().stream().map(TestJoinShape::nativeValue).toList())
                    .collect(toImmutableList()), DataSize.of(16, MEGABYTE));
            descriptor.asset(parquet(table, root.resolve(table).toString()));
        }
        Path products = descriptor.writeTo(root.resolve("products/tpch.yaml")).getParent();
        queryRunner.installPlugin(new MeshPlugin());
        queryRunner.createCatalog("mesh", MeshConnectorFactory.CONNECTOR_NAME, ImmutableMap.of("mesh.descriptors.directory", products.toString()));
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        queryRunner.close();
        deleteRecursively(root, ALLOW_INSECURE);
    }

    @Test
    void testProbeBuildAndDistributionOfEachJoin()
    {
        // the cost-based order on one node: the big orders table probes, customers and the
        // filtered nations are built, every join partitioned
        JoinShape chosen = shape("tpch", "tiny", ASIAN_ORDERS, ImmutableMap.of());
        assertThat(chosen.toString()).isEqualTo("Inner[PARTITIONED](orders, Inner[PARTITIONED](customer, Inner[PARTITIONED](nation, region)))");
        assertThat(chosen).isEqualTo(new JoinShape.Join("Inner", "PARTITIONED",
                new JoinShape.Scan("orders"),
                new JoinShape.Join("Inner", "PARTITIONED",
                        new JoinShape.Scan("customer"),
                        new JoinShape.Join("Inner", "PARTITIONED", new JoinShape.Scan("nation"), new JoinShape.Scan("region")))));
    }

    @Test
    void testOrderAndDistributionChangesAreSeen()
    {
        JoinShape chosen = shape("tpch", "tiny", ASIAN_ORDERS, ImmutableMap.of());
        JoinShape broadcast = shape("tpch", "tiny", ASIAN_ORDERS, ImmutableMap.of("join_distribution_type", "BROADCAST"));
        JoinShape syntactic = shape("tpch", "tiny", ASIAN_ORDERS, ImmutableMap.of("join_reordering_strategy", "NONE"));
        assertThat(broadcast.toString()).isEqualTo("Inner[REPLICATED](orders, Inner[REPLICATED](customer, Inner[REPLICATED](nation, region)))");
        assertThat(syntactic.toString()).isEqualTo("Inner[PARTITIONED](Inner[PARTITIONED](Inner[PARTITIONED](customer, orders), nation), region)");
        assertThat(broadcast).isNotEqualTo(chosen);
        assertThat(syntactic).isNotEqualTo(chosen);
    }

    @Test
    void testSameJoinsOnDifferentCatalogsCompareEqual()
    {
        // the order and distribution forced, so that only the catalogs' way of naming tables differs
        ImmutableMap<String, String> forced = ImmutableMap.of("join_reordering_strategy", "NONE", "join_distribution_type", "BROADCAST");
        JoinShape tpch = shape("tpch", "tiny", ASIAN_ORDERS, forced);
        assertThat(tpch.toString()).isEqualTo("Inner[REPLICATED](Inner[REPLICATED](Inner[REPLICATED](customer, orders), nation), region)");
        assertThat(shape("mesh", "tpch", ASIAN_ORDERS, forced)).isEqualTo(tpch);
        // while the plans name the tables each in their own way
        assertThat(explain("tpch", "tiny", ASIAN_ORDERS, forced)).contains("\"tpch:tiny:region\"");
        assertThat(explain("mesh", "tpch", ASIAN_ORDERS, forced)).contains("\"mesh:tpch.region constraint on [r_name]\"");
    }

    @Test
    void testSemiCrossUnionAndUnknownTables()
    {
        JoinShape shape = shape("tpch", "tiny", """
                SELECT p_name FROM part
                WHERE p_partkey NOT IN (SELECT ps_partkey FROM partsupp WHERE ps_availqty < 100)
                  AND p_size > (SELECT avg(p_size) FROM part)
                UNION ALL
                SELECT n_name FROM nation""", ImmutableMap.of());
        assertThat(shape.toString()).isEqualTo("Union(Cross[REPLICATED](Semi[PARTITIONED](part, partsupp), part), nation)");
        // a table the shape was not told of keeps the plan's name for it
        assertThat(JoinShape.fromDistributedPlan(explain("tpch", "tiny", "SELECT count(*) FROM nation JOIN region ON n_regionkey = r_regionkey", ImmutableMap.of()), ImmutableSet.of("nation")).toString())
                .isEqualTo("Inner[PARTITIONED](nation, tpch:tiny:region)");
    }

    @Test
    void testFragmentsAndTableNamesOfEachConnector()
    {
        // how Hive, Iceberg and the mesh name tables, and an exchange fed by two fragments
        String plan = """
                {"0": {"name": "Output", "descriptor": {}, "details": [], "children": [
                  {"name": "InnerJoin", "descriptor": {"criteria": "(l_partkey = p_partkey)", "distribution": "REPLICATED"},
                   "details": ["Distribution: REPLICATED", "dynamicFilterAssignments = {p_partkey -> #df_1}"], "children": [
                    {"name": "RemoteSource", "descriptor": {"sourceFragmentIds": "[1]"}, "children": []},
                    {"name": "LocalExchange", "descriptor": {}, "children": [
                      {"name": "RemoteSource", "descriptor": {"sourceFragmentIds": "[2, 3]"}, "children": []}]}]}]},
                 "1": {"name": "ScanFilterProject", "descriptor": {"table": "hive:tpch:lineitem", "filterPredicate": "(l_comment = 'part')"}, "children": []},
                 "2": {"name": "TableScan", "descriptor": {"table": "iceberg:tpch.part$data@5284 constraint on [p_type]"}, "children": []},
                 "3": {"name": "ScanFilter", "descriptor": {"table": "mesh:tpch_delta.partsupp constraint on [ps_comment] partitions [customer]"}, "children": []}}
                """;
        assertThat(JoinShape.fromDistributedPlan(plan, ImmutableSet.of("lineitem", "part", "partsupp", "customer")).toString())
                .isEqualTo("Inner[REPLICATED](lineitem, Union(part, partsupp))");
        assertThatThrownBy(() -> JoinShape.fromDistributedPlan(plan.replace("[2, 3]", "[2, 4]"), TABLES))
                .hasMessage("plan has no fragment 4");
    }

    private static Object nativeValue(Object value)
    {
        return switch (value) {
            case String text -> utf8Slice(text);
            case Integer number -> (long) number;
            case LocalDate date -> date.toEpochDay();
            default -> value;
        };
    }

    private JoinShape shape(String catalog, String schema, String query, ImmutableMap<String, String> properties)
    {
        return JoinShape.fromDistributedPlan(explain(catalog, schema, query, properties), TABLES);
    }

    private String explain(String catalog, String schema, String query, ImmutableMap<String, String> properties)
    {
        Session.SessionBuilder session = Session.builder(queryRunner.getDefaultSession()).setCatalog(catalog).setSchema(schema);
        properties.forEach(session::setSystemProperty);
        return (String) queryRunner.execute(session.build(), "EXPLAIN (TYPE DISTRIBUTED, FORMAT JSON) " + query).getOnlyValue();
    }
}
