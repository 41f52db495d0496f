package org.pgstaging.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.pgstaging.restore.RestoreEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each job's Slack messages in step with the job: posts the request message and the approval
 * card, edits them (through the {@link MessageThrottle}) as the job moves on, posts the completion or
 * failure notice in the job's thread once, and warns when a running job has been silent for
 * {@code stall_minutes}.
 */
public final class JobMessenger implements BotJobListener {
    private static final Logger log = LoggerFactory.getLogger(JobMessenger.class);

    private final BotBackend backend;
    private final SlackPoster poster;
    private final MessageThrottle throttle;
    private final MessageIndex index;
    private final Executor executor;
    private final Clock clock;
    private final String approvalChannel;
    private final Duration stall;
    private final Map<String, JobProgress> progress = new ConcurrentHashMap<>();
    private final Map<String, JobStatus> lastStatus = new ConcurrentHashMap<>();
    private final Map<String, BotJob> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> stallWarned = new ConcurrentHashMap<>();
    /** Last detail lines of each running job (commands run, error output): bounded, posted when it ends. */
    private final Map<String, Deque<String>> details = new ConcurrentHashMap<>();
    private static final int DETAIL_LINES = 30;

    public JobMessenger(BotBackend backend, SlackPoster poster, MessageThrottle throttle, MessageIndex index,
                        Executor executor, Clock clock, String approvalChannel, Duration stall) {
        this.backend = backend;
        this.poster = poster;
        this.throttle = throttle;
        this.index = index;
        this.executor = executor;
        this.clock = clock;
        this.approvalChannel = approvalChannel;
        this.stall = stall;
    }

    /** Posts the request message in {@code channel} and the approval card (approval channel, else the thread). */
    public MessageIndex.Ref announce(BotJob job, RestorePreview preview, String channel) {
        String ts = poster.post(channel, null, false, Messages.request(job, null, clock.instant()));
        MessageIndex.Ref ref = new MessageIndex.Ref(channel, ts, null, null, null);
        index.put(job.id(), ref);
        lastStatus.put(job.id(), job.status());
        if (job.status() == JobStatus.AWAITING_APPROVAL) {
            String cardChannel = approvalChannel != null ? approvalChannel : channel;
            String cardTs = poster.post(cardChannel, approvalChannel != null ? null : ts, false, Messages.approvalCard(job, preview));
            ref = ref.withCard(cardChannel, cardTs);
            index.put(job.id(), ref);
        }
        return ref;
    }

    @Override
    public void jobChanged(BotJob job) {
        executor.execute(() -> render(job));
    }

    @Override
    public void jobProgress(BotJob job, RestoreEvent event) {
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
        stallWarned.remove(job.id());
        executor.execute(() -> render(job));
    }

    /** Says in the job's thread that a restart cut it short, what was cleaned and whether it runs again. */
    @Override
    public void jobInterrupted(BotJob job, String cleanup, boolean requeued) {
        executor.execute(() -> index.ref(job.id()).ifPresent(ref -> {
            try {
                poster.post(ref.channel(), ref.ts(), false, Messages.plain(":warning: " + Mrkdwn.user(job.requesterId()) + " "
                        + Messages.title(job) + " was interrupted: pgstaging stopped while it ran."
                        + "\n*Cleaned up:* " + Mrkdwn.escape(cleanup == null || cleanup.isBlank() ? "nothing to clean" : cleanup)
                        + (requeued ? "\nIt is queued again, first in line; this happens once."
                        : job.status() == JobStatus.CANCELLED ? "\nIt had been cancelled, so it does not run again."
                        : "\nIt was not queued again: the Retry button above queues it when you are ready.")));
            } catch (RuntimeException e) {
                log.warn("Could not tell the thread of job {} about its interruption: {}", job.id(), e.toString());
            }
        }));
    }

    private void render(BotJob job) {
        try {
            index.ref(job.id()).ifPresent(ref -> {
                JobStatus before;
                // renders run on several workers: without the lock a late "running" view could pass the
                // rank check alongside "done" and be the last edit the message gets
                synchronized (lastStatus) {
                    before = lastStatus.get(job.id());
                    if (before != null && rank(job.status()) < rank(before)) return; // a late, stale view of the job
                    lastStatus.put(job.id(), job.status());
                    if (job.status() == JobStatus.RUNNING) running.put(job.id(), job); else running.remove(job.id());
                    throttle.update(ref.channel(), ref.ts(), Messages.request(job, progress.get(job.id()), clock.instant()));
                    if (before != job.status() && (before == null || before == JobStatus.AWAITING_APPROVAL)
                            && job.status() != JobStatus.AWAITING_APPROVAL && ref.cardTs() != null) {
                        throttle.update(ref.cardChannel(), ref.cardTs(), Messages.approvalDecided(job));
                    }
                }
                if (before != job.status() && job.status().finished()) finished(job, ref);
            });
        } catch (RuntimeException e) {
            log.warn("Could not update the Slack messages of job {}: {}", job.id(), e.toString());
        }
    }

    private void finished(BotJob job, MessageIndex.Ref ref) {
        postDetails(job, ref, progress.get(job.id()), details.remove(job.id()));
        progress.remove(job.id());
        stallWarned.remove(job.id());
        switch (job.status()) {
            case DONE -> {
                if (job.kind() == JobKind.RESTORE && ref.completionTs() == null && job.database() != null) {
                    String ts = poster.post(ref.channel(), ref.ts(), true, completion(job));
                    index.put(job.id(), ref.withCompletion(ts));
                } else if (job.kind() != JobKind.RESTORE) {
                    poster.post(ref.channel(), ref.ts(), false, Messages.plain(Mrkdwn.user(job.requesterId()) + " " + Messages.title(job) + " is done."));
                }
            }
            case FAILED -> poster.post(ref.channel(), ref.ts(), true, Messages.plain(Mrkdwn.user(job.requesterId()) + " "
                    + Messages.title(job) + " failed: " + Mrkdwn.escape(job.failure() == null ? "see above" : job.failure().message())
                    + ". The Retry button above queues it again."));
            case DENIED -> poster.post(ref.channel(), ref.ts(), false, Messages.plain(Mrkdwn.user(job.requesterId()) + " your request was denied"
                    + (job.decision() == null ? "." : " by " + Mrkdwn.user(job.decision().userId()) + ": " + Mrkdwn.escape(job.decision().reason()))));
            default -> { }
        }
    }

    /** Step timings and the last commands and output lines, in the thread, for whoever digs in. */
    private void postDetails(BotJob job, MessageIndex.Ref ref, JobProgress p, Deque<String> lines) {
        if ((p == null || p.finished().isEmpty()) && (lines == null || lines.isEmpty())) return;
        StringBuilder b = new StringBuilder();
        if (p != null) {
            for (JobProgress.Done d : p.finished()) {
                b.append(String.format(java.util.Locale.ROOT, "%-22s %s%n", d.step().label(), Human.duration(d.elapsed())));
            }
        }
        if (lines != null) {
            synchronized (lines) {
                if (b.length() > 0 && !lines.isEmpty()) b.append('\n');
                lines.forEach(l -> b.append(l).append('\n'));
            }
        }
        String text = b.length() > 2800 ? "…" + b.substring(b.length() - 2800) : b.toString();
        try {
            poster.post(ref.channel(), ref.ts(), false, Messages.plain("*Details* of " + Messages.title(job)
                    + "\n```" + text.replace("```", "'''") + "```"));
        } catch (RuntimeException e) {
            log.warn("Could not post the details of job {}: {}", job.id(), e.toString());
        }
    }

    private Rendered completion(BotJob job) {
        try {
            return Messages.completion(job, backend.dbsizes(List.of(job.section())), backend.compare(job.section(), job.database()));
        } catch (RuntimeException e) {
            log.warn("Could not compare {} with the current copy: {}", job.database(), e.toString());
            return Messages.plain(Mrkdwn.user(job.requesterId()) + " `" + Mrkdwn.escape(job.database()) + "` is ready"
                    + " (could not compare it with the current copy: " + Mrkdwn.escape(e.getMessage()) + ").");
        }
    }

    /** Called every minute or so: one warning per silence, in the job's thread. */
    public void checkStalls() {
        Instant now = clock.instant();
        for (BotJob job : running.values()) {
            JobProgress p = progress.get(job.id());
            if (p == null || stallWarned.containsKey(job.id())) continue;
            if (Duration.between(p.lastEventAt(), now).compareTo(stall) >= 0) {
                stallWarned.put(job.id(), true);
                index.ref(job.id()).ifPresent(ref -> poster.post(ref.channel(), ref.ts(), false, Messages.plain(
                        ":warning: " + Messages.title(job) + " has reported nothing for " + Human.duration(Duration.between(p.lastEventAt(), now))
                                + (p.current() == null ? "" : " (while " + p.current().label() + ")")
                                + ". It may be stuck: check the staging host, or reply `cancel` here. " + mentions(job))));
            }
        }
    }

    /** The requester and, when someone approved it, the approver: the two people who care. */
    private static String mentions(BotJob job) {
        String who = "<@" + job.requesterId() + ">";
        if (job.decision() != null && job.decision().approved() && !job.decision().userId().equals(job.requesterId())) {
            who += " <@" + job.decision().userId() + ">";
        }
        return who;
    }

    private static int rank(JobStatus s) {
        return switch (s) {
            case AWAITING_APPROVAL -> 0;
            case QUEUED -> 1;
            case RUNNING -> 2;
            default -> 3;
        };
    }
}
