package org.pgstaging.slack;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers as people read them in chat: sizes like pg_size_pretty, short durations, rates. */
public final class Human {
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm");

    private Human() {}

    /** {@link org.pgstaging.Sizes#human}; -1 reads "missing". */
    public static String bytes(long n) {
        return n < 0 ? "missing" : org.pgstaging.Sizes.human(n);
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
