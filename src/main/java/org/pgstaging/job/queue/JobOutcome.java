package org.pgstaging.job.queue;

/**
 * How a run ended, as the runner tells it.
 *
 * @param error          why it failed (FAILED only)
 * @param cleanup        what the runner cleaned after a failure or a cancel, e.g. {@code dropped foodb_20240102}
 * @param targetDatabase the database made, when the runner resolved it (e.g. for {@code latest})
 * @param dumpBytes      size of the dump restored, when known: it teaches the estimator
 * @param hint           how to fix the failure, when known (FAILED only)
 * @param failedStep     the step that failed, when known (FAILED only)
 */
public record JobOutcome(Result result, String error, String cleanup, String targetDatabase, Long dumpBytes,
                         String hint, String failedStep) {
    public enum Result { DONE, FAILED, CANCELLED }

    public JobOutcome(Result result, String error, String cleanup, String targetDatabase, Long dumpBytes) {
        this(result, error, cleanup, targetDatabase, dumpBytes, null, null);
    }

    public JobOutcome {
        if (result == null) throw new IllegalArgumentException("a job outcome needs a result");
    }

    public static JobOutcome done() {
        return new JobOutcome(Result.DONE, null, null, null, null);
    }

    public static JobOutcome done(String targetDatabase, Long dumpBytes) {
        return new JobOutcome(Result.DONE, null, null, targetDatabase, dumpBytes);
    }

    public static JobOutcome failed(String error, String cleanup) {
        return new JobOutcome(Result.FAILED, error, cleanup, null, null);
    }

    /** A failure as its parts: what went wrong, how to fix it, in which step, what was cleaned up. */
    public static JobOutcome failed(String error, String hint, String failedStep, String cleanup) {
        return new JobOutcome(Result.FAILED, error, cleanup, null, null, hint, failedStep);
    }

    public static JobOutcome cancelled(String cleanup) {
        return new JobOutcome(Result.CANCELLED, null, cleanup, null, null);
    }
}
