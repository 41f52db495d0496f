package org.pgstaging.job.queue;

import org.pgstaging.job.store.Job;

/**
 * Does the work of a job (the bot calls the engine here). Runs on the worker thread of the job's
 * server. A cancel interrupts that thread: the runner stops, cleans up what it half-made and
 * returns {@link JobOutcome#cancelled} (or throws). A thrown exception marks the job FAILED.
 */
@FunctionalInterface
public interface JobRunner {
    JobOutcome run(Job job, ProgressReporter reporter) throws Exception;
}
