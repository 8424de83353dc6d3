package dev.datamesh.trino;

import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.predicate.TupleDomain;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * A mesh table in a query, at one version for formats that have versions (Delta, Iceberg), and
 * for Iceberg with the schema its columns were resolved with, so that planning, statistics and
 * reads all see the columns the query was analyzed with. The partition constraint is enforced by
 * split pruning; the data constraint is only used to skip row groups, so Trino still filters the
 * rows it returns.
 */
public record MeshTableHandle(
        String schemaName,
        String tableName,
        String productName,
        Optional<String> storage,
        OptionalLong version,
        OptionalInt schemaId,
        TupleDomain<MeshColumnHandle> partitionConstraint,
        TupleDomain<MeshColumnHandle> dataConstraint)
        implements ConnectorTableHandle
{
    public MeshTableHandle
    {
        requireNonNull(schemaName, "schemaName is null");
        requireNonNull(tableName, "tableName is null");
        requireNonNull(productName, "productName is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(version, "version is null");
        requireNonNull(schemaId, "schemaId is null");
        requireNonNull(partitionConstraint, "partitionConstraint is null");
        requireNonNull(dataConstraint, "dataConstraint is null");
    }

    public SchemaTableName schemaTableName()
    {
        return new SchemaTableName(schemaName, tableName);
    }

    public MeshTableHandle withConstraints(TupleDomain<MeshColumnHandle> partitionConstraint, TupleDomain<MeshColumnHandle> dataConstraint)
    {
        return new MeshTableHandle(schemaName, tableName, productName, storage, version, schemaId, partitionConstraint, dataConstraint);
    }

    @Override
    public String toString()
    {
        StringBuilder description = new StringBuilder(schemaName).append('.').append(tableName);
        version.ifPresent(number -> description.append('@').append(number));
        appendConstraint(description, "partitions", partitionConstraint);
        appendConstraint(description, "constraint on", dataConstraint);
        return description.toString();
    }

    private static void appendConstraint(StringBuilder description, String label, TupleDomain<MeshColumnHandle> constraint)
    {
        if (constraint.isNone()) {
            description.append(' ').append(label).append(" [none]");
        }
        else if (!constraint.isAll()) {
            description.append(' ').append(label).append(' ').append(constraint.getDomains().orElseThrow().keySet().stream()
                    .map(MeshColumnHandle::name)
                    .sorted()
                    .collect(joining(", ", "[", "]")));
        }
    }
}
