package dev.datamesh.descriptor;

import java.util.Optional;

/**
 * Checks the SQL of row filters and mask expressions as policy files are read, so that an
 * expression that would fail every query on its tables rejects the policy instead, keeping the
 * last valid one in force. The engine's own parser does the checking ({@link TrinoSqlSyntax}); the
 * descriptor model itself knows no SQL.
 */
@FunctionalInterface
public interface SqlSyntax
{
    /**
     * What is wrong with the expression, or empty when it parses.
     */
    Optional<String> expressionProblem(String expression);
}
