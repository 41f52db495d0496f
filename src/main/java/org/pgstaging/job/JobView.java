package org.pgstaging.job;

import java.time.Instant;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;

/**
 * A job as faces show it, read at one moment. {@code position} is 1-based in the queue (0 when not
 * queued); estimates are null when the queue has no history to estimate from. A job interrupted by a
 * restart shows as FAILED until recovery queues it again.
 */
public record JobView(String id, JobKind kind, String section, String date, String database,
                      String requesterId, JobState state, int position,
                      Instant estimatedStart, Instant estimatedFinish,
                      Decision decision, Failure failure, Instant submittedAt, Instant finishedAt) {

    /** Who approved or denied, when, and why (reason only for denials). */
    public record Decision(String userId, boolean approved, Instant at, String reason) { }

    /** Plain-words error, how to fix it, the step that failed (a {@code Step} label) and what was cleaned up after it. */
    public record Failure(String message, String hint, String step, String cleanup) { }

    /** No further change will come: a retry makes another job. */
    public boolean finished() {
        return state.isFinal();
    }

    public JobView withState(JobState s) {
        return new JobView(id, kind, section, date, database, requesterId, s, position, estimatedStart,
                estimatedFinish, decision, failure, submittedAt, finishedAt);
    }
}
