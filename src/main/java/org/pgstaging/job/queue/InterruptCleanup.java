package org.pgstaging.job.queue;

/**
 * What the {@link InterruptedJobHandler} found and did after a job's process died.
 *
 * @param said     what was cleaned, stored with the job and its history
 * @param workDone the dead run had finished its work (a restore's copy is complete): the job ends
 *                 DONE instead of running again, which would fail on the copy it already made
 */
public record InterruptCleanup(String said, boolean workDone) {

    public static InterruptCleanup cleaned(String said) {
        return new InterruptCleanup(said, false);
    }

    public static InterruptCleanup finished(String said) {
        return new InterruptCleanup(said, true);
    }
}
