package org.pgstaging.job.queue;

import org.pgstaging.job.store.Job;

/**
 * Cleans what a job left when pgstaging stopped while it ran (e.g. drops the half-restored
 * database named by {@link Job#targetDatabase()}), called by {@link RestoreQueue#start()} before
 * the job may run again.
 */
@FunctionalInterface
public interface InterruptedJobHandler {
    /**
     * @return what was cleaned, stored with the job and its history, and whether the dead run had
     *         in fact finished its work
     * @throws Exception when cleanup failed: the job then stays INTERRUPTED instead of re-running
     *                   on top of the leftovers
     */
    InterruptCleanup cleanUp(Job interrupted) throws Exception;
}
