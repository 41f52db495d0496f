package org.pgstaging;

import java.util.Locale;

/**
 * How pgstaging writes a byte count, in every face and message: 1024-based like PostgreSQL's
 * pg_size_pretty (so figures match what DBAs see in psql) with its unit names, one decimal below
 * 100 and none above: {@code 512 bytes}, {@code 995.3 kB}, {@code 1.2 GB}, {@code 120 MB}.
 */
public final class Sizes {
    private static final String[] UNITS = {"bytes", "kB", "MB", "GB", "TB", "PB"};

    private Sizes() {}

    /** {@code bytes} (at least 0) in words. */
    public static String human(long bytes) {
        if (bytes < 1024) return bytes + " bytes";
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 99.95 ? "%.0f %s" : "%.1f %s", v, UNITS[u]);
    }
}
