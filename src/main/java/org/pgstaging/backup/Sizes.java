package org.pgstaging.backup;

/** Byte counts for messages. */
final class Sizes {
    private Sizes() { }

    /** {@code 1019193} -> {@code 995.3 KiB}. */
    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String units = "KMGTPE";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %siB", v, units.charAt(u));
    }
}
