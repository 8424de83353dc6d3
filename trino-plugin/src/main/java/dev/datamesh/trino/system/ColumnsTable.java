package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.AssetSchema;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.CatalogVisibility;
import dev.datamesh.trino.MeshColumn;
import dev.datamesh.trino.MeshRegistrySource;
import dev.datamesh.trino.MeshTableResolver;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.columns}: every column of every table with what it means: the columns of the
 * asset's column contract when it declares one, then the columns its data has beyond the
 * contract (served, so listed); else the columns its data has.
 */
public final class ColumnsTable
        extends MeshSystemTable
{
    private final MeshTableResolver tableResolver;

    public ColumnsTable(MeshRegistrySource registrySource, Function<ConnectorSession, CatalogVisibility> visibility, MeshTableResolver tableResolver)
    {
        super(registrySource, visibility, "columns", "The columns of the mesh's tables, with their descriptions and classifications", ImmutableList.of(
                column("data_product", VARCHAR, "Data product that publishes the table"),
                column("table_schema", VARCHAR, "Schema of the table"),
                column("table_name", VARCHAR, "Name of the table"),
                column("column_name", VARCHAR, "Name of the column"),
                column("ordinal_position", BIGINT, "Position of the column in the table, from 1: the contract's columns first, then those only the data has"),
                column("data_type", VARCHAR, "Type of the column"),
                column("is_nullable", BOOLEAN, "Whether the column may hold nulls"),
                column("description", VARCHAR, "What the column means"),
                column("classifications", VARCHAR_ARRAY, "Classification tags of the column, such as pii, that global policies act on; empty for a column the contract does not declare"),
                column("declared", BOOLEAN, "Whether the column comes from the asset's column contract (else from its data)")));
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
    }

    @Override
    void addRows(Rows rows, MeshRegistry registry, ConnectorSession session)
    {
        for (RegisteredAsset asset : registry.assets()) {
            if (!rows.mayMatch(asset)) {
                continue;
            }
            Optional<List<MeshColumn>> dataColumns;
            try {
                dataColumns = Optional.of(tableResolver.inspect(session, asset).columns());
            }
            catch (TrinoException e) {
                // the table's own queries say why it cannot be read, and sla_status shows it as its last error
                dataColumns = Optional.empty();
            }
            long position = 0;
            Optional<AssetSchema> contract = asset.declaredSchema();
            for (DeclaredColumn declared : contract.map(AssetSchema::columns).orElse(ImmutableList.of())) {
                rows.add(asset.product().name(), asset.schemaName(), asset.tableName(), declared.name().toLowerCase(Locale.ROOT), ++position, declared.type(),
                        declared.nullable(), declared.description().orElse(null), varcharArray(declared.tags()), true);
            }
            for (MeshColumn column : dataColumns.orElse(ImmutableList.of())) {
                if (contract.flatMap(schema -> schema.column(column.handle().name())).isEmpty()) {
                    rows.add(asset.product().name(), asset.schemaName(), asset.tableName(), column.handle().name(), ++position, column.handle().type().getDisplayName(),
                            true, column.description().orElse(null), varcharArray(ImmutableList.of()), false);
                }
            }
        }
    }
}
