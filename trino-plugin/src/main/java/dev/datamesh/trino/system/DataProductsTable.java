package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.registry.MeshNames;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.trino.CatalogVisibility;
import dev.datamesh.trino.MeshRegistrySource;
import io.trino.spi.connector.ConnectorSession;

import java.util.function.Function;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.VarcharType.VARCHAR;

/**
 * {@code system.data_products}: one row per data product, as its descriptor declares it.
 */
public final class DataProductsTable
        extends MeshSystemTable
{
    public DataProductsTable(MeshRegistrySource registrySource, Function<ConnectorSession, CatalogVisibility> visibility)
    {
        super(registrySource, visibility, "data_products", "The data products of the mesh, from their descriptors", ImmutableList.of(
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
                column("descriptor_file", VARCHAR, "The descriptor file it is published by")));
    }

    @Override
    void addRows(Rows rows, MeshRegistry registry, ConnectorSession session)
    {
        for (DataProductDescriptor product : registry.products()) {
            if (!rows.mayMatch(product)) {
                continue;
            }
            rows.add(
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
    }
}
