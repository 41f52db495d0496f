package org.pgstaging.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean": nearest names by edit distance, so typos in commands and sections get a useful hint. */
final class Suggestions {
    private static final int MAX = 3;

    private Suggestions() {}

    /** Up to three candidates close to {@code word}, nearest first; empty when nothing is close. */
    static List<String> nearest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, w.length() / 3);
        List<String> close = new ArrayList<>();
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            if (distance(w, lc) <= limit || (w.length() >= 3 && (lc.startsWith(w) || lc.contains(w)))) {
                close.add(c);
            }
        }
        close.sort(Comparator.comparingInt((String c) -> distance(w, c.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
        return close.size() > MAX ? close.subList(0, MAX) : close;
    }

    /** "did you mean 'a' or 'b'?" or null when there is no close name. */
    static String didYouMean(String word, Collection<String> candidates) {
        List<String> near = nearest(word, candidates);
        if (near.isEmpty()) return null;
        StringBuilder sb = new StringBuilder("did you mean ");
        for (int i = 0; i < near.size(); i++) {
            if (i > 0) sb.append(i == near.size() - 1 ? " or " : ", ");
            sb.append('\'').append(near.get(i)).append('\'');
        }
        return sb.append('?').toString();
    }

    /** Levenshtein distance; names are short, so the quadratic table is fine. */
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
