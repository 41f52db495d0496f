package org.pgstaging.slack;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers as people read them in chat: sizes like pg_size_pretty, short durations, rates. */
public final class Human {
    private static final String[] UNITS = {"bytes", "kB", "MB", "GB", "TB", "PB"};
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm");

    private Human() {}

    /** 1024-based like PostgreSQL's pg_size_pretty, so figures match what DBAs see in psql; -1 reads "missing". */
    public static String bytes(long n) {
        if (n < 0) return "missing";
        if (n < 1024) return n + " bytes";
        double v = n;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, UNITS[u]);
    }

    public static String rate(double bytesPerSecond) {
        return bytes((long) bytesPerSecond) + "/s";
    }

    public static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
    }

    /** Slack renders {@code <!date^…>} in each reader's own time zone; the fallback is the server's. */
    public static String time(Instant t) {
        return "<!date^" + t.getEpochSecond() + "^{date_short_pretty} {time}|" + HHMM.format(t.atZone(ZoneId.systemDefault())) + ">";
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
