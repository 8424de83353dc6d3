package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.CatalogVisibility;
import dev.datamesh.trino.MeshRegistrySource;
import io.trino.spi.connector.ConnectorSession;

import java.util.function.Function;

import static io.trino.spi.type.VarcharType.VARCHAR;

/**
 * {@code system.data_assets}: one row per table of the mesh, with where its data lives.
 */
public final class DataAssetsTable
        extends MeshSystemTable
{
    public DataAssetsTable(MeshRegistrySource registrySource, Function<ConnectorSession, CatalogVisibility> visibility)
    {
        super(registrySource, visibility, "data_assets", "The tables of the mesh's data products", ImmutableList.of(
                column("data_product", VARCHAR, "Data product that publishes the table"),
                column("domain", VARCHAR, "Business domain of the product"),
                column("table_schema", VARCHAR, "Schema of the table"),
                column("table_name", VARCHAR, "Name of the table"),
                column("format", VARCHAR, "Storage format: parquet, delta or iceberg"),
                column("location", VARCHAR, "Where its data lives, or its name in an Iceberg catalog"),
                column("storage", VARCHAR, "Storage profile its object store locations are read with; null for the catalog's default"),
                column("description", VARCHAR, "What the table contains"),
                column("update_frequency", VARCHAR, "How often the owner refreshes it"),
                column("schema_file", VARCHAR, "Its column contract, when it declares one"),
                column("classifications", VARCHAR_ARRAY, "Classification tags its declared columns carry, such as pii"),
                column("owner", VARCHAR, "Team accountable for it"),
                column("readers", VARCHAR_ARRAY, "Roles its product's descriptor grants read access")));
    }

    @Override
    void addRows(Rows rows, MeshRegistry registry, ConnectorSession session)
    {
        for (RegisteredAsset asset : registry.assets()) {
            if (!rows.mayMatch(asset)) {
                continue;
            }
            rows.add(
                    asset.product().name(),
                    asset.product().domain(),
                    asset.schemaName(),
                    asset.tableName(),
                    asset.asset().format().descriptorName(),
                    asset.location().map(Object::toString).orElseGet(() -> asset.catalogTable().orElseThrow().toString()),
                    asset.storage().orElse(null),
                    asset.asset().description().orElse(null),
                    asset.asset().updateFrequency().orElse(null),
                    asset.declaredSchema().map(schema -> schema.file().toString()).orElse(null),
                    varcharArray(asset.declaredSchema().stream()
                            .flatMap(schema -> schema.columns().stream())
                            .map(DeclaredColumn::tags)
                            .flatMap(tags -> tags.stream())
                            .distinct()
                            .sorted()
                            .toList()),
                    asset.product().owner(),
                    varcharArray(asset.product().accessControl().stream().map(AccessGrant::role).distinct().toList()));
        }
    }
}
