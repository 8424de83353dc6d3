package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DescriptorProblem;
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

import java.nio.file.Path;
import java.util.Optional;

import static dev.datamesh.trino.system.SystemTableColumns.column;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.descriptor_errors}: every problem of the descriptor folder as last loaded, with
 * file and line, and the product whose last valid version is served meanwhile.
 */
public final class DescriptorErrorsTable
        implements SystemTable
{
    public static final SchemaTableName NAME = new SchemaTableName("system", "descriptor_errors");

    private static final ConnectorTableMetadata METADATA = new ConnectorTableMetadata(
            NAME,
            ImmutableList.of(
                    column("file", VARCHAR, "The file with the problem"),
                    column("line", BIGINT, "Line of the problem, from 1"),
                    column("column_number", BIGINT, "Column of the problem, from 1"),
                    column("message", VARCHAR, "What is wrong and what to write instead"),
                    column("data_product", VARCHAR, "The product of that descriptor whose last valid version is served meanwhile; null when none is")),
            ImmutableMap.of(),
            Optional.of("Problems of the descriptor files; a product with problems is left out, or kept at its last valid version"));

    private final MeshRegistrySource registrySource;

    public DescriptorErrorsTable(MeshRegistrySource registrySource)
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
        for (DescriptorProblem problem : registry.problems()) {
            Path file = problem.position().file().toAbsolutePath().normalize();
            Optional<String> product = registry.products().stream()
                    .filter(descriptor -> descriptor.file().toAbsolutePath().normalize().equals(file))
                    .map(DataProductDescriptor::name)
                    .findFirst();
            rows.addRow(file.toString(), (long) problem.position().line(), (long) problem.position().column(), problem.message(), product.orElse(null));
        }
        return rows.build().cursor();
    }
}
