package dev.datamesh.trino.security;

import dev.datamesh.policies.DenyRule;
import dev.datamesh.policies.GovernedAsset;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.Principal;
import dev.datamesh.policies.ReadDecision;
import io.trino.spi.connector.SchemaTableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.stream.Collectors.joining;

/**
 * The row filters that show a user only its part of the mesh's catalog (the system tables): the
 * products and tables it may read, and of those tables the columns no denial hides. Built from
 * the same decisions as the data's, so the catalog tells nobody of what it may not read.
 */
final class CatalogTableFilters
{
    static final String CATALOG_SCHEMA = "system";

    private CatalogTableFilters() {}

    /**
     * Whether the principal sees the catalog at all: a public catalog, or some table it may read.
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
        return false;
    }

    static String filter(String tableName, PolicyEvaluator evaluator, Principal principal, GovernedCatalog catalog)
    {
        Set<String> products = new TreeSet<>();
        List<String> tables = new ArrayList<>();
        List<String> deniedColumns = new ArrayList<>();
        for (Map.Entry<SchemaTableName, GovernedAsset> entry : catalog.assets().entrySet()) {
            GovernedAsset asset = entry.getValue();
            if (!evaluator.mayRead(principal, asset)) {
                continue;
            }
            ReadDecision decision = evaluator.decide(principal, asset);
            if (!decision.access().allowed()) {
                continue;
            }
            products.add(asset.product());
            SchemaTableName table = entry.getKey();
            tables.add("(%s, %s)".formatted(literal(table.getSchemaName()), literal(table.getTableName())));
            Set<String> denied = deniedColumns(decision);
            if (!denied.isEmpty()) {
                deniedColumns.add("(table_schema = %s AND table_name = %s AND column_name IN (%s))".formatted(
                        literal(table.getSchemaName()), literal(table.getTableName()), denied.stream().map(CatalogTableFilters::literal).collect(joining(", "))));
            }
        }
        return switch (tableName) {
            case "data_products", "descriptor_errors" -> products.isEmpty() ? "false" : "data_product IN (%s)".formatted(products.stream().map(CatalogTableFilters::literal).collect(joining(", ")));
            case "columns" -> tables.isEmpty() ? "false" : "(table_schema, table_name) IN (%s)%s".formatted(
                    String.join(", ", tables),
                    deniedColumns.isEmpty() ? "" : " AND NOT (" + String.join(" OR ", deniedColumns) + ")");
            default -> tables.isEmpty() ? "false" : "(table_schema, table_name) IN (%s)".formatted(String.join(", ", tables));
        };
    }

    /**
     * The columns a denial hides: the asset's declared columns it covers, and the columns it names.
     */
    private static Set<String> deniedColumns(ReadDecision decision)
    {
        Set<String> denied = new TreeSet<>();
        for (String column : decision.asset().columnTags().keySet()) {
            if (decision.columnDenial(column).isPresent()) {
                denied.add(column);
            }
        }
        for (DenyRule rule : decision.columnDenials()) {
            denied.addAll(rule.columns().names());
        }
        return denied;
    }

    private static String literal(String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }
}
