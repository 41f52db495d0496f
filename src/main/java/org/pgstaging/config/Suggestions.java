package org.pgstaging.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** "Did you mean ...?" for misspelt option and section names, by edit distance. */
final class Suggestions {
    private Suggestions() {}

    /** The candidates closest to {@code word}, if close enough to be a plausible typo; best first. */
    static List<String> nearest(String word, Collection<String> candidates) {
        int limit = Math.max(2, word.length() / 3);
        int best = Integer.MAX_VALUE;
        List<String> found = new ArrayList<>();
        for (String c : candidates) {
            int d = distance(word, c);
            if (d > limit || d > best) continue;
            if (d < best) {
                best = d;
                found.clear();
            }
            found.add(c);
        }
        return found;
    }

    /** Levenshtein distance, two rows. */
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

    /** " (did you mean a or b?)" or "" when nothing is close. */
    static String didYouMean(String word, Collection<String> candidates) {
        List<String> near = nearest(word, candidates);
        return near.isEmpty() ? "" : "did you mean " + String.join(" or ", near) + "?";
    }
}
