package org.pgstaging.catalog;

import java.util.List;
import java.util.Optional;

/**
 * What a trigger's {@code CREATE TRIGGER} definition says: which table it is on and which function it calls.
 * Names are exact (unquoted), e.g. schema {@code Sales Data}, function {@code touch updated}.
 *
 * @param trigger        trigger name
 * @param tableSchema    schema of the table, null if the definition did not qualify it
 * @param table          table name
 * @param functionSchema schema of the function; {@code pg_catalog} when unqualified, because pg_dump
 *                       (10.3 and later) writes definitions with an empty search_path
 * @param function       function name
 */
public record TriggerDefinition(String trigger, String tableSchema, String table,
                                String functionSchema, String function) {

    /** Enough tokens for any trigger header; the WHEN clause and arguments may be long but sit before EXECUTE. */
    private static final int MAX_TOKENS = 100_000;

    /** {@code schema.function} as a user reads it. */
    public String qualifiedFunction() {
        return functionSchema + "." + function;
    }

    /**
     * Parses a pg_dump trigger definition such as
     * {@code CREATE TRIGGER "touch ""items""" BEFORE UPDATE ON "Sales Data"."Order ""Items""" FOR EACH ROW
     * EXECUTE FUNCTION "Sales Data"."touch updated"();}. Empty when the text is not a trigger definition.
     */
    public static Optional<TriggerDefinition> parse(String defn) {
        if (defn == null) return Optional.empty();
        List<SqlTokens.Token> t = SqlTokens.tokenize(defn, MAX_TOKENS);
        int i = 0;
        if (i >= t.size() || !t.get(i).isWord("CREATE")) return Optional.empty();
        i++;
        if (i + 1 < t.size() && t.get(i).isWord("OR") && t.get(i + 1).isWord("REPLACE")) i += 2;
        if (i < t.size() && t.get(i).isWord("CONSTRAINT")) i++;
        if (i >= t.size() || !t.get(i).isWord("TRIGGER")) return Optional.empty();
        i++;
        if (i >= t.size() || !t.get(i).isIdentifier()) return Optional.empty();
        String trigger = t.get(i).text();
        i++;
        String[] table = null;
        String[] function = null;
        int depth = 0;
        for (; i < t.size(); i++) {
            SqlTokens.Token tok = t.get(i);
            if (tok.isPunct('(')) {
                depth++;
            } else if (tok.isPunct(')')) {
                depth--;
            } else if (depth == 0 && table == null && tok.isWord("ON")) {
                table = SqlTokens.qualifiedName(t, i + 1);
            } else if (depth == 0 && tok.isWord("EXECUTE") && i + 1 < t.size()
                    && (t.get(i + 1).isWord("FUNCTION") || t.get(i + 1).isWord("PROCEDURE"))) {
                function = SqlTokens.qualifiedName(t, i + 2);
                break;
            }
        }
        if (table == null || function == null) return Optional.empty();
        String functionSchema = function[0] == null ? "pg_catalog" : function[0];
        return Optional.of(new TriggerDefinition(trigger, table[0], table[1], functionSchema, function[1]));
    }
}
