package org.pgstaging.job;

import java.time.Duration;
import org.pgstaging.restore.RestoreEvent;

/** What the job layer tells a face about jobs; called from the queue's threads, so implementations hand off quickly. */
public interface JobListener {
    /** State, position or decision changed. */
    void jobChanged(JobView job);

    /** A step started, progressed or finished while the job runs. */
    void jobProgress(JobView job, RestoreEvent event);

    /**
     * Jobs may have moved without this listener hearing of each (another bot sharing the state
     * decided or ran something): a view of the whole queue should be read again. Every few seconds
     * at most.
     */
    default void jobsMoved() {
    }

    /**
     * pgstaging stopped while the job ran and, at the next start, cleaned up after it ({@code cleanup} says
     * what was done). {@code requeued}: it runs again by itself; otherwise it stays failed or cancelled.
     */
    default void jobInterrupted(JobView job, String cleanup, boolean requeued) {
    }

    /**
     * A running job has reported nothing for {@code silent} (at least {@code stall_minutes}): told once
     * per silence, again only after it has shown progress and gone quiet anew.
     */
    default void jobStalled(JobView job, Duration silent) {
    }
}
