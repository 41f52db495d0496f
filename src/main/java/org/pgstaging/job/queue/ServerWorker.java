package org.pgstaging.job.queue;

import java.util.concurrent.locks.Condition;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.ServerSlots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs the jobs of one server, one after the other. Its fields are guarded
 * by the queue's lock; {@code inRunner} makes sure a cancel only interrupts the runner, never
 * the bookkeeping around it.
 */
final class ServerWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerWorker.class);

    final String serverKey;
    final Condition wake;
    final Thread thread;
    boolean signalled;
    Job current;
    boolean inRunner;
    String cancelBy;
    /** The server's slot while {@link #current} runs. */
    ServerSlots.Slot slot;
    /** Why the running job was given up (its slot was lost), or null. */
    String lost;

    private final RestoreQueue queue;
    private final JobRunner runner;

    ServerWorker(RestoreQueue queue, JobRunner runner, String serverKey, Condition wake) {
        this.queue = queue;
        this.runner = runner;
        this.serverKey = serverKey;
        this.wake = wake;
        this.thread = new Thread(this, "pgstaging-worker-" + serverKey);
        this.thread.setDaemon(true);
    }

    @Override
    public void run() {
        try {
            Job job;
            while ((job = queue.takeNext(this)) != null) {
                try (JobLogContext named = JobLogContext.of(job)) {
                    LOG.info("job #{} started: {} {}", job.id(), job.kind().code(), job.section());
                    JobOutcome outcome = null;
                    Throwable failure = null;
                    try {
                        outcome = runner.run(job, queue.reporterFor(job));
                    } catch (Throwable t) { // the job fails, the worker lives on for the next one
                        failure = t;
                    }
                    queue.complete(this, job, outcome, failure);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("worker of {} stopped: {}", serverKey, e.getMessage(), e);
        } finally {
            queue.workerExited(this);
        }
    }
}
