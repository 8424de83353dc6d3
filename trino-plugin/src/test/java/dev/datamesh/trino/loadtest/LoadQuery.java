package dev.datamesh.trino.loadtest;

import dev.datamesh.trino.loadtest.SampleAnswers.Answer;
import dev.datamesh.trino.loadtest.SampleAnswers.MeshState;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * One query of a load test client: its kind, its SQL with the parameters drawn for it, and what
 * its user must get in each state of the mesh's files.
 */
record LoadQuery(Kind kind, String sql, Function<MeshState, Answer> answer)
{
    enum Kind
    {
        MASKED_READ("masked read"),
        ROW_FILTERED_AGGREGATE("row-filtered aggregate"),
        CROSS_DOMAIN_JOIN("3-format join"),
        SALES_AGGREGATE("sales aggregate"),
        DENIED("denied table"),
        CATALOG_TABLE("catalog table");

        private final String label;

        Kind(String label)
        {
            this.label = label;
        }

        String label()
        {
            return label;
        }
    }

    LoadQuery
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(answer, "answer is null");
    }

    static LoadQuery draw(Kind kind, String user, Random random, SampleAnswers answers)
    {
        return switch (kind) {
            case MASKED_READ -> {
                List<Long> ids = random.ints(3, 0, answers.customerIds().size()).mapToObj(index -> answers.customerIds().get(index)).distinct().toList();
                yield new LoadQuery(kind, """
                        SELECT customer_id, first_name, last_name, email, phone, region
                        FROM mesh.customer_service.customer_profile
                        WHERE customer_id IN (%s)""".formatted(ids.stream().map(String::valueOf).collect(Collectors.joining(", "))),
                        state -> answers.maskedRead(user, ids, state));
            }
            case ROW_FILTERED_AGGREGATE -> {
                String segment = pick(random, SampleAnswers.segments());
                yield new LoadQuery(kind, """
                        SELECT region, count(*), sum(lifetime_value)
                        FROM mesh.customer_service.customer_profile
                        WHERE segment = '%s'
                        GROUP BY region""".formatted(segment),
                        state -> answers.regionTotals(user, segment, state));
            }
            case CROSS_DOMAIN_JOIN -> {
                int year = pick(random, SampleAnswers.orderYears());
                yield new LoadQuery(kind, """
                        SELECT s.carrier, count(*), sum(o.total)
                        FROM mesh.customer_service.customer_orders o
                        JOIN mesh.logistics.shipments s ON s.order_id = o.order_id
                        JOIN mesh.customer_service.customer_profile c ON c.customer_id = o.customer_id
                        WHERE o.order_year = %s
                        GROUP BY s.carrier""".formatted(year),
                        state -> answers.shipmentsByCarrier(user, year, state));
            }
            case SALES_AGGREGATE -> {
                String status = pick(random, SampleAnswers.orderStatuses());
                yield new LoadQuery(kind, """
                        SELECT order_year, count(*), sum(amount)
                        FROM mesh.sales.orders
                        WHERE status = '%s'
                        GROUP BY order_year""".formatted(status),
                        state -> answers.salesByYear(user, status, state));
            }
            case DENIED -> new LoadQuery(kind, "SELECT count(*) FROM system.runtime.tasks", _ -> SampleAnswers.runtimeTasks());
            case CATALOG_TABLE -> new LoadQuery(kind, "SELECT data_product, version FROM mesh.system.data_products", state -> SampleAnswers.dataProducts(user, state));
        };
    }

    private static <T> T pick(Random random, List<T> values)
    {
        return values.get(random.nextInt(values.size()));
    }
}
