package org.pgstaging.slack;

import org.pgstaging.restore.RestoreEvent;

/** What the backend tells the bot about jobs; called from the queue's threads, so implementations hand off quickly. */
public interface BotJobListener {
    /** Status, position or decision changed. */
    void jobChanged(BotJob job);

    /** A step started, progressed or finished while the job runs. */
    void jobProgress(BotJob job, RestoreEvent event);

    /**
     * pgstaging stopped while the job ran and, at the next start, cleaned up after it ({@code cleanup} says
     * what was done). {@code requeued}: it runs again by itself; otherwise it stays failed or cancelled.
     */
    default void jobInterrupted(BotJob job, String cleanup, boolean requeued) {
    }
}
