package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.AssetSchema;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.CatalogVisibility;
import dev.datamesh.trino.ContractViolation;
import dev.datamesh.trino.MeshConfig;
import dev.datamesh.trino.MeshRegistrySource;
import dev.datamesh.trino.MeshTableResolver;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;

import java.util.List;
import java.util.function.Function;

import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.contract_violations}: how each table's latest data departs from the column
 * contract its descriptor declares, and what the catalog does about it. Each row carries the
 * classifications of its column, so that the catalog's row filters hide the rows of columns a
 * denial hides, as they do in {@code system.columns}.
 */
public final class ContractViolationsTable
        extends MeshSystemTable
{
    private final MeshTableResolver tableResolver;
    private final MeshConfig.ContractMode mode;

    public ContractViolationsTable(MeshRegistrySource registrySource, Function<ConnectorSession, CatalogVisibility> visibility, MeshTableResolver tableResolver, MeshConfig.ContractMode mode)
    {
        super(registrySource, visibility, "contract_violations", "Differences between each table's data and its declared column contract", ImmutableList.of(
                column("data_product", VARCHAR, "Data product that publishes the table"),
                column("table_schema", VARCHAR, "Schema of the table"),
                column("table_name", VARCHAR, "Name of the table"),
                column("column_name", VARCHAR, "The column concerned"),
                column("classifications", VARCHAR_ARRAY, "Classification tags the contract gives the column; empty for a column it does not declare"),
                column("kind", VARCHAR, "missing_column, extra_column, type_mismatch, nullability or invalid_type"),
                column("message", VARCHAR, "What differs, with the contract's file and line"),
                column("action", VARCHAR, "quarantined: the table's queries fail until the data or the contract is fixed; served: the table is read as its data is (always so for an extra column)")));
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
        this.mode = requireNonNull(mode, "mode is null");
    }

    @Override
    void addRows(Rows rows, MeshRegistry registry, ConnectorSession session)
    {
        for (RegisteredAsset asset : registry.assets()) {
            if (asset.declaredSchema().isEmpty() || !rows.mayMatch(asset)) {
                continue;
            }
            AssetSchema contract = asset.declaredSchema().orElseThrow();
            List<ContractViolation> violations;
            try {
                violations = tableResolver.inspect(session, asset).contractViolations();
            }
            catch (TrinoException e) {
                // unreadable data is not a contract matter: sla_status shows it as the table's last error
                continue;
            }
            for (ContractViolation violation : violations) {
                rows.add(asset.product().name(), asset.schemaName(), asset.tableName(), violation.column(),
                        varcharArray(contract.column(violation.column()).map(DeclaredColumn::tags).orElse(ImmutableList.of())),
                        violation.kind().sqlName(), violation.message(),
                        violation.breaking() && mode == MeshConfig.ContractMode.ENFORCE ? "quarantined" : "served");
            }
        }
    }
}
