package org.pgstaging.postgres;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL memory sizes as written in settings ({@code 1GB}, {@code 65536kB}) and as units of pg_settings ({@code 8kB}). */
final class MemorySize {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|kB|MB|GB|TB)?");

    private MemorySize() { }

    /** Bytes of {@code text}, e.g. 1GB; -1 when it is not a size with one of PostgreSQL's units (a bare number has the setting's own unit). */
    static long bytes(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches() || m.group(2) == null) return -1;
        return Long.parseLong(m.group(1)) * unitBytes(m.group(2));
    }

    /** Bytes of one unit of pg_settings ({@code B}, {@code kB}, {@code 8kB}, {@code MB}...); -1 when not a memory unit. */
    static long unitBytes(String unit) {
        if (unit == null) return -1;
        Matcher m = Pattern.compile("(\\d*)(B|kB|MB|GB|TB)").matcher(unit);
        if (!m.matches()) return -1;
        long factor = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
        long base = switch (m.group(2)) {
            case "B" -> 1L;
            case "kB" -> 1024L;
            case "MB" -> 1024L * 1024;
            case "GB" -> 1024L * 1024 * 1024;
            default -> 1024L * 1024 * 1024 * 1024;
        };
        return factor * base;
    }
}
