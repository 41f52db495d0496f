package org.pgstaging.slack;

import com.slack.api.bolt.App;
import com.slack.api.model.event.MessageEvent;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.JobView;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;

/**
 * Replies in a job's thread (slash commands cannot be used in threads): {@code status},
 * {@code cancel}, {@code retry}, {@code switch}, {@code dbsizes}. Other chatter in the thread and
 * messages elsewhere are acked and ignored, so Slack does not retry them.
 */
public final class ThreadHandler {
    static final Set<String> WORDS = Set.of("status", "cancel", "retry", "switch", "dbsizes");

    private final BotContext bot;

    public ThreadHandler(BotContext bot) {
        this.bot = bot;
    }

    public void register(App app) {
        app.event(MessageEvent.class, (req, ctx) -> {
            MessageEvent e = req.getEvent();
            if (e.getThreadTs() == null || e.getBotId() != null || e.getUser() == null || e.getText() == null) return ctx.ack();
            String word = e.getText().trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
            if (!WORDS.contains(word)) return ctx.ack();
            Optional<String> jobId = bot.index().jobOfThread(e.getChannel(), e.getThreadTs());
            if (jobId.isEmpty()) return ctx.ack();
            Reply r = new Reply(word, jobId.get(), e.getUser(), e.getChannel(), e.getThreadTs());
            String key = RequestKey.ofEvent(req.getEventId()).orElse(null);
            if (key != null && !bot.hold(HeldRequest.beside(key, word, r.user(), r.channel(), r.threadTs(), bot.clock().instant()))) {
                return ctx.ack(); // held already: the bot that got it first answers it
            }
            if (!bot.later(() -> reply(r), m -> tell(r, m), () -> bot.answered(key))) bot.answered(key);
            return ctx.ack();
        });
    }

    /** A reply in a job's thread, as received or as a takeover reads it back. */
    private record Reply(String word, String jobId, String user, String channel, String threadTs) {
    }

    /**
     * A reply acknowledged by a bot that stopped before answering it ({@link CommandHandler#resume}
     * for commands): done again here. A cancel or retry done the first time is refused the second
     * ("already cancelled", "already retried as job N"), which is what the thread then reads.
     */
    public void resume(HeldRequest held) {
        Optional<String> jobId = bot.index().jobOfThread(held.channelId(), held.threadTs());
        String word = held.text().trim().toLowerCase(Locale.ROOT);
        if (jobId.isEmpty() || !WORDS.contains(word)) {
            bot.answered(held.key());
            return;
        }
        Reply r = new Reply(word, jobId.get(), held.userId(), held.channelId(), held.threadTs());
        bot.resume(held, Mrkdwn.code(word) + " in this thread", () -> reply(r), m -> tell(r, m));
    }

    private void tell(Reply r, Rendered m) {
        bot.poster().ephemeral(r.channel(), r.threadTs(), r.user(), m);
    }

    private void reply(Reply r) {
        String word = r.word();
        String jobId = r.jobId();
        String user = r.user();
        bot.access().refuseChannel(r.channel()).or(() -> bot.access().refuseRequester(user)).ifPresent(no -> {
            throw new Refused(no);
        });
        JobView job = bot.backend().job(jobId).orElseThrow(() -> new PgStagingException("job " + jobId + " is no longer known", null));
        switch (word) {
            case "status" -> post(r, Messages.plain("*" + Messages.title(job) + "*\n" + Messages.status(job, null, bot.clock().instant())));
            case "cancel" -> {
                bot.access().refuseCanceller(user, job.requesterId()).ifPresent(no -> {
                    throw new Refused(no);
                });
                if (job.finished()) throw new PgStagingException("this job is already " + job.state().name().toLowerCase(), null);
                bot.messenger().jobChanged(bot.backend().cancel(jobId, user));
                post(r, Messages.plain(Mrkdwn.user(user) + " cancelled " + Messages.title(job) + "."));
            }
            case "retry" -> {
                if (job.state() != JobState.FAILED && job.state() != JobState.CANCELLED) {
                    throw new PgStagingException("only a failed or cancelled job can be retried; this one is "
                            + job.state().name().toLowerCase().replace('_', ' '), null);
                }
                ActionHandler.retryJob(bot, job, user, r.channel());
            }
            case "switch" -> {
                if (job.kind() != JobKind.RESTORE || job.state() != JobState.DONE || job.database() == null) {
                    throw new PgStagingException("there is no finished restore to switch to in this thread", null);
                }
                DatedName target = DatedName.parse(job.database());
                var current = bot.active(job.section());
                if (current.isPresent() && current.get().database().equals(job.database())) {
                    post(r, Messages.plain("*" + Mrkdwn.escape(target.alias()) + "* already points to " + Mrkdwn.code(job.database()) + "."));
                } else {
                    post(r, Messages.switchConfirm(job.section(), target.alias(), job.database(), current.isPresent()
                            ? bot.backend().connections(job.section(), DatedName.parse(current.get().database()).spec()) : List.of()));
                }
            }
            case "dbsizes" -> post(r, Messages.listing("Database sizes", Tables.dbsizes(bot.backend().dbsizes(List.of(job.section()))),
                    CommandHandler.NO_COPIES, null));
            default -> { }
        }
    }

    private void post(Reply r, Rendered m) {
        bot.poster().post(r.channel(), r.threadTs(), false, m);
    }
}
