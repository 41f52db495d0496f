package org.pgstaging.job.queue;

/**
 * What a running job tells the queue. Each call is stored (last_progress_at/progress feed the
 * stall watcher) and passed to listeners; callable from any thread.
 */
@FunctionalInterface
public interface ProgressReporter {
    void progress(String text);

    /** The dump size once known, so estimates for this job get better while it runs. */
    default void dumpBytes(long bytes) {
    }

    /**
     * The database being made, as soon as it is resolved: stored at once so that, if the process
     * dies, the {@link InterruptedJobHandler} knows what to clean.
     */
    default void targetDatabase(String database) {
    }
}
