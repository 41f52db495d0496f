package org.pgstaging.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into words, quoted identifiers, string literals and punctuation, which is enough to read
 * the names out of the definitions pg_dump writes without being fooled by quotes, spaces, dots or keywords
 * inside names and literals.
 */
final class SqlTokens {
    enum Kind { WORD, QUOTED, STRING, PUNCT }

    record Token(Kind kind, String text) {
        boolean isWord(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isPunct(char c) {
            return kind == Kind.PUNCT && text.length() == 1 && text.charAt(0) == c;
        }

        boolean isIdentifier() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }
    }

    private SqlTokens() {}

    /** Tokens of {@code sql} up to {@code limit} tokens (definitions can be long; callers need the start). */
    static List<Token> tokenize(String sql, int limit) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n && out.size() < limit) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') i++;
            } else if (c == '"') {
                StringBuilder b = new StringBuilder();
                i = readQuoted(sql, i, '"', false, b);
                out.add(new Token(Kind.QUOTED, b.toString()));
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder();
                i = readQuoted(sql, i, '\'', false, b);
                out.add(new Token(Kind.STRING, b.toString()));
            } else if ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                StringBuilder b = new StringBuilder();
                i = readQuoted(sql, i + 1, '\'', true, b);
                out.add(new Token(Kind.STRING, b.toString()));
            } else if (isWordStart(c)) {
                int start = i;
                while (i < n && isWordPart(sql.charAt(i))) i++;
                out.add(new Token(Kind.WORD, sql.substring(start, i)));
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c)));
                i++;
            }
        }
        return out;
    }

    /** Reads a quoted run starting at the opening quote; a doubled quote stands for one. Returns the next index. */
    private static int readQuoted(String s, int open, char q, boolean backslashEscapes, StringBuilder into) {
        int i = open + 1;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\' && i + 1 < n) {
                into.append(s.charAt(i + 1));
                i += 2;
            } else if (c == q) {
                if (i + 1 < n && s.charAt(i + 1) == q) {
                    into.append(q);
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                into.append(c);
                i++;
            }
        }
        return n;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c > 127;
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || c == '$';
    }

    /** Reads an identifier given as one or two dotted parts: the first word is the schema when there are two. */
    static String[] qualifiedName(List<Token> tokens, int at) {
        if (at >= tokens.size() || !tokens.get(at).isIdentifier()) return null;
        String first = tokens.get(at).text();
        if (at + 2 < tokens.size() && tokens.get(at + 1).isPunct('.') && tokens.get(at + 2).isIdentifier()) {
            return new String[] {first, tokens.get(at + 2).text()};
        }
        return new String[] {null, first};
    }

    /** Reads one identifier that may be double-quoted ({@code "Sales Data"} or {@code app}) from the whole text. */
    static String identifier(String text) {
        String t = text.trim();
        if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
            StringBuilder b = new StringBuilder();
            int end = readQuoted(t, 0, '"', false, b);
            if (end == t.length()) return b.toString();
        }
        return t;
    }
}
