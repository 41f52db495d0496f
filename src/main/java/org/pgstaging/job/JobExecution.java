package org.pgstaging.job;

import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.queue.InterruptCleanup;
import org.pgstaging.job.queue.JobOutcome;
import org.pgstaging.job.queue.ProgressReporter;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreFailedException;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.Step;

/**
 * What a queued job does: the engine verb of its kind, run as the user who asked it (so whoever
 * waits behind it, and the history, know), and how it ended as the queue records it; and what an
 * interrupted one left behind. A face running the queue only presents the job's events.
 */
public final class JobExecution {
    private final StagingService staging;

    public JobExecution(StagingService staging) {
        this.staging = staging;
    }

    /** Runs {@code job}; its events go to {@code events} once the queue has learnt what they tell it. */
    public JobOutcome run(Job job, ProgressReporter reporter, RestoreListener events) {
        DateSpec date = job.dateSpec() == null ? null : DateSpec.parse(job.dateSpec());
        StagingService as = staging.actingFor(actor(job), false);
        RestoreListener forward = event -> {
            if (event instanceof RestoreEvent.StepStarted s && s.step() == Step.CREATE_DATABASE) {
                reporter.targetDatabase(event.database());   // known at once, for a cleanup after a crash
            } else if (event instanceof RestoreEvent.StepProgress p && p.step() == Step.DOWNLOAD && p.total() > 0) {
                reporter.dumpBytes(p.total());
            }
            events.on(event);
        };
        try {
            return switch (job.kind()) {
                case RESTORE -> JobOutcome.done(as.restore(job.section(), date, forward).database(), null);
                case FETCH -> {
                    as.fetch(job.section(), date, forward);
                    yield JobOutcome.done();
                }
                case VACUUMDB -> {
                    as.vacuumdb(job.section(), date, forward);
                    yield JobOutcome.done();
                }
                // confirmed with a button while the server was busy: the copy was named then
                case SWITCH -> JobOutcome.done(as.switchTo(job.section(), date), null);
                case DROP -> JobOutcome.done(as.drop(job.section(), date), null);
                case PURGE -> {
                    as.purge(job.section());
                    yield JobOutcome.done();
                }
            };
        } catch (RestoreFailedException e) {
            if (Thread.currentThread().isInterrupted() || job.cancelRequestedBy() != null) {
                return JobOutcome.cancelled(e.cleanup());
            }
            return JobOutcome.failed(e.getMessage(), e.hint(), e.step() == null ? null : e.step().name(), e.cleanup());
        } catch (PgStagingException e) {
            return JobOutcome.failed(e.getMessage(), e.hint(), null, "nothing was changed");
        }
    }

    /**
     * After a crash mid-job: drops what the interrupted run half made, holding the server like any
     * change (never the copy the alias points to). Says what it did.
     */
    public InterruptCleanup cleanUpInterrupted(Job job) {
        String db = job.targetDatabase();
        // only a restore creates a copy; the others name one that was there before them
        if (db == null || job.kind() != JobKind.RESTORE) return InterruptCleanup.cleaned("nothing to clean up");
        return staging.actingFor(JobStore.SYSTEM + ", after job #" + job.id() + " was interrupted", false)
                .dropLeftover(job.section(), db, job.startedAt());
    }

    /** Who a job acts for: its requester, its number and who approved it. */
    static String actor(Job job) {
        String approved = job.approvedBy() == null || job.approvedBy().equals(JobStore.AUTO_APPROVER) ? ""
                : ", approved by " + job.approvedBy();
        return "Slack user " + job.requestedBy() + ", job #" + job.id() + approved;
    }

    /** How {@link #actor} names a job, read back from a server lock's holder. */
    private static final java.util.regex.Pattern JOB_ACTOR = java.util.regex.Pattern.compile("^Slack user \\S+, job #(\\d+)");

    /** The job number an actor names ({@link #actor}), or null: consoles, scripts and buttons name none. */
    static String jobOf(String by) {
        java.util.regex.Matcher m = JOB_ACTOR.matcher(by == null ? "" : by);
        return m.find() ? m.group(1) : null;
    }
}
