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

    static int distance(String a, String b) {
        return org.pgstaging.EditDistance.between(a, b);
    }

    /** " (did you mean a or b?)" or "" when nothing is close. */
    static String didYouMean(String word, Collection<String> candidates) {
        List<String> near = nearest(word, candidates);
        return near.isEmpty() ? "" : "did you mean " + String.join(" or ", near) + "?";
    }
}
