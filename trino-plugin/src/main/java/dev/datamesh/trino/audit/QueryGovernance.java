package dev.datamesh.trino.audit;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.trino.spi.connector.CatalogSchemaTableName;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What governance decided for one query: the roles it decided with (empty when it decided
 * nothing), for each mesh table its data product and the rules that masked its columns and
 * filtered its rows, and the denials the query met.
 */
public record QueryGovernance(Optional<Set<String>> roles, Map<CatalogSchemaTableName, TableGovernance> tables, List<String> denials)
{
    public static final QueryGovernance NONE = new QueryGovernance(Optional.empty(), ImmutableMap.of(), ImmutableList.of());

    public QueryGovernance
    {
        roles = roles.map(ImmutableSet::copyOf);
        tables = ImmutableMap.copyOf(tables);
        denials = ImmutableList.copyOf(denials);
    }

    public record TableGovernance(String product, String domain, Map<String, String> maskRules, List<String> rowFilterRules)
    {
        public TableGovernance
        {
            requireNonNull(product, "product is null");
            requireNonNull(domain, "domain is null");
            maskRules = ImmutableMap.copyOf(maskRules);
            rowFilterRules = ImmutableList.copyOf(rowFilterRules);
        }
    }
}
