package org.pgstaging.cli;

import java.util.Collection;
import java.util.List;

/** "Did you mean ...?" worded for the console (quoted names), over {@link org.pgstaging.DidYouMean}. */
final class Suggestions {
    private Suggestions() {}

    /** Up to three candidates near {@code word}: {@link org.pgstaging.DidYouMean#nearest}. */
    static List<String> nearest(String word, Collection<String> candidates) {
        return org.pgstaging.DidYouMean.nearest(word, candidates);
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

}
