package org.pgstaging.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Server settings (GUCs) for the sessions of pg_restore, from {@code restore_settings}: e.g.
 * {@code maintenance_work_mem=1GB, synchronous_commit=off}, as PostgreSQL's "Populating a Database"
 * advises for a bulk load. They reach pg_restore through libpq's PGOPTIONS, so names and values are
 * kept to characters that need no quoting there (no spaces, quotes, backslashes or commas).
 *
 * @param values   setting name to value, in the order written
 * @param explicit false when these are pgstaging's defaults: a default memory size then only
 *                 raises the server's value, never lowers it
 */
public record SessionSettings(Map<String, String> values, boolean explicit) {
    /** What pgstaging uses when restore_settings is not written. */
    public static final SessionSettings DEFAULTS = new SessionSettings(
            ordered("maintenance_work_mem", "1GB", "synchronous_commit", "off"), false);
    public static final SessionSettings NONE = new SessionSettings(Map.of(), true);

    /** A setting name as SET accepts it, with an optional extension prefix (e.g. pg_stat_statements.track). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    /** Sizes (1GB), numbers (0.5, -1), words (off), times (5min), zones (Europe/Paris, UTC+1). */
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:/+-]+");

    public SessionSettings {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Parses the option's value; blank or {@code none} means no setting (the server's own values).
     *
     * @throws IllegalArgumentException naming the faulty item
     */
    public static SessionSettings parse(String text) {
        String v = text.strip();
        if (v.isEmpty() || v.equalsIgnoreCase("none")) return NONE;
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : Section.splitList(v)) {
            int eq = item.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("'" + item + "' has no '=': write name=value");
            String name = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = item.substring(eq + 1).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + item.substring(0, eq).strip() + "' is not a setting name");
            }
            if (!VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("the value of " + name + " ('" + value + "') is empty or has a character"
                        + " other than letters, digits and _ . : / + -");
            }
            if (out.put(name, value) != null) {
                throw new IllegalArgumentException(name + " is set twice");
            }
        }
        return new SessionSettings(out, true);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** libpq's PGOPTIONS form: {@code -c name=value -c name=value}. */
    public String pgOptions() {
        return values.entrySet().stream().map(e -> "-c " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** {@code name = value, name = value}, for messages and dry runs. */
    @Override
    public String toString() {
        return isEmpty() ? "none"
                : values.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
