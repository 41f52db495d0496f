package org.pgstaging.slack;

import java.util.Collection;
import java.util.Optional;

/** The closest known word to a typo, so an error can say "did you mean …". */
public final class Nearest {
    private Nearest() {}

    /** The nearest candidate ({@link org.pgstaging.DidYouMean#nearest}); empty when none is near. */
    public static Optional<String> of(String word, Collection<String> candidates) {
        return org.pgstaging.DidYouMean.nearest(word, candidates).stream().findFirst();
    }
}
