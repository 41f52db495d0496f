package org.pgstaging.job.queue;

import java.time.Duration;
import java.util.Optional;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reporter handed to a runner. Writes are throttled because pg_restore can report thousands
 * of items and each stored report is a synced commit; a failed write is logged, never thrown,
 * since losing a progress line must not fail a restore.
 */
final class StoredProgress implements ProgressReporter {
    private static final Logger LOG = LoggerFactory.getLogger(StoredProgress.class);

    private final JobStore store;
    private final EventThread events;
    private final long jobId;
    private final long intervalNanos;
    private Job latest;
    private long lastWrite;
    private boolean written;

    StoredProgress(JobStore store, EventThread events, Job job, Duration interval) {
        this.store = store;
        this.events = events;
        this.jobId = job.id();
        this.latest = job;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public synchronized void progress(String text) {
        long now = System.nanoTime();
        if (!written || now - lastWrite >= intervalNanos) {
            try {
                Optional<Job> stored = store.progress(jobId, text);
                if (stored.isEmpty()) return; // the job is over: late reports are dropped
                latest = stored.get();
                lastWrite = now;
                written = true;
            } catch (RuntimeException e) {
                LOG.warn("could not store progress of job #{}: {}", jobId, e.getMessage());
            }
        }
        events.progress(latest, text);
    }

    @Override
    public void dumpBytes(long bytes) {
        try {
            store.dumpBytes(jobId, bytes);
        } catch (RuntimeException e) {
            LOG.warn("could not store the dump size of job #{}: {}", jobId, e.getMessage());
        }
    }

    @Override
    public void targetDatabase(String database) {
        try {
            store.targetDatabase(jobId, database);
        } catch (RuntimeException e) {
            LOG.error("could not store the target database {} of job #{}; clean it by hand if pgstaging dies now",
                    database, jobId, e);
        }
    }
}
