package org.pgstaging.slack;

import org.pgstaging.job.model.JobMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.JobListener;
import org.pgstaging.job.JobService;
import org.pgstaging.job.JobView;
import org.pgstaging.job.RestorePreview;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.restore.RestoreEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each job's Slack messages in step with the job: posts the request message and the approval
 * card, edits them (through the {@link MessageThrottle}) as the job moves on, posts the completion or
 * failure notice in the job's thread once, and passes on the job layer's warning when a running job
 * has been silent for {@code stall_minutes}. Everything goes through the {@link PostQueue} and the
 * throttle, which wait out rate limits and retry: the job's threads only hand messages over.
 */
public final class JobMessenger implements JobListener {
    private static final Logger log = LoggerFactory.getLogger(JobMessenger.class);

    /** How long a new request waits for Slack to take its message and card before it is taken back. */
    static final Duration ANNOUNCE_WAIT = Duration.ofSeconds(30);

    private final JobService backend;
    private final PostQueue posts;
    private final MessageThrottle throttle;
    private final MessageIndex index;
    private final Executor executor;
    private final Clock clock;
    private final String approvalChannel;
    private final Map<String, JobProgress> progress = new ConcurrentHashMap<>();
    private final Map<String, JobState> lastStatus = new ConcurrentHashMap<>();
    /** Last detail lines of each running job (commands run, error output): bounded, posted when it ends. */
    private final Map<String, Deque<String>> details = new ConcurrentHashMap<>();
    private static final int DETAIL_LINES = 30;

    JobMessenger(JobService backend, PostQueue posts, MessageThrottle throttle, MessageIndex index,
                 Executor executor, Clock clock, String approvalChannel) {
        this.backend = backend;
        this.posts = posts;
        this.throttle = throttle;
        this.index = index;
        this.executor = executor;
        this.clock = clock;
        this.approvalChannel = approvalChannel;
    }

    /**
     * Posts the request message in {@code channel} and the approval card (approval channel, else the
     * thread); waits up to {@link #ANNOUNCE_WAIT} for each, through rate limits.
     */
    public JobMessages announce(JobView job, RestorePreview preview, String channel) {
        String ts = await(posts.post(channel, null, false, Messages.request(job, null, clock.instant())));
        JobMessages ref = new JobMessages(channel, ts, null, null, null);
        // before the message is known: a render that finds it compares with the state it shows
        lastStatus.putIfAbsent(job.id(), job.state());
        index.put(job.id(), ref);
        if (job.state() == JobState.AWAITING_APPROVAL) {
            String cardChannel = approvalChannel != null ? approvalChannel : channel;
            String cardTs = await(posts.post(cardChannel, approvalChannel != null ? null : ts, false, Messages.approvalCard(job, preview)));
            ref = ref.withCard(cardChannel, cardTs);
            index.put(job.id(), ref);
        }
        catchUp(job);
        return ref;
    }

    /**
     * A queued job (a confirmation on a busy server, a retry, a request needing no approval) can run
     * to its end while its message is being posted: its changes found no message to edit and were
     * dropped, and none will come any more, so its end is shown now, with its outcome in the thread.
     * A job still under way needs nothing here: its next change or progress edits the message, from
     * the job's own thread and so with its log context.
     */
    private void catchUp(JobView announced) {
        try {
            backend.job(announced.id()).filter(now -> now.finished() && now.state() != announced.state()).ifPresent(this::jobChanged);
        } catch (RuntimeException e) {
            // the message is posted and the job queued: a state that cannot be read now shows at its next change
            log.warn("Could not read job {} after posting its message: {}", announced.id(), e.toString());
        }
    }

    /** The new message's ts, or the reason it could not be posted within {@link #ANNOUNCE_WAIT} (then it is taken back). */
    private static String await(CompletableFuture<String> ts) {
        try {
            return ts.get(ANNOUNCE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PgStagingException p) throw p;
            throw new PgStagingException("cannot post to Slack: " + e.getCause(), "check that Slack is reachable", e.getCause());
        } catch (TimeoutException e) {
            ts.cancel(false);
            throw new PgStagingException("Slack did not take the request's message within " + Human.duration(ANNOUNCE_WAIT),
                    "Slack is rate limiting the bot or out of reach: try again in a minute");
        } catch (InterruptedException e) {
            ts.cancel(false);
            Thread.currentThread().interrupt();
            throw new PgStagingException("interrupted while posting the request's message", null);
        }
    }

    /** A state change is never dropped: with the workers full or stopped, it is rendered here (rendering only queues messages). */

    /** How far the running job {@code jobId} is, as this bot heard it; null when it is not running here. */
    JobProgress progress(String jobId) {
        return progress.get(jobId);
    }

    @Override
    public void jobChanged(JobView job) {
        try {
            executor.execute(() -> render(job));
        } catch (RejectedExecutionException e) {
            render(job);
        }
    }

    @Override
    public void jobProgress(JobView job, RestoreEvent event) {
        if (event instanceof RestoreEvent.Detail d) {
            // not worth a message edit: kept for the details posted in the thread when the job ends
            Deque<String> lines = details.computeIfAbsent(job.id(), k -> new ArrayDeque<>());
            synchronized (lines) {
                lines.addLast(d.line());
                while (lines.size() > DETAIL_LINES) lines.removeFirst();
            }
            return;
        }
        Instant now = clock.instant();
        progress.compute(job.id(), (k, p) -> (p == null ? JobProgress.start(now) : p).apply(event, now));
        try {
            executor.execute(() -> render(job));
        } catch (RejectedExecutionException e) {
            // this is the restore's own thread: no waiting here; the next event or state change shows the progress
        }
    }

    /** Says in the job's thread that a restart cut it short, what was cleaned and whether it runs again. */
    @Override
    public void jobInterrupted(JobView job, String cleanup, boolean requeued) {
        executor.execute(() -> index.ref(job.id()).ifPresent(ref -> post(job, ref, false, "interruption notice",
                Messages.plain(":warning: " + Mrkdwn.user(job.requesterId()) + " "
                        + Messages.title(job) + " was interrupted: pgstaging stopped while it ran."
                        + "\n*Cleaned up:* " + Mrkdwn.escape(cleanup == null || cleanup.isBlank() ? "nothing to clean" : cleanup)
                        + (requeued ? "\nIt is queued again, first in line; this happens once."
                        : job.state() == JobState.DONE ? "\nIts restore had finished before it stopped: nothing runs again."
                        : job.state() == JobState.CANCELLED ? "\nIt had been cancelled, so it does not run again."
                        : "\nIt was not queued again: the Retry button above queues it when you are ready.")))));
    }

    private void render(JobView job) {
        try {
            index.ref(job.id()).ifPresent(ref -> {
                JobState before;
                // renders run on several workers: without the lock a late "running" view could pass the
                // rank check alongside "done" and be the last edit the message gets
                synchronized (lastStatus) {
                    before = lastStatus.get(job.id());
                    if (before != null && rank(job.state()) < rank(before)) return; // a late, stale view of the job
                    lastStatus.put(job.id(), job.state());
                    throttle.update(ref.channel(), ref.ts(), Messages.request(job, progress.get(job.id()), clock.instant()));
                    if (before != job.state() && (before == null || before == JobState.AWAITING_APPROVAL)
                            && job.state() != JobState.AWAITING_APPROVAL && ref.cardTs() != null) {
                        throttle.update(ref.cardChannel(), ref.cardTs(), Messages.approvalDecided(job));
                    }
                }
                if (before != job.state() && job.finished()) finished(job, ref);
            });
        } catch (RuntimeException e) {
            log.warn("Could not update the Slack messages of job {}: {}", job.id(), e.toString());
        }
    }

    private void finished(JobView job, JobMessages ref) {
        postDetails(job, ref, progress.get(job.id()), details.remove(job.id()));
        progress.remove(job.id());
        switch (job.state()) {
            case DONE -> {
                if (job.kind() == JobKind.RESTORE && ref.completionTs() == null && job.database() != null) {
                    post(job, ref, true, "completion notice", completion(job))
                            .thenAccept(ts -> index.put(job.id(), ref.withCompletion(ts)));
                } else if (job.kind() != JobKind.RESTORE) {
                    post(job, ref, false, "done notice", Messages.plain(Mrkdwn.user(job.requesterId()) + " " + Messages.title(job) + " is done."));
                }
            }
            case FAILED -> post(job, ref, true, "failure notice", Messages.plain(Mrkdwn.user(job.requesterId()) + " "
                    + Messages.title(job) + " failed: " + Mrkdwn.escape(job.failure() == null ? "see above" : job.failure().message())
                    + ". The Retry button above queues it again."));
            case DENIED -> post(job, ref, false, "denial", Messages.plain(Mrkdwn.user(job.requesterId()) + " your request was denied"
                    + (job.decision() == null ? "." : " by " + Mrkdwn.user(job.decision().userId()) + ": " + Mrkdwn.escape(job.decision().reason()))));
            default -> { }
        }
    }

    /** Step timings and the last commands and output lines, in the thread, for whoever digs in. */
    private void postDetails(JobView job, JobMessages ref, JobProgress p, Deque<String> lines) {
        List<String> output;
        if (lines == null) {
            output = List.of();
        } else {
            synchronized (lines) {
                output = List.copyOf(lines);
            }
        }
        if ((p == null || p.finished().isEmpty()) && output.isEmpty()) return;
        post(job, ref, false, "details", Messages.details(job, p, output));
    }

    /** Queues a message in the job's thread; a failure (logged by the queue too) is logged as the job's. */
    private CompletableFuture<String> post(JobView job, JobMessages ref, boolean broadcast, String what, Rendered message) {
        CompletableFuture<String> ts = posts.post(ref.channel(), ref.ts(), broadcast, message);
        ts.whenComplete((t, e) -> {
            if (e != null) log.warn("Could not post the {} in the thread of job {}: {}", what, job.id(), e.toString());
        });
        return ts;
    }

    private Rendered completion(JobView job) {
        try {
            return Messages.completion(job, backend.dbsizes(List.of(job.section())), backend.compare(job.section(), job.database()));
        } catch (RuntimeException e) {
            log.warn("Could not compare {} with the current copy: {}", job.database(), e.toString());
            return Messages.plain(Mrkdwn.user(job.requesterId()) + " " + Mrkdwn.code(job.database()) + " is ready"
                    + " (could not compare it with the current copy: " + Mrkdwn.escape(e.getMessage()) + ").");
        }
    }

    /** One warning per silence (the job layer decides when), in the job's thread. */
    @Override
    public void jobStalled(JobView job, Duration silent) {
        JobProgress p = progress.get(job.id());
        executor.execute(() -> index.ref(job.id()).ifPresent(ref -> post(job, ref, false, "stall warning", Messages.plain(
                ":warning: " + Messages.title(job) + " has reported nothing for " + Human.duration(silent)
                        + (p == null || p.current() == null ? "" : " (while " + p.current().label() + ")")
                        + ". It may be stuck: check the staging host, or reply `cancel` here. " + mentions(job)))));
    }

    /** The requester and, when someone approved it, the approver: the two people who care. */
    private static String mentions(JobView job) {
        String who = "<@" + job.requesterId() + ">";
        if (job.decision() != null && job.decision().approved() && !job.decision().userId().equals(job.requesterId())) {
            who += " <@" + job.decision().userId() + ">";
        }
        return who;
    }

    private static int rank(JobState s) {
        return switch (s) {
            case AWAITING_APPROVAL -> 0;
            case QUEUED -> 1;
            case RUNNING -> 2;
            default -> 3;
        };
    }
}
