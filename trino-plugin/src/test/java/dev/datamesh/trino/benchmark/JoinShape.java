package dev.datamesh.trino.benchmark;

import com.google.common.collect.ImmutableList;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * The join shape of a distributed plan: which tables are joined in which order, which side of
 * each join is probed and which is built (Trino builds the right side), and how each join is
 * distributed (REPLICATED: the build side is broadcast; PARTITIONED: both sides are hashed).
 * Everything else (projections, filters, aggregations, exchanges) is left out, and a scan is
 * named by its table alone, so the plans of the same query on different catalogs compare equal
 * when the engine joins them the same way.
 */
public sealed interface JoinShape
        permits JoinShape.Scan, JoinShape.Join, JoinShape.Union, JoinShape.Leaf
{
    /**
     * @param table the table's name without catalog or schema, or the plan's own text for a
     * table not among the names the shape was made with
     */
    record Scan(String table)
            implements JoinShape
    {
        public Scan
        {
            requireNonNull(table, "table is null");
        }

        @Override
        public String toString()
        {
            return table;
        }
    }

    /**
     * @param kind Inner, Left, Right, Full, Cross or Semi
     * @param probe the left input, streamed through the join
     * @param build the right input, held in memory
     */
    record Join(String kind, String distribution, JoinShape probe, JoinShape build)
            implements JoinShape
    {
        public Join
        {
            requireNonNull(kind, "kind is null");
            requireNonNull(distribution, "distribution is null");
            requireNonNull(probe, "probe is null");
            requireNonNull(build, "build is null");
        }

        @Override
        public String toString()
        {
            return "%s[%s](%s, %s)".formatted(kind, distribution, probe, build);
        }
    }

    /**
     * Several inputs gathered into one (UNION ALL, or an exchange fed by several fragments).
     */
    record Union(List<JoinShape> inputs)
            implements JoinShape
    {
        public Union
        {
            inputs = ImmutableList.copyOf(inputs);
        }

        @Override
        public String toString()
        {
            return inputs.stream().map(JoinShape::toString).collect(joining(", ", "Union(", ")"));
        }
    }

    /**
     * A plan leaf that reads no table, such as VALUES.
     */
    record Leaf(String name)
            implements JoinShape
    {
        public Leaf
        {
            requireNonNull(name, "name is null");
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    /**
     * @param distributedPlan the output of {@code EXPLAIN (TYPE DISTRIBUTED, FORMAT JSON)}
     * @param tableNames the names scans are known by, without catalog or schema: a scan whose
     * table the plan names with one of them as a word is named by it alone
     */
    static JoinShape fromDistributedPlan(String distributedPlan, Set<String> tableNames)
    {
        return new JoinShapeReader(tableNames).read(distributedPlan);
    }
}
