package dev.datamesh.trino.iceberg;

import dev.datamesh.trino.MeshColumnHandle;
import io.trino.spi.predicate.TupleDomain;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;

import static java.util.Objects.requireNonNull;

/**
 * Whether a data file can hold rows within a predicate, by the column bounds and counts its
 * manifest records, as Iceberg's own scan planning decides. A query's dynamic filters grow while
 * its splits are planned: the evaluator is rebuilt when the split source asks with the predicate
 * of a new batch, never compared value by value with the last (a join's filter can hold thousands
 * of values). Not thread-safe: one split source asks from one thread at a time.
 */
public final class IcebergFileFilter
{
    private final Schema schema;
    private TupleDomain<MeshColumnHandle> predicate = TupleDomain.all();
    private InclusiveMetricsEvaluator evaluator;

    public IcebergFileFilter(Schema schema)
    {
        this.schema = requireNonNull(schema, "schema is null");
    }

    public boolean mayMatch(DataFile file, TupleDomain<MeshColumnHandle> predicate)
    {
        if (predicate.isAll()) {
            return true;
        }
        if (predicate.isNone()) {
            return false;
        }
        if (evaluator == null || predicate != this.predicate) {
            this.predicate = predicate;
            this.evaluator = new InclusiveMetricsEvaluator(schema, IcebergPredicates.toExpression(predicate, schema));
        }
        return evaluator.eval(file);
    }
}
