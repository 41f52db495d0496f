package org.pgstaging.slack;

import java.time.Instant;

/**
 * A job as the bot shows it. {@code position} is 1-based in the queue (0 when not queued);
 * estimates may be null when the queue has no history to estimate from.
 */
public record BotJob(String id, JobKind kind, String section, String date, String database,
                     String requesterId, JobStatus status, int position,
                     Instant estimatedStart, Instant estimatedFinish,
                     Decision decision, Failure failure, Instant submittedAt, Instant finishedAt) {

    /** Who approved or denied, when, and why (reason only for denials). */
    public record Decision(String userId, boolean approved, Instant at, String reason) { }

    /** Plain-words error, how to fix it and what was cleaned up after the failure. */
    public record Failure(String message, String hint, String cleanup) { }

    public BotJob withStatus(JobStatus s) {
        return new BotJob(id, kind, section, date, database, requesterId, s, position, estimatedStart,
                estimatedFinish, decision, failure, submittedAt, finishedAt);
    }
}
