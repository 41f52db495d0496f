package org.pgstaging.cli;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, rates and durations for tables and progress lines. */
final class Human {
    private Human() {}

    /** {@link org.pgstaging.Sizes#human}; "-" for unknown (&lt; 0). */
    static String size(long bytes) {
        return bytes < 0 ? "-" : org.pgstaging.Sizes.human(bytes);
    }

    static String rate(double bytesPerSecond) {
        return bytesPerSecond <= 0 ? "" : size((long) bytesPerSecond) + "/s";
    }

    /** {@code 0.4s}, {@code 12.3s}, {@code 2m05s}, {@code 1h02m03s}; "-" for null. */
    static String duration(Duration d) {
        if (d == null) return "-";
        long millis = d.toMillis();
        if (millis < 60_000) return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        long s = millis / 1000;
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
    }

    /** ETA as {@code m:ss} or {@code h:mm:ss}. */
    static String clock(long seconds) {
        if (seconds < 3600) return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    }
}
