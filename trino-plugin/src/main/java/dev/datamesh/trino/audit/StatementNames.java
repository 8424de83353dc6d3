package dev.datamesh.trino.audit;

import com.google.common.collect.ImmutableSet;
import io.trino.grammar.sql.SqlBaseLexer;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

import java.util.Locale;
import java.util.Set;

/**
 * The names a statement's text uses, read with Trino's own lexer: a query that fails before Trino
 * knows its tables (a table that does not exist, an invalid version, a refused identity) is
 * still known to name a catalog. Words inside string literals and comments are not names, but
 * for the statement {@code EXECUTE IMMEDIATE '...'} runs.
 */
final class StatementNames
{
    private StatementNames() {}

    static Set<String> of(String statement)
    {
        SqlBaseLexer lexer = new SqlBaseLexer(CharStreams.fromString(statement));
        // a statement Trino could not read is still scanned for the names it has
        lexer.removeErrorListeners();
        ImmutableSet.Builder<String> names = ImmutableSet.builder();
        int position = 0;
        boolean executeImmediate = false;
        for (Token token = lexer.nextToken(); token.getType() != Token.EOF; token = lexer.nextToken()) {
            if (token.getChannel() != Token.DEFAULT_CHANNEL) {
                continue;
            }
            String text = token.getText();
            position++;
            if (position == 2 && executeImmediate) {
                executeImmediate = token.getType() == SqlBaseLexer.IMMEDIATE;
            }
            if (position == 1) {
                executeImmediate = token.getType() == SqlBaseLexer.EXECUTE;
            }
            switch (token.getType()) {
                case SqlBaseLexer.STRING -> {
                    if (executeImmediate && position == 3) {
                        names.addAll(of(text.substring(1, text.length() - 1).replace("''", "'")));
                    }
                }
                case SqlBaseLexer.UNICODE_STRING, SqlBaseLexer.BINARY_LITERAL -> {}
                case SqlBaseLexer.QUOTED_IDENTIFIER -> names.add(text.substring(1, text.length() - 1).replace("\"\"", "\"").toLowerCase(Locale.ROOT));
                case SqlBaseLexer.BACKQUOTED_IDENTIFIER -> names.add(text.substring(1, text.length() - 1).replace("``", "`").toLowerCase(Locale.ROOT));
                // unquoted names, keywords among them, since a catalog may be named like a non-reserved keyword
                default -> names.add(text.toLowerCase(Locale.ROOT));
            }
        }
        return names.build();
    }
}
