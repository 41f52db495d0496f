package org.pgstaging.job.store;

import org.pgstaging.job.model.JobState;
import org.pgstaging.job.model.JobKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of the jobs table, as read at one moment. Nullable components are null when
 * the job has not reached that point (e.g. {@code startedAt} of a queued job).
 *
 * @param attempt     how many times the job was re-queued after an interruption
 * @param queueSeq    order among queued jobs of a server, assigned at approval (lower runs first)
 * @param retryOf     the job this one retries, if any
 * @param cancelRequestedBy who asked a running job to stop (kept so a restart does not re-run it)
 * @param failureHint how to fix what {@code error} says went wrong, when known
 * @param failedStep  the step that failed ({@code Step} name), when known
 * @param owner       the bot (replica) that runs or last ran the job, as {@link Replica#name()} says
 * @param heartbeatAt when that replica last said it still runs the job (the state database's clock)
 */
public record Job(long id, JobKind kind, String section, String dateSpec, String targetDatabase, String serverKey,
                  JobState state, String requestedBy, Instant requestedAt, String approvedBy, Instant approvedAt,
                  String deniedBy, String denyReason, Instant startedAt, Instant finishedAt, String error,
                  String cleanup, String channel, String messageTs, String threadTs, String approvalChannel,
                  String approvalTs, int attempt, Long queueSeq, Instant lastProgressAt, String progress,
                  Long dumpBytes, Long durationMs, Long retryOf, String cancelRequestedBy, String failureHint,
                  String failedStep, String owner, Instant heartbeatAt) {

    /** Wall time of a finished job. */
    public Optional<Duration> duration() {
        return Optional.ofNullable(durationMs).map(Duration::ofMillis);
    }

    /** Last time a running job showed it was alive: its last progress, else its start. */
    public Optional<Instant> lastSignOfLife() {
        return Optional.ofNullable(lastProgressAt != null ? lastProgressAt : startedAt);
    }

    /** Short human label, e.g. {@code #12 restore foodb.dev latest}. */
    public String label() {
        return "#" + id + " " + kind.code() + " " + section + (dateSpec == null ? "" : " " + dateSpec);
    }
}
