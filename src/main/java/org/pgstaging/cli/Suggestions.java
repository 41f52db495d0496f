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

    static int distance(String a, String b) {
        return org.pgstaging.EditDistance.between(a, b);
    }
}
