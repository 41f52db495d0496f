package org.pgstaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The one policy behind every "did you mean ...?" (options, sections, commands, dates, Slack
 * sub-commands): a candidate is near when its edit distance to the word, ignoring case, is at most
 * a third of the word (at least 2), or when it contains a word of 3 letters or more; the nearest
 * come first, three at most. Each face words the hint its own way.
 */
public final class DidYouMean {
    private static final int MAX = 3;

    private DidYouMean() {}

    /** Up to three candidates near {@code word}, nearest first; empty when none is. */
    public static List<String> nearest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, w.length() / 3);
        List<String> close = new ArrayList<>();
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            if (distance(w, lc) <= limit || (w.length() >= 3 && lc.contains(w))) close.add(c);
        }
        close.sort(Comparator.comparingInt((String c) -> distance(w, c.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
        return close.size() > MAX ? List.copyOf(close.subList(0, MAX)) : List.copyOf(close);
    }

    /** Levenshtein distance; names are short, so two rows of the table are enough. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
