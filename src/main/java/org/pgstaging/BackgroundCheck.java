package org.pgstaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A short check run on a daemon thread of its own while the caller makes another, so that two
 * servers' round trips overlap rather than add up; {@link #await} throws what the check threw, as
 * if it had run in place.
 */
public final class BackgroundCheck {
    private final CompletableFuture<Void> done;

    private BackgroundCheck(CompletableFuture<Void> done) {
        this.done = done;
    }

    /** Starts {@code check} on a daemon thread named {@code threadName}. */
    public static BackgroundCheck start(String threadName, Runnable check) {
        return new BackgroundCheck(CompletableFuture.runAsync(check, work -> {
            Thread t = new Thread(work, threadName);
            t.setDaemon(true);
            t.start();
        }));
    }

    /** A check with nothing to do. */
    public static BackgroundCheck none() {
        return new BackgroundCheck(CompletableFuture.completedFuture(null));
    }

    /** Waits for the check (uninterruptibly: it is short and bounded by its own timeouts) and throws what it threw. */
    public void await() {
        try {
            done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }
}
