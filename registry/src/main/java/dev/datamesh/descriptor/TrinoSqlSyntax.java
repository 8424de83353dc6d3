package dev.datamesh.descriptor;

import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;

import java.util.Optional;

/**
 * Policy expressions checked with Trino's own SQL parser, the one that later reads them as row
 * filters and masks: for the connector as it loads policy files, and for the command line's checks.
 */
public final class TrinoSqlSyntax
        implements SqlSyntax
{
    private final SqlParser parser = new SqlParser();

    @Override
    public Optional<String> expressionProblem(String expression)
    {
        try {
            parser.createExpression(expression);
            return Optional.empty();
        }
        catch (ParsingException e) {
            return Optional.of(e.getErrorMessage());
        }
    }
}
