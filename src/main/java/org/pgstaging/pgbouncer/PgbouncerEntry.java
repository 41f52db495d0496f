package org.pgstaging.pgbouncer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The connection string of one {@code [databases]} line, e.g. {@code dbname=foodb_20261124 host=127.0.0.1 port=5432}:
 * space-separated {@code key=value} pairs, a value single-quoted when it holds spaces, a quote written twice
 * inside quotes (pgbouncer's syntax, checked against pgbouncer 1.18: {@code dbname='it''s'} is {@code it's}).
 * Pairs keep their order so a rewritten line reads like the original.
 */
public final class PgbouncerEntry {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Values that need no quotes; anything else is quoted, which pgbouncer always accepts. */
    private static final Pattern BARE_VALUE = Pattern.compile("[A-Za-z0-9_.:/@,+%-]+");

    private final Map<String, String> params;

    private PgbouncerEntry(Map<String, String> params) {
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static PgbouncerEntry of(Map<String, String> params) {
        params.forEach(PgbouncerEntry::checkPair);
        return new PgbouncerEntry(params);
    }

    /** Parses a connection string as pgbouncer does; an empty string is valid (dbname defaults to the entry name). */
    public static PgbouncerEntry parse(String connstr) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = connstr.length();
        while (true) {
            while (i < n && Character.isWhitespace(connstr.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return new PgbouncerEntry(params);
            }
            int keyStart = i;
            while (i < n && connstr.charAt(i) != '=' && !Character.isWhitespace(connstr.charAt(i))) {
                i++;
            }
            String key = connstr.substring(keyStart, i);
            while (i < n && Character.isWhitespace(connstr.charAt(i))) {
                i++;
            }
            if (i >= n || connstr.charAt(i) != '=' || !KEY.matcher(key).matches()) {
                throw invalid(connstr, "expected key=value at '" + connstr.substring(keyStart) + "'");
            }
            i++;
            while (i < n && Character.isWhitespace(connstr.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && connstr.charAt(i) == '\'') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw invalid(connstr, "the quoted value of '" + key + "' has no closing quote");
                    }
                    char c = connstr.charAt(i++);
                    if (c == '\'') {
                        if (i < n && connstr.charAt(i) == '\'') {
                            value.append('\'');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        value.append(c);
                    }
                }
            } else {
                while (i < n && !Character.isWhitespace(connstr.charAt(i))) {
                    value.append(connstr.charAt(i++));
                }
            }
            params.put(key, value.toString());
        }
    }

    private static PgbouncerException invalid(String connstr, String what) {
        return new PgbouncerException("Invalid pgbouncer connection string \"" + redact(connstr) + "\": " + redact(what),
                "write it as space-separated key=value pairs, e.g. dbname=foodb host=127.0.0.1 port=5432; "
                        + "quote values holding spaces with single quotes");
    }

    private static void checkPair(String key, String value) {
        if (!KEY.matcher(key).matches()) {
            throw new PgbouncerException("Invalid pgbouncer connection parameter name '" + key + "'",
                    "use a name such as dbname, host, port, user, pool_size");
        }
        if (value.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            throw new PgbouncerException("The value of connection parameter '" + key + "' contains a line break",
                    "pgbouncer.ini entries are single lines: remove the line break");
        }
    }

    public Map<String, String> params() {
        return params;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(params.get(key));
    }

    /** A copy with {@code key} set (kept in place when already present, else appended). */
    public PgbouncerEntry with(String key, String value) {
        checkPair(key, value);
        Map<String, String> copy = new LinkedHashMap<>(params);
        copy.put(key, value);
        return new PgbouncerEntry(copy);
    }

    /** The database pgbouncer connects to for an entry named {@code entryName}: dbname, or the entry's own name. */
    public String databaseFor(String entryName) {
        return get("dbname").orElse(entryName);
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(k).append('=').append(quoteValue(v));
        });
        return sb.toString();
    }

    static String quoteValue(String value) {
        return BARE_VALUE.matcher(value).matches() ? value : "'" + value.replace("'", "''") + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgbouncerEntry other && params.equals(other.params);
    }

    @Override
    public int hashCode() {
        return params.hashCode();
    }

    /** For messages and logs: the string with any password value masked. */
    @Override
    public String toString() {
        return redact(format());
    }

    private static final Pattern PASSWORD = Pattern.compile("(password\\s*=\\s*)('(?:[^']|'')*'?|\\S*)",
            Pattern.CASE_INSENSITIVE);

    /** Masks password values in a connection string (or any text quoting one) before it reaches a message. */
    public static String redact(String text) {
        return PASSWORD.matcher(text).replaceAll("$1***");
    }
}
