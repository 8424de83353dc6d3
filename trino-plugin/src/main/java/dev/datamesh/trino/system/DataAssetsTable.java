package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.MeshRegistrySource;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.InMemoryRecordSet;
import io.trino.spi.connector.RecordCursor;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.predicate.TupleDomain;

import java.util.Optional;

import static dev.datamesh.trino.system.SystemTableColumns.VARCHAR_ARRAY;
import static dev.datamesh.trino.system.SystemTableColumns.column;
import static dev.datamesh.trino.system.SystemTableColumns.varcharArray;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.data_assets}: one row per table of the mesh, with where its data lives.
 */
public final class DataAssetsTable
        implements SystemTable
{
    public static final SchemaTableName NAME = new SchemaTableName("system", "data_assets");

    private static final ConnectorTableMetadata METADATA = new ConnectorTableMetadata(
            NAME,
            ImmutableList.of(
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
                    column("readers", VARCHAR_ARRAY, "Roles its product's descriptor grants read access")),
            ImmutableMap.of(),
            Optional.of("The tables of the mesh's data products"));

    private final MeshRegistrySource registrySource;

    public DataAssetsTable(MeshRegistrySource registrySource)
    {
        this.registrySource = requireNonNull(registrySource, "registrySource is null");
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
            rows.addRow(
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
        return rows.build().cursor();
    }
}
