package org.pgstaging.catalog;

import java.util.List;
import java.util.Optional;

/**
 * The two tables of a pg_dump foreign key definition, {@code ALTER TABLE ONLY app.orders ADD
 * CONSTRAINT orders_event_fkey FOREIGN KEY (event_id) REFERENCES audit.events(id);}: which table
 * holds the key and which one it references. Schemas are null when the definition does not name them.
 */
record ForeignKeyDefinition(String schema, String table, String referencedSchema, String referencedTable) {
    private static final int MAX_TOKENS = 10_000;

    static Optional<ForeignKeyDefinition> parse(String defn) {
        if (defn == null) return Optional.empty();
        List<SqlTokens.Token> t = SqlTokens.tokenize(defn, MAX_TOKENS);
        int i = 0;
        if (t.size() < 3 || !t.get(0).isWord("ALTER") || !t.get(1).isWord("TABLE")) return Optional.empty();
        i = 2;
        if (t.get(i).isWord("ONLY")) i++;
        String[] own = SqlTokens.qualifiedName(t, i);
        if (own == null) return Optional.empty();
        int depth = 0;
        for (; i < t.size(); i++) {
            SqlTokens.Token tok = t.get(i);
            if (tok.isPunct('(')) depth++;
            else if (tok.isPunct(')')) depth--;
            else if (depth == 0 && tok.isWord("REFERENCES")) {
                String[] ref = SqlTokens.qualifiedName(t, i + 1);
                if (ref == null) return Optional.empty();
                return Optional.of(new ForeignKeyDefinition(own[0], own[1], ref[0], ref[1]));
            }
        }
        return Optional.empty();
    }
}
