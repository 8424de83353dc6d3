package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import dev.datamesh.trino.MeshColumn;
import dev.datamesh.trino.MeshRegistrySource;
import dev.datamesh.trino.MeshTableResolver;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.InMemoryRecordSet;
import io.trino.spi.connector.RecordCursor;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.predicate.TupleDomain;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.datamesh.trino.system.SystemTableColumns.VARCHAR_ARRAY;
import static dev.datamesh.trino.system.SystemTableColumns.column;
import static dev.datamesh.trino.system.SystemTableColumns.varcharArray;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.columns}: every column of every table with what it means: the column contract
 * of the asset when it declares one, else the columns its data has.
 */
public final class ColumnsTable
        implements SystemTable
{
    public static final SchemaTableName NAME = new SchemaTableName("system", "columns");

    private static final ConnectorTableMetadata METADATA = new ConnectorTableMetadata(
            NAME,
            ImmutableList.of(
                    column("data_product", VARCHAR, "Data product that publishes the table"),
                    column("table_schema", VARCHAR, "Schema of the table"),
                    column("table_name", VARCHAR, "Name of the table"),
                    column("column_name", VARCHAR, "Name of the column"),
                    column("ordinal_position", BIGINT, "Position of the column in the table, from 1"),
                    column("data_type", VARCHAR, "Type of the column"),
                    column("is_nullable", BOOLEAN, "Whether the column may hold nulls"),
                    column("description", VARCHAR, "What the column means"),
                    column("classifications", VARCHAR_ARRAY, "Classification tags of the column, such as pii, that global policies act on"),
                    column("declared", BOOLEAN, "Whether the column comes from the asset's column contract (else from its data)")),
            ImmutableMap.of(),
            Optional.of("The columns of the mesh's tables, with their descriptions and classifications"));

    private final MeshRegistrySource registrySource;
    private final MeshTableResolver tableResolver;

    public ColumnsTable(MeshRegistrySource registrySource, MeshTableResolver tableResolver)
    {
        this.registrySource = requireNonNull(registrySource, "registrySource is null");
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
    }

    @Override
    public Distribution getDistribution()
    {
        return Distribution.SINGLE_COORDINATOR;
    }

    @Override
    public ConnectorTableMetadata getTableMetadata()
    {
        return METADATA;
    }

    @Override
    public RecordCursor cursor(ConnectorTransactionHandle transactionHandle, ConnectorSession session, TupleDomain<Integer> constraint)
    {
        InMemoryRecordSet.Builder rows = InMemoryRecordSet.builder(METADATA);
        for (RegisteredAsset asset : registrySource.forQuery(session.getQueryId()).assets()) {
            if (asset.declaredSchema().isPresent()) {
                List<DeclaredColumn> columns = asset.declaredSchema().get().columns();
                for (int i = 0; i < columns.size(); i++) {
                    DeclaredColumn declared = columns.get(i);
                    rows.addRow(asset.product().name(), asset.schemaName(), asset.tableName(), declared.name().toLowerCase(Locale.ROOT), i + 1L, declared.type(),
                            declared.nullable(), declared.description().orElse(null), varcharArray(declared.tags()), true);
                }
                continue;
            }
            List<MeshColumn> columns;
            try {
                columns = tableResolver.resolve(session, asset, TableVersion.LATEST, OptionalInt.empty()).columns();
            }
            catch (TrinoException e) {
                // the table's own queries report why it cannot be read; sla_status shows it too
                continue;
            }
            for (int i = 0; i < columns.size(); i++) {
                MeshColumn column = columns.get(i);
                rows.addRow(asset.product().name(), asset.schemaName(), asset.tableName(), column.handle().name(), i + 1L, column.handle().type().getDisplayName(),
                        true, column.description().orElse(null), varcharArray(ImmutableList.of()), false);
            }
        }
        return rows.build().cursor();
    }
}
