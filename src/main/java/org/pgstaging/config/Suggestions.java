package org.pgstaging.config;

import java.util.Collection;
import java.util.List;

/** "Did you mean ...?" worded for configuration errors (bare names), over {@link org.pgstaging.DidYouMean}. */
final class Suggestions {
    private Suggestions() {}

    /** The candidates near {@code word}: {@link org.pgstaging.DidYouMean#nearest}. */
    static List<String> nearest(String word, Collection<String> candidates) {
        return org.pgstaging.DidYouMean.nearest(word, candidates);
    }

    /** " (did you mean a or b?)" or "" when nothing is close. */
    static String didYouMean(String word, Collection<String> candidates) {
        List<String> near = nearest(word, candidates);
        return near.isEmpty() ? "" : "did you mean " + String.join(" or ", near) + "?";
    }
}
