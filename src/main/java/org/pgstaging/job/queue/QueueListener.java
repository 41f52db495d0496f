package org.pgstaging.job.queue;

import org.pgstaging.job.store.Job;

/**
 * Told about every change, in the order they were committed, on one event thread outside any
 * database transaction. A listener that throws is logged and does not disturb the queue or
 * the other listeners; a slow one delays only later events.
 */
public interface QueueListener {
    void jobChanged(JobEvent event);

    /** A running job reported progress ({@code text} is the newest, {@code job} as last stored). */
    default void progress(Job job, String text) {
    }

    /**
     * The store's history moved on, perhaps through another process sharing it (another replica's
     * decision, a job it runs): whatever shows the whole queue may be stale. Checked every poll.
     */
    default void storeMoved() {
    }
}
