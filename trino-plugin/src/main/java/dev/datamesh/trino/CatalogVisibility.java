package dev.datamesh.trino;

import com.google.common.collect.ImmutableSet;
import io.trino.spi.connector.SchemaTableName;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What a user may see of the mesh's catalog (its schema {@code system}): the products and tables
 * it may read, and the descriptors left out for their problems that concern it. The catalog tables
 * make rows for these alone, and only then narrow them by the query's predicate: were they to
 * make rows for whatever the predicate names, how many they made would tell of hidden tables and
 * descriptors. The catalog's row filters decide what is shown; this only bounds what is read.
 *
 * @param everything a public catalog, or a mesh without the mesh's access control
 * @param descriptorFiles descriptors serving no valid version whose problems the user sees
 */
public record CatalogVisibility(boolean everything, Set<String> products, Set<SchemaTableName> tables, Set<String> descriptorFiles)
{
    public static final CatalogVisibility EVERYTHING = new CatalogVisibility(true, ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of());

    public CatalogVisibility
    {
        products = ImmutableSet.copyOf(requireNonNull(products, "products is null"));
        tables = ImmutableSet.copyOf(requireNonNull(tables, "tables is null"));
        descriptorFiles = ImmutableSet.copyOf(requireNonNull(descriptorFiles, "descriptorFiles is null"));
    }

    public boolean showsProduct(String product)
    {
        return everything || products.contains(product);
    }

    public boolean showsTable(String schemaName, String tableName)
    {
        return everything || tables.contains(new SchemaTableName(schemaName, tableName));
    }

    /**
     * Whether the problems of a descriptor show: those of a product served at its last valid
     * version to its readers, those of a descriptor serving none to the people it concerns;
     * a problem of the descriptor folder itself only in a public catalog.
     *
     * @param servedProduct the product served meanwhile, null when none is
     * @param descriptorFile null for a problem of the descriptor folder
     */
    public boolean showsProblem(String servedProduct, String descriptorFile)
    {
        if (everything) {
            return true;
        }
        if (servedProduct != null) {
            return products.contains(servedProduct);
        }
        return descriptorFile != null && descriptorFiles.contains(descriptorFile);
    }
}
