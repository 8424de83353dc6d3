package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.TupleDomain;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.airlift.slice.Slices.utf8Slice;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which row filters prune a read, and by what: only conjuncts the domain can hold exactly enough
 * to skip nothing the filter keeps.
 */
final class TestRowFilterPruning
{
    private static final MeshColumnHandle REGION = MeshColumnHandle.fileColumn("region", VARCHAR, "region");
    private static final MeshColumnHandle ORDER_YEAR = MeshColumnHandle.partitionKey("order_year", INTEGER);
    private static final List<MeshColumnHandle> COLUMNS = ImmutableList.of(REGION, ORDER_YEAR);

    @Test
    void testEqualityAndInListsOnStringsAndIntegers()
    {
        assertThat(domain("region IN ('AMER', 'EMEA')")).isEqualTo(regions("AMER", "EMEA"));
        assertThat(domain("'AMER' = region")).isEqualTo(regions("AMER"));
        assertThat(domain("region = 'AMER' AND order_year = 2024")).isEqualTo(TupleDomain.withColumnDomains(Map.of(
                REGION, Domain.singleValue(VARCHAR, utf8Slice("AMER")),
                ORDER_YEAR, Domain.singleValue(INTEGER, 2024L))));
        // every filter applies: their domains intersect
        assertThat(RowFilterPruning.domain(ImmutableList.of("region IN ('AMER', 'EMEA')", "REGION = 'EMEA'"), COLUMNS)).isEqualTo(regions("EMEA"));
        assertThat(RowFilterPruning.domain(ImmutableList.of("region = 'AMER'", "region = 'EMEA'"), COLUMNS)).isEqualTo(TupleDomain.none());
    }

    @Test
    void testOtherConjunctsPruneNothing()
    {
        assertThat(domain("region = 'AMER' OR order_year = 2024")).isEqualTo(TupleDomain.all());
        assertThat(domain("lower(region) = 'amer'")).isEqualTo(TupleDomain.all());
        assertThat(domain("region <> 'AMER'")).isEqualTo(TupleDomain.all());
        assertThat(domain("segment = 'enterprise'")).isEqualTo(TupleDomain.all());
        assertThat(domain("order_year = '2024'")).isEqualTo(TupleDomain.all());
        assertThat(domain("region IN (SELECT region FROM regions)")).isEqualTo(TupleDomain.all());
        // the conjuncts it can read still prune
        assertThat(domain("region = 'AMER' AND order_year > 2020")).isEqualTo(regions("AMER"));
    }

    private static TupleDomain<MeshColumnHandle> domain(String filter)
    {
        return RowFilterPruning.domain(ImmutableList.of(filter), COLUMNS);
    }

    private static TupleDomain<MeshColumnHandle> regions(String... regions)
    {
        return TupleDomain.withColumnDomains(Map.of(REGION, Domain.multipleValues(VARCHAR, List.of(regions).stream().map(region -> (Object) utf8Slice(region)).toList())));
    }
}
