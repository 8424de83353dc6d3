package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.registry.MeshNames;
import dev.datamesh.registry.MeshRegistry;
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
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.data_products}: one row per data product, as its descriptor declares it.
 */
public final class DataProductsTable
        implements SystemTable
{
    public static final SchemaTableName NAME = new SchemaTableName("system", "data_products");

    private static final ConnectorTableMetadata METADATA = new ConnectorTableMetadata(
            NAME,
            ImmutableList.of(
                    column("data_product", VARCHAR, "Name of the data product, unique in the mesh"),
                    column("domain", VARCHAR, "Business domain that owns it"),
                    column("table_schema", VARCHAR, "Schema of its tables"),
                    column("owner", VARCHAR, "Team accountable for it; it may always read it"),
                    column("version", VARCHAR, "Version of its contract"),
                    column("description", VARCHAR, "What it contains and what it is for"),
                    column("availability", VARCHAR, "Availability the owner commits to"),
                    column("freshness", VARCHAR, "Maximum age of its newest data the owner commits to"),
                    column("support", VARCHAR, "Support the owner commits to"),
                    column("readers", VARCHAR_ARRAY, "Roles its descriptor grants read access"),
                    column("assets", BIGINT, "Number of its tables"),
                    column("descriptor_file", VARCHAR, "The descriptor file it is published by")),
            ImmutableMap.of(),
            Optional.of("The data products of the mesh, from their descriptors"));

    private final MeshRegistrySource registrySource;

    public DataProductsTable(MeshRegistrySource registrySource)
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
        MeshRegistry registry = registrySource.forQuery(session.getQueryId());
        InMemoryRecordSet.Builder rows = InMemoryRecordSet.builder(METADATA);
        for (DataProductDescriptor product : registry.products()) {
            rows.addRow(
                    product.name(),
                    product.domain(),
                    MeshNames.schemaName(product.domain()),
                    product.owner(),
                    product.version(),
                    product.description().orElse(null),
                    product.sla().availability().orElse(null),
                    product.sla().freshness().orElse(null),
                    product.sla().support().orElse(null),
                    varcharArray(product.accessControl().stream().map(AccessGrant::role).distinct().toList()),
                    registry.assets().stream().filter(asset -> asset.product().name().equals(product.name())).count(),
                    product.file().toString());
        }
        return rows.build().cursor();
    }
}
