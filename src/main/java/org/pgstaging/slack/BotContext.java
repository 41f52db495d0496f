package org.pgstaging.slack;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.JobService;
import org.pgstaging.job.JobSubmission;
import org.pgstaging.job.JobView;
import org.pgstaging.job.RestorePreview;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the handlers share: settings, backend, Slack access, and the executor slow work runs on after
 * the ack. {@code slack} posts to a response_url outside the request that gave it (a takeover).
 */
public record BotContext(SlackSettings settings, JobService backend, SlackPoster poster, AccessPolicy access,
                         UserNames names, MessageIndex index, JobMessenger messenger, ExecutorService executor,
                         Clock clock, com.slack.api.Slack slack) {
    private static final Logger log = LoggerFactory.getLogger(BotContext.class);
    /** A request older than this when taken over is not done: its requester has moved on. */
    static final java.time.Duration RESUME_WITHIN = java.time.Duration.ofHours(1);
    /** A request whose handling stopped its bots more often than this is answered with an error instead. */
    static final int MAX_TAKEOVERS = 2;

    /** Runs after the ack; errors reach the user through {@code onError}, never as a late HTTP response. */
    public boolean later(Runnable work, java.util.function.Consumer<Rendered> onError) {
        return later(work, onError, () -> { });
    }

    /** {@link #later(Runnable, java.util.function.Consumer)}, then {@code done} whatever happened (when it ran at all). */
    public boolean later(Runnable work, java.util.function.Consumer<Rendered> onError, Runnable done) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (Refused e) {
                    onError.accept(e.message());
                } catch (PgStagingException e) {
                    onError.accept(Messages.error(e.getMessage(), e.hint()));
                } catch (RuntimeException e) {
                    log.error("Slack request failed", e);
                    onError.accept(Messages.error("pgstaging failed unexpectedly: " + e, "see the bot's log"));
                } finally {
                    done.run();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Queues a job as {@code user} asked for it, then posts its request message in {@code channel} and
     * its approval card: the slash command and the request form alike. When the messages cannot be
     * posted the job is cancelled, since nobody could approve a request nobody can see.
     */
    public JobView request(JobKind kind, String section, DateSpec date, String user, String channel) {
        return request(kind, section, date, user, channel, null);
    }

    /**
     * {@link #request(JobKind, String, DateSpec, String, String)} for the held chat request {@code
     * requestKey}: handled again after the replica handling it died, it finds the job made the first
     * time, and posts its messages only if that replica had not.
     */
    public JobView request(JobKind kind, String section, DateSpec date, String user, String channel, String requestKey) {
        RestorePreview preview = kind == JobKind.VACUUMDB ? null : backend.preview(section, date);
        JobView job = backend.submit(new JobSubmission(kind, section, date, user, channel, requestKey));
        if (requestKey != null && index.ref(job.id()).isPresent()) return job;
        try {
            messenger.announce(job, preview, channel);
        } catch (PgStagingException e) {
            backend.cancel(job.id(), user);
            throw new NotPosted(e);
        }
        return job;
    }

    /**
     * Holds a chat request about to be acknowledged ({@link JobService#hold}); false only when the
     * same request is held already (delivered twice: its first delivery answers it). A state store
     * that cannot be reached does not stop the request: it is handled without the net.
     */
    public boolean hold(HeldRequest r) {
        try {
            return backend.hold(r);
        } catch (RuntimeException e) {
            log.warn("Could not hold Slack request {}, handling it all the same: {}", r.key(), e.getMessage());
            return true;
        }
    }

    /** The held request {@code key} was answered (null: it was not held); a failure only means it may be answered twice. */
    public void answered(String key) {
        if (key == null) return;
        try {
            backend.answered(key);
        } catch (RuntimeException e) {
            log.warn("Could not forget answered Slack request {} (it may be answered again): {}", key, e.getMessage());
        }
    }

    /**
     * {@link #later} for the held request {@code key}, forgotten once done; when the bot is too busy to
     * take it, {@code answer} says so and it is forgotten at once.
     */
    public void laterHeld(String key, Runnable work, java.util.function.Consumer<Rendered> answer) {
        if (!later(work, answer, () -> answered(key))) {
            answer.accept(Messages.plain(CommandHandler.BUSY));
            answered(key);
        }
    }

    /**
     * A request taken over from a bot that stopped: done again ({@link #laterHeld}), unless
     * {@link #notResumed} says why not, which {@code answer} then tells its requester.
     * {@code what} names the request in that answer.
     */
    public void resume(HeldRequest held, String what, Runnable work, java.util.function.Consumer<Rendered> answer) {
        Optional<Rendered> refused = notResumed(held, what);
        if (refused.isPresent()) {
            answer.accept(refused.get());
            answered(held.key());
            return;
        }
        laterHeld(held.key(), work, answer);
    }

    /**
     * Why a request taken over from a bot that stopped is not done again, as its requester reads it:
     * asked too long ago (more than {@link #RESUME_WITHIN}), or its handling stopped bots more than
     * {@link #MAX_TAKEOVERS} times. Empty: do it. {@code what} names the request in the answer.
     */
    private Optional<Rendered> notResumed(HeldRequest held, String what) {
        java.time.Instant now = clock.instant();
        if (held.receivedAt().isBefore(now.minus(RESUME_WITHIN))) {
            log.error("Dropping chat request {} of {} ({}): received {}, too long ago to do now", held.key(), held.userId(),
                    held.text(), held.receivedAt());
            return Optional.of(Messages.error("pgstaging stopped before it could handle " + what + ", asked "
                    + Human.duration(java.time.Duration.between(held.receivedAt(), now)) + " ago: too late to do it now",
                    "ask again if you still need it"));
        }
        if (held.takeovers() > MAX_TAKEOVERS) {
            return Optional.of(Messages.error("pgstaging stopped " + held.takeovers() + " times while handling " + what,
                    "ask again; if it stops again, see the bot's log"));
        }
        return Optional.empty();
    }

    /** {@link #request} could not post the request's messages (the bot is not in the channel...): the job is cancelled. */
    public static final class NotPosted extends PgStagingException {
        NotPosted(PgStagingException cause) {
            super(cause.getMessage(), cause.hint(), cause);
        }
    }

    /** What the requester reads once {@link #request} has posted the job. */
    public static String requested(JobView job) {
        return "Request " + Mrkdwn.code(job.id()) + " posted; " + (job.state() == JobState.AWAITING_APPROVAL
                ? "it waits for an approver." : "no approval needed for " + Mrkdwn.escape(job.section()) + ": it is queued.");
    }

    /** The section of that name, checked by the job layer (unknown: the nearest ones in the hint). */
    public String section(String name) {
        return backend.section(name);
    }

    /** The copy the alias points to, if any. */
    public Optional<DatabaseInfo> active(String section) {
        return backend.databases(section).stream().filter(DatabaseInfo::active).findFirst();
    }
}
