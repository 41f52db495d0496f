package org.pgstaging.job.queue;

import org.pgstaging.job.store.HistoryAction;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.model.JobState;

/**
 * A change the queue made, after it was committed.
 *
 * @param job      the job as it is now
 * @param previous its state before; null for a new job (request or retry)
 * @param action   what happened; CANCEL with a job still RUNNING means the runner was asked to stop
 * @param actor    who did it ({@link org.pgstaging.job.store.JobStore#SYSTEM} for the queue itself)
 */
public record JobEvent(Job job, JobState previous, HistoryAction action, String actor) {
}
