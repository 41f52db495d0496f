package org.pgstaging.host;

/** Orders version strings such as {@code 0.1.0}, {@code 0.2.0-SNAPSHOT}: numbers numerically, a pre-release before its release. */
final class VersionOrder {
    private VersionOrder() {}

    static int compare(String a, String b) {
        String[] pa = a.split("-", 2);
        String[] pb = b.split("-", 2);
        String[] na = pa[0].split("\\.");
        String[] nb = pb[0].split("\\.");
        for (int i = 0; i < Math.max(na.length, nb.length); i++) {
            int c = Long.compare(number(na, i), number(nb, i));
            if (c != 0) return c;
        }
        if (pa.length != pb.length) return pa.length > pb.length ? -1 : 1;   // 1.0-SNAPSHOT < 1.0
        return pa.length == 2 ? pa[1].compareTo(pb[1]) : 0;
    }

    private static long number(String[] parts, int i) {
        if (i >= parts.length) return 0;
        try {
            return Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
