package org.pgstaging.job.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pgstaging.job.store.HistoryAction;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the jobs a dead process left RUNNING, one server at a time, by whichever process holds
 * the server's slot next (the same bot restarted, or another replica). Each step is stored before
 * the next, and an INTERRUPTED job without a recorded cleanup is picked up again, so dying during
 * recovery itself loses nothing.
 */
final class InterruptRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptRecovery.class);

    private final JobStore store;
    private final InterruptedJobHandler handler;
    private final EventThread events;
    private final int maxRequeues;

    InterruptRecovery(JobStore store, InterruptedJobHandler handler, EventThread events, int maxRequeues) {
        this.store = store;
        this.handler = handler;
        this.events = events;
        this.maxRequeues = maxRequeues;
    }

    /**
     * Settles the jobs of {@code serverKey} left RUNNING or half-settled. Call it holding the
     * server's slot: then no live process runs them.
     */
    List<Job> recover(String serverKey) {
        List<Job> order = new ArrayList<>();
        for (Job j : store.unsettled(serverKey)) {
            if (j.state() == JobState.RUNNING) {
                Job running = j;
                j = store.markInterrupted(running.id(), running.owner() == null ? "pgstaging stopped while the job ran"
                        : "the bot running it (" + running.owner() + ") stopped while the job ran");
                events.changed(new JobEvent(j, JobState.RUNNING, HistoryAction.INTERRUPTED, JobStore.SYSTEM));
            }
            order.add(j);
        }
        // each re-queue goes to the head, so the last one handled runs first: handle the oldest last
        order.sort(Comparator.comparing((Job j) -> j.queueSeq() == null ? Long.MAX_VALUE : j.queueSeq()).reversed());
        List<Job> settled = new ArrayList<>();
        for (Job j : order) settled.add(settle(j));
        return settled;
    }

    private Job settle(Job job) {
        InterruptCleanup cleanup;
        try {
            cleanup = handler.cleanUp(job);
        } catch (Exception e) {
            LOG.error("cleanup of interrupted job #{} failed; it stays INTERRUPTED", job.id(), e);
            return announce(store.keepInterrupted(job.id(), "cleanup failed: " + RestoreQueue.describe(e),
                    "not re-queued: its cleanup failed; clean by hand, then retry it"), HistoryAction.INTERRUPTED,
                    JobStore.SYSTEM);
        }
        return settle(job, cleanup);
    }

    /**
     * A running job this process stopped itself (shutdown) after its runner cleaned up: stored
     * INTERRUPTED, then settled as a dead process' job would be, with the runner's cleanup, so it is
     * back at the head of its server (once) before the process exits.
     */
    Job handBack(Job running, String cleanup, String why) {
        Job j = store.markInterrupted(running.id(), why);
        events.changed(new JobEvent(j, JobState.RUNNING, HistoryAction.INTERRUPTED, JobStore.SYSTEM));
        return settle(j, InterruptCleanup.cleaned(cleanup));
    }

    private Job settle(Job job, InterruptCleanup cleaned) {
        String cleanup = cleaned.said();
        if (cleaned.workDone()) {
            return announce(store.finishInterrupted(job.id(), cleanup), HistoryAction.DONE, JobStore.SYSTEM);
        }
        if (job.cancelRequestedBy() != null) {
            store.keepInterrupted(job.id(), cleanup, "cancelled by " + job.cancelRequestedBy() + " before the interruption");
            return announce(store.cancel(job.id(), job.cancelRequestedBy()), HistoryAction.CANCEL,
                    job.cancelRequestedBy());
        }
        if (job.attempt() < maxRequeues) {
            return announce(store.requeueAtHead(job.id(), cleanup), HistoryAction.RETRY, JobStore.SYSTEM);
        }
        return announce(store.keepInterrupted(job.id(), cleanup, "not re-queued: interrupted "
                + (job.attempt() + 1) + " times; retry it by hand"), HistoryAction.INTERRUPTED, JobStore.SYSTEM);
    }

    private Job announce(Job job, HistoryAction action, String actor) {
        events.changed(new JobEvent(job, JobState.INTERRUPTED, action, actor));
        return job;
    }
}
