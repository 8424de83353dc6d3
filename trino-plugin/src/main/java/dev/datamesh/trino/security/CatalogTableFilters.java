package dev.datamesh.trino.security;

import dev.datamesh.policies.ColumnSelector;
import dev.datamesh.policies.DenyRule;
import dev.datamesh.policies.GovernedAsset;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.Principal;
import dev.datamesh.policies.ReadDecision;
import dev.datamesh.trino.CatalogVisibility;
import io.trino.spi.connector.SchemaTableName;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.util.stream.Collectors.joining;

/**
 * The row filters that show a user only its part of the mesh's catalog (the system tables): the
 * products and tables it may read, and of those tables the columns no denial hides. Built from
 * the same decisions as the data's, so the catalog tells nobody of what it may not read.
 * <p>
 * A column denial is SQL over the catalog table's own columns, as {@link ColumnSelector} matches
 * a column: by name, by the tags its contract gives it, and as {@value ColumnSelector#UNCLASSIFIED}
 * when it has none, declared or not; so a column only the data has is hidden exactly when its
 * reads are denied. The tables a user may read are also listed schema by schema and name by name,
 * which the engine turns into a constraint on the scan: the catalog then reads only those tables.
 */
final class CatalogTableFilters
{
    static final String CATALOG_SCHEMA = "system";

    private CatalogTableFilters() {}

    /**
     * Whether the principal sees the catalog at all: a public catalog, some table it may read,
     * or a descriptor left out for its problems that names the principal's team as owner.
     */
    static boolean seesCatalog(PolicyEvaluator evaluator, Principal principal, GovernedCatalog catalog)
    {
        if (evaluator.policy().publicCatalog()) {
            return true;
        }
        for (GovernedAsset asset : catalog.assets().values()) {
            if (evaluator.mayRead(principal, asset)) {
                return true;
            }
        }
        for (GovernedAsset claimed : catalog.rejectedProducts().values()) {
            if (principal.isOwner(claimed.owner()) && !evaluator.isDenied(principal, claimed)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What of the catalog the principal sees, for the catalog tables to make rows of that alone.
     */
    static CatalogVisibility visibility(PolicyEvaluator evaluator, Principal principal, GovernedCatalog catalog)
    {
        Map<SchemaTableName, ReadDecision> readable = readableTables(evaluator, principal, catalog);
        Set<String> products = readable.values().stream().map(decision -> decision.asset().product()).collect(toImmutableSet());
        Set<String> domains = readable.values().stream().map(decision -> decision.asset().domain()).collect(toImmutableSet());
        return new CatalogVisibility(false, products, readable.keySet(), visibleRejectedDescriptors(evaluator, principal, catalog, domains));
    }

    private static Map<SchemaTableName, ReadDecision> readableTables(PolicyEvaluator evaluator, Principal principal, GovernedCatalog catalog)
    {
        Map<SchemaTableName, ReadDecision> readable = new LinkedHashMap<>();
        for (Map.Entry<SchemaTableName, GovernedAsset> entry : catalog.assets().entrySet()) {
            GovernedAsset asset = entry.getValue();
            if (!evaluator.mayRead(principal, asset)) {
                continue;
            }
            ReadDecision decision = evaluator.decide(principal, asset);
            if (decision.access().allowed()) {
                readable.put(entry.getKey(), decision);
            }
        }
        return readable;
    }

    static String filter(String tableName, PolicyEvaluator evaluator, Principal principal, GovernedCatalog catalog)
    {
        Set<String> products = new TreeSet<>();
        Set<String> domains = new TreeSet<>();
        Set<String> schemas = new TreeSet<>();
        Set<String> tableNames = new TreeSet<>();
        List<String> tables = new ArrayList<>();
        // tables that share their column denials share one predicate
        Map<String, List<String>> tablesByHiddenColumns = new LinkedHashMap<>();
        for (Map.Entry<SchemaTableName, ReadDecision> entry : readableTables(evaluator, principal, catalog).entrySet()) {
            ReadDecision decision = entry.getValue();
            GovernedAsset asset = decision.asset();
            products.add(asset.product());
            domains.add(asset.domain());
            SchemaTableName table = entry.getKey();
            schemas.add(table.getSchemaName());
            tableNames.add(table.getTableName());
            String tuple = "(%s, %s)".formatted(literal(table.getSchemaName()), literal(table.getTableName()));
            tables.add(tuple);
            if (!decision.columnDenials().isEmpty()) {
                tablesByHiddenColumns.computeIfAbsent(hiddenColumns(decision.columnDenials()), _ -> new ArrayList<>()).add(tuple);
            }
        }
        String readableTables = tables.isEmpty() ? "false" : "table_schema IN (%s) AND table_name IN (%s) AND (table_schema, table_name) IN (%s)".formatted(
                literals(schemas), literals(tableNames), String.join(", ", tables));
        return switch (tableName) {
            case "data_products" -> products.isEmpty() ? "false" : "data_product IN (%s)".formatted(literals(products));
            case "descriptor_errors" -> descriptorErrors(evaluator, principal, catalog, products, domains);
            case "columns", "contract_violations" -> tablesByHiddenColumns.isEmpty() ? readableTables : "%s AND NOT (%s)".formatted(
                    readableTables,
                    tablesByHiddenColumns.entrySet().stream()
                            .map(group -> "((table_schema, table_name) IN (%s) AND (%s))".formatted(String.join(", ", group.getValue()), group.getKey()))
                            .collect(joining(" OR ")));
            default -> readableTables;
        };
    }

    /**
     * The problems of the products the principal may read; and of a descriptor that serves no
     * valid version, when it names the principal's team as owner or a domain the principal reads
     * a product of, unless a global denial covers what it names. A file that could not be read
     * that far shows its problems only under a public catalog.
     */
    private static String descriptorErrors(PolicyEvaluator evaluator, Principal principal, GovernedCatalog catalog, Set<String> products, Set<String> domains)
    {
        Set<String> files = visibleRejectedDescriptors(evaluator, principal, catalog, domains);
        List<String> conditions = new ArrayList<>();
        if (!products.isEmpty()) {
            conditions.add("data_product IN (%s)".formatted(literals(products)));
        }
        if (!files.isEmpty()) {
            conditions.add("(data_product IS NULL AND descriptor_file IN (%s))".formatted(literals(files)));
        }
        return conditions.isEmpty() ? "false" : String.join(" OR ", conditions);
    }

    private static Set<String> visibleRejectedDescriptors(PolicyEvaluator evaluator, Principal principal, GovernedCatalog catalog, Set<String> domains)
    {
        Set<String> files = new TreeSet<>();
        catalog.rejectedProducts().forEach((file, claimed) -> {
            if ((principal.isOwner(claimed.owner()) || domains.contains(claimed.domain())) && !evaluator.isDenied(principal, claimed)) {
                files.add(file);
            }
        });
        return files;
    }

    /**
     * The columns the denials hide, as {@link ReadDecision#columnDenial} decides: a column is
     * hidden when any of the rules' selectors matches it.
     */
    private static String hiddenColumns(List<DenyRule> denials)
    {
        Set<String> matches = new LinkedHashSet<>();
        for (DenyRule rule : denials) {
            ColumnSelector selector = rule.columns();
            if (!selector.names().isEmpty()) {
                matches.add("column_name IN (%s)".formatted(literals(new TreeSet<>(selector.names()))));
            }
            if (!selector.tags().isEmpty()) {
                matches.add("arrays_overlap(classifications, ARRAY[%s])".formatted(literals(new TreeSet<>(selector.tags()))));
            }
            if (selector.tags().contains(ColumnSelector.UNCLASSIFIED)) {
                matches.add("cardinality(classifications) = 0");
            }
        }
        return String.join(" OR ", matches);
    }

    private static String literals(Collection<String> values)
    {
        return values.stream().map(CatalogTableFilters::literal).collect(joining(", "));
    }

    private static String literal(String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }
}
