package org.pgstaging.job.store;

import org.pgstaging.job.model.JobState;

/**
 * How a running job ended, as recorded by {@link JobStore#finish}.
 *
 * @param state          DONE, FAILED or CANCELLED
 * @param actor          who ended it: the canceller for CANCELLED, the system otherwise
 * @param error          why it failed, null when it did not
 * @param cleanup        what was cleaned after a failure or cancel, e.g. the half-made database dropped
 * @param targetDatabase the database made, when learnt during the run (null keeps the stored one)
 * @param dumpBytes      dump size, when learnt during the run (null keeps the stored one)
 * @param hint           how to fix the failure, when known
 * @param failedStep     the step that failed, when known
 */
public record Completion(JobState state, String actor, String error, String cleanup, String targetDatabase,
                         Long dumpBytes, String hint, String failedStep) {

    /** An end without a hint or failed step (done, cancelled, or a failure known only by its message). */
    public Completion(JobState state, String actor, String error, String cleanup, String targetDatabase, Long dumpBytes) {
        this(state, actor, error, cleanup, targetDatabase, dumpBytes, null, null);
    }

    public Completion {
        if (state != JobState.DONE && state != JobState.FAILED && state != JobState.CANCELLED) {
            throw new IllegalArgumentException("a run ends DONE, FAILED or CANCELLED, not " + state);
        }
    }
}
