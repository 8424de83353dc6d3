package dev.datamesh.trino;

import com.google.common.collect.ImmutableList;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.type.BigintType;
import io.trino.spi.type.IntegerType;
import io.trino.spi.type.SmallintType;
import io.trino.spi.type.TinyintType;
import io.trino.spi.type.Type;
import io.trino.spi.type.VarcharType;
import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.ComparisonExpression;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.InListExpression;
import io.trino.sql.tree.InPredicate;
import io.trino.sql.tree.LogicalExpression;
import io.trino.sql.tree.LongLiteral;
import io.trino.sql.tree.StringLiteral;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static io.airlift.slice.Slices.utf8Slice;

/**
 * What a read under row filters may skip: the rows the filters themselves exclude, never what
 * the query's own predicates would. The filters' conjuncts of the forms {@code column = literal}
 * and {@code column IN (literals)} on string and integer columns become a domain; any other
 * conjunct prunes nothing, which only reads more. What the scan reads then depends on the
 * filters and the data, the same whatever the query asks.
 */
final class RowFilterPruning
{
    private static final SqlParser PARSER = new SqlParser();

    private RowFilterPruning() {}

    static TupleDomain<MeshColumnHandle> domain(List<String> filters, Collection<MeshColumnHandle> columns)
    {
        Map<String, MeshColumnHandle> byName = columns.stream().collect(toImmutableMap(MeshColumnHandle::name, column -> column, (first, _) -> first));
        TupleDomain<MeshColumnHandle> domain = TupleDomain.all();
        for (String filter : filters) {
            Expression expression;
            try {
                expression = PARSER.createExpression(filter);
            }
            catch (ParsingException e) {
                // the engine reports a filter it cannot read; pruning just does without it
                continue;
            }
            for (Expression conjunct : conjuncts(expression)) {
                domain = domain.intersect(conjunctDomain(conjunct, byName));
            }
        }
        return domain;
    }

    private static List<Expression> conjuncts(Expression expression)
    {
        if (expression instanceof LogicalExpression logical && logical.getOperator() == LogicalExpression.Operator.AND) {
            return logical.getTerms().stream().flatMap(term -> conjuncts(term).stream()).collect(toImmutableList());
        }
        return ImmutableList.of(expression);
    }

    private static TupleDomain<MeshColumnHandle> conjunctDomain(Expression conjunct, Map<String, MeshColumnHandle> columns)
    {
        if (conjunct instanceof ComparisonExpression comparison && comparison.getOperator() == ComparisonExpression.Operator.EQUAL) {
            return values(comparison.getLeft(), List.of(comparison.getRight()), columns)
                    .or(() -> values(comparison.getRight(), List.of(comparison.getLeft()), columns))
                    .orElse(TupleDomain.all());
        }
        if (conjunct instanceof InPredicate in && in.getValueList() instanceof InListExpression list) {
            return values(in.getValue(), list.getValues(), columns).orElse(TupleDomain.all());
        }
        return TupleDomain.all();
    }

    private static Optional<TupleDomain<MeshColumnHandle>> values(Expression columnReference, List<Expression> literals, Map<String, MeshColumnHandle> columns)
    {
        if (!(columnReference instanceof Identifier identifier)) {
            return Optional.empty();
        }
        MeshColumnHandle column = columns.get(identifier.getValue().toLowerCase(Locale.ROOT));
        if (column == null) {
            return Optional.empty();
        }
        ImmutableList.Builder<Object> values = ImmutableList.builder();
        for (Expression literal : literals) {
            Optional<Object> value = value(literal, column.type());
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value.orElseThrow());
        }
        return Optional.of(TupleDomain.withColumnDomains(Map.of(column, Domain.multipleValues(column.type(), values.build()))));
    }

    private static Optional<Object> value(Expression literal, Type type)
    {
        if (literal instanceof StringLiteral string && type instanceof VarcharType) {
            return Optional.of(utf8Slice(string.getValue()));
        }
        if (literal instanceof LongLiteral number && (type == BigintType.BIGINT || type == IntegerType.INTEGER || type == SmallintType.SMALLINT || type == TinyintType.TINYINT)) {
            return Optional.of(number.getParsedValue());
        }
        return Optional.empty();
    }
}
