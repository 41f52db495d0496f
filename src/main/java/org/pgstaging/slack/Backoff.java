package org.pgstaging.slack;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pause before trying again after failures in a row: doubling from a base up to a cap, each
 * drawn between half and all of it, so that callers failing together do not all come back at once.
 */
final class Backoff {
    /** How long a post or an edit is tried again through network and server errors before it is given up. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(15);

    private final long baseMillis;
    private final long capMillis;

    Backoff(Duration base, Duration cap) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    /** The pause after {@code failures} (1 or more) failures in a row. */
    long millis(int failures) {
        long full = baseMillis << Math.min(Math.max(0, failures - 1), 20);
        full = Math.min(capMillis, full);
        return full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
    }
}
