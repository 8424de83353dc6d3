package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.ContractViolation;
import dev.datamesh.trino.MeshConfig;
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

import static dev.datamesh.trino.system.SystemTableColumns.column;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.contract_violations}: how each table's latest data departs from the column
 * contract its descriptor declares, and what the catalog does about it.
 */
public final class ContractViolationsTable
        implements SystemTable
{
    public static final SchemaTableName NAME = new SchemaTableName("system", "contract_violations");

    private static final ConnectorTableMetadata METADATA = new ConnectorTableMetadata(
            NAME,
            ImmutableList.of(
                    column("data_product", VARCHAR, "Data product that publishes the table"),
                    column("table_schema", VARCHAR, "Schema of the table"),
                    column("table_name", VARCHAR, "Name of the table"),
                    column("column_name", VARCHAR, "The column concerned"),
                    column("kind", VARCHAR, "missing_column, extra_column, type_mismatch, nullability or invalid_type"),
                    column("message", VARCHAR, "What differs, with the contract's file and line"),
                    column("action", VARCHAR, "quarantined: the table's queries fail until the data or the contract is fixed; served: the table is read as its data is (always so for an extra column)")),
            ImmutableMap.of(),
            Optional.of("Differences between each table's data and its declared column contract"));

    private final MeshRegistrySource registrySource;
    private final MeshTableResolver tableResolver;
    private final MeshConfig.ContractMode mode;

    public ContractViolationsTable(MeshRegistrySource registrySource, MeshTableResolver tableResolver, MeshConfig.ContractMode mode)
    {
        this.registrySource = requireNonNull(registrySource, "registrySource is null");
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
        this.mode = requireNonNull(mode, "mode is null");
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
            if (asset.declaredSchema().isEmpty()) {
                continue;
            }
            List<ContractViolation> violations;
            try {
                violations = tableResolver.contractViolations(session, asset);
            }
            catch (TrinoException e) {
                // unreadable data is not a contract matter: sla_status reports it
                continue;
            }
            for (ContractViolation violation : violations) {
                rows.addRow(asset.product().name(), asset.schemaName(), asset.tableName(), violation.column().toLowerCase(Locale.ROOT), violation.kind().sqlName(), violation.message(),
                        violation.breaking() && mode == MeshConfig.ContractMode.ENFORCE ? "quarantined" : "served");
            }
        }
        return rows.build().cursor();
    }
}
