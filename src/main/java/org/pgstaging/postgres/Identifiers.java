package org.pgstaging.postgres;

import java.util.ArrayList;
import java.util.List;
import org.pgstaging.PgStagingException;

/** SQL identifier quoting and the parsing of identifier lists users write in the ini file. */
public final class Identifiers {
    private Identifiers() {}

    /** Always quotes, so reserved words, upper case, spaces and quotes are all safe. */
    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new PgStagingException("invalid SQL identifier '" + identifier + "'", "names must be non-empty text");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Quotes a string literal for the few statements that cannot take parameters. */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new PgStagingException("invalid text value", "remove the NUL character");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * Parses a search_path as written in the ini, e.g. {@code "$user", public, "Sales Data"}: comma-separated
     * identifiers, double-quoted or bare. Returns the names unquoted so they can be re-quoted safely.
     */
    public static List<String> parseList(String text) {
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            if (i >= n) break;
            StringBuilder name = new StringBuilder();
            if (text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) throw badList(text, "unterminated quoted name");
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') { name.append('"'); i++; } else break;
                    } else {
                        name.append(c);
                    }
                }
            } else {
                while (i < n && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '"' || c == ';' || c == '\'') throw badList(text, "unexpected " + c);
                    name.append(c);
                }
            }
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            if (i < n && text.charAt(i) != ',') throw badList(text, "expected a comma after " + name);
            i++;
            if (name.length() == 0) throw badList(text, "empty name");
            names.add(name.toString());
        }
        if (names.isEmpty()) throw badList(text, "no names");
        return names;
    }

    private static PgStagingException badList(String text, String why) {
        return new PgStagingException("invalid name list '" + text + "': " + why,
                "write names separated by commas, double-quoting names with spaces or capitals, e.g. \"$user\", public");
    }
}
