package org.pgstaging.slack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where text may be cut without breaking a character people see: between extended grapheme
 * clusters, so neither a surrogate pair nor an emoji sequence (👨‍👩‍👧, 🇫🇷, 👍🏽) nor a letter and its
 * accents come apart. Lengths stay in UTF-16 units, the most Slack can count for a string, so a
 * piece that fits by this measure fits Slack's limits however Slack counts.
 */
final class Graphemes {
    /**
     * Java 17's {@code \X} follows Unicode's extended grapheme clusters; its
     * {@code BreakIterator.getCharacterInstance()} still splits emoji sequences at the joiners.
     */
    private static final Pattern CLUSTER = Pattern.compile("\\X");

    private Graphemes() {}

    /** The last cluster boundary at or before {@code index} (0 and the length are boundaries). */
    static int boundaryAtOrBefore(String s, int index) {
        if (index >= s.length()) return s.length();
        int last = 0;
        Matcher m = CLUSTER.matcher(s);
        while (m.find() && m.end() <= index) last = m.end();
        return last;
    }

    /** The first cluster boundary at or after {@code index}. */
    static int boundaryAtOrAfter(String s, int index) {
        if (index <= 0) return 0;
        Matcher m = CLUSTER.matcher(s);
        while (m.find()) {
            if (m.end() >= index) return m.end();
        }
        return s.length();
    }

    /** The longest start of {@code s} at most {@code max} units long that ends between clusters. */
    static String prefix(String s, int max) {
        return s.substring(0, boundaryAtOrBefore(s, Math.max(0, max)));
    }

    /** The longest end of {@code s} at most {@code max} units long that starts between clusters. */
    static String suffix(String s, int max) {
        return s.substring(boundaryAtOrAfter(s, s.length() - Math.max(0, max)));
    }

    /** How many characters a reader sees. */
    static int count(String s) {
        int n = 0;
        Matcher m = CLUSTER.matcher(s);
        while (m.find()) n++;
        return n;
    }
}
