package org.pgstaging.slack;

import java.util.Collection;
import java.util.Optional;

/** The closest known word to a typo, so an error can say "did you mean …". */
public final class Nearest {
    private Nearest() {}

    /** Empty when nothing is close enough to be a plausible typo. */
    public static Optional<String> of(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = c.startsWith(word) && !word.isEmpty() ? 1 : distance(word, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int tolerance = Math.max(2, word.length() / 3);
        return best != null && bestDistance <= tolerance ? Optional.of(best) : Optional.empty();
    }

    static int distance(String a, String b) {
        return org.pgstaging.EditDistance.between(a, b);
    }
}
