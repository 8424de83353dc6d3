package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;
import dev.datamesh.registry.RegisteredAsset;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.predicate.TupleDomain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

/**
 * An asset resolved against its data: the columns a query sees, the table version for Delta and
 * Iceberg, and for Iceberg the id of the schema the columns come from (a snapshot read at the
 * table's latest state has the current schema, the same snapshot read by id has its own).
 */
public record MeshTable(RegisteredAsset asset, List<MeshColumn> columns, OptionalLong version, OptionalInt schemaId, List<ContractViolation> contractViolations)
{
    public MeshTable
    {
        requireNonNull(asset, "asset is null");
        columns = ImmutableList.copyOf(columns);
        contractViolations = ImmutableList.copyOf(contractViolations);
        requireNonNull(version, "version is null");
        requireNonNull(schemaId, "schemaId is null");
    }

    public SchemaTableName schemaTableName()
    {
        return new SchemaTableName(asset.schemaName(), asset.tableName());
    }

    public MeshTableHandle handle()
    {
        return new MeshTableHandle(asset.schemaName(), asset.tableName(), asset.product().name(), asset.storage(), version, schemaId, TupleDomain.all(), TupleDomain.all());
    }

    public ConnectorTableMetadata metadata()
    {
        return new ConnectorTableMetadata(
                schemaTableName(),
                columns.stream().map(MeshColumn::metadata).collect(toImmutableList()),
                Map.of(),
                comment());
    }

    /**
     * The asset's own description, else its product's, with who owns it, so that a table's
     * comment in any SQL tool says what it is and whom to ask.
     */
    private Optional<String> comment()
    {
        String description = asset.asset().description()
                .or(() -> asset.product().description())
                .map(String::strip)
                .orElse("");
        String provenance = "Data product %s %s (domain %s), owned by %s".formatted(
                asset.product().name(),
                asset.product().version(),
                asset.product().domain(),
                asset.product().owner());
        return Optional.of(description.isEmpty() ? provenance : description + " — " + provenance);
    }
}
