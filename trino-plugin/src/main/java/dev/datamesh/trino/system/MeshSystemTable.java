package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.registry.MeshNames;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.CatalogVisibility;
import dev.datamesh.trino.MeshRegistrySource;
import io.airlift.slice.Slices;
import io.trino.spi.block.Block;
import io.trino.spi.block.BlockBuilder;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.InMemoryRecordSet;
import io.trino.spi.connector.RecordCursor;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.Type;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static io.trino.spi.type.DateTimeEncoding.packDateTimeWithZone;
import static io.trino.spi.type.TimeZoneKey.UTC_KEY;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * A table of the mesh's schema {@code system}, read on the coordinator from the query's
 * registry. Its rows are made only for the products and tables the user may see (so that what
 * the scan reads tells nothing of the others) and, among those, that the query's constraint (its
 * WHERE clause, and the catalog's row filters) can match: a table's row may mean listing its
 * files or replaying its log, and {@code WHERE table_name = 'x'} should read one table, not the
 * mesh. Every column is documented, since the catalog is read from tools such as DBeaver that
 * show the comments.
 */
abstract class MeshSystemTable
        implements SystemTable
{
    static final ArrayType VARCHAR_ARRAY = new ArrayType(VARCHAR);

    private final MeshRegistrySource registrySource;
    private final Function<ConnectorSession, CatalogVisibility> visibility;
    private final ConnectorTableMetadata metadata;

    MeshSystemTable(MeshRegistrySource registrySource, Function<ConnectorSession, CatalogVisibility> visibility, String name, String comment, List<ColumnMetadata> columns)
    {
        this.registrySource = requireNonNull(registrySource, "registrySource is null");
        this.visibility = requireNonNull(visibility, "visibility is null");
        this.metadata = new ConnectorTableMetadata(new SchemaTableName("system", name), columns, ImmutableMap.of(), Optional.of(comment));
    }

    /**
     * Adds the rows of the registry; may leave out those {@link Rows#mayMatch} rules out.
     */
    abstract void addRows(Rows rows, MeshRegistry registry, ConnectorSession session);

    @Override
    public final Distribution getDistribution()
    {
        return Distribution.SINGLE_COORDINATOR;
    }

    @Override
    public final ConnectorTableMetadata getTableMetadata()
    {
        return metadata;
    }

    @Override
    public final RecordCursor cursor(ConnectorTransactionHandle transactionHandle, ConnectorSession session, TupleDomain<Integer> constraint)
    {
        Rows rows = new Rows(metadata, constraint, visibility.apply(session));
        addRows(rows, registrySource.forQuery(session.getQueryId()), session);
        return rows.builder.build().cursor();
    }

    static ColumnMetadata column(String name, Type type, String comment)
    {
        return ColumnMetadata.builder()
                .setName(name)
                .setType(type)
                .setComment(Optional.of(comment))
                .build();
    }

    static Block varcharArray(Collection<String> values)
    {
        BlockBuilder builder = VARCHAR.createBlockBuilder(null, values.size());
        for (String value : values) {
            VARCHAR.writeSlice(builder, Slices.utf8Slice(value));
        }
        return builder.build();
    }

    static Long timestampWithTimeZone(Instant instant)
    {
        return packDateTimeWithZone(instant.toEpochMilli(), UTC_KEY);
    }

    /**
     * The rows of one scan, and what its constraint says of the columns that name a product
     * or a table.
     */
    static final class Rows
    {
        private final InMemoryRecordSet.Builder builder;
        private final boolean none;
        private final Map<String, Domain> domains;
        private final CatalogVisibility visibility;

        private Rows(ConnectorTableMetadata metadata, TupleDomain<Integer> constraint, CatalogVisibility visibility)
        {
            this.visibility = visibility;
            this.builder = InMemoryRecordSet.builder(metadata);
            this.none = constraint.isNone();
            ImmutableMap.Builder<String, Domain> domains = ImmutableMap.builder();
            constraint.getDomains().ifPresent(byIndex -> byIndex.forEach((index, domain) -> domains.put(metadata.getColumns().get(index).getName(), domain)));
            this.domains = domains.buildOrThrow();
        }

        /**
         * Whether a row whose varchar column has this value (null for SQL NULL) can pass the constraint.
         */
        boolean mayMatch(String column, String value)
        {
            if (none) {
                return false;
            }
            Domain domain = domains.get(column);
            return domain == null || domain.includesNullableValue(value == null ? null : Slices.utf8Slice(value));
        }

        boolean mayMatch(DataProductDescriptor product)
        {
            return visibility.showsProduct(product.name())
                    && mayMatch("data_product", product.name())
                    && mayMatch("domain", product.domain())
                    && mayMatch("table_schema", MeshNames.schemaName(product.domain()));
        }

        boolean mayMatch(RegisteredAsset asset)
        {
            return visibility.showsTable(asset.schemaName(), asset.tableName())
                    && mayMatch(asset.product())
                    && mayMatch("table_schema", asset.schemaName())
                    && mayMatch("table_name", asset.tableName());
        }

        /**
         * Whether the problems of a descriptor (null for the descriptor folder) can show, and pass
         * the constraint.
         *
         * @param servedProduct the product served at its last valid version, null when none is
         */
        boolean mayMatchProblem(String servedProduct, String descriptorFile)
        {
            return visibility.showsProblem(servedProduct, descriptorFile)
                    && mayMatch("data_product", servedProduct)
                    && (descriptorFile == null || mayMatch("descriptor_file", descriptorFile));
        }

        void add(Object... values)
        {
            builder.addRow(values);
        }
    }
}
