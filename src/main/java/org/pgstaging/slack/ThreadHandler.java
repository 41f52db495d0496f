package org.pgstaging.slack;

import com.slack.api.bolt.App;
import com.slack.api.model.event.MessageEvent;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.JobView;
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
            bot.later(() -> reply(word, jobId.get(), e), m -> bot.poster().ephemeral(e.getChannel(), e.getThreadTs(), e.getUser(), m));
            return ctx.ack();
        });
    }

    private void reply(String word, String jobId, MessageEvent e) {
        String user = e.getUser();
        bot.access().refuseChannel(e.getChannel()).or(() -> bot.access().refuseRequester(user)).ifPresent(no -> {
            throw new Refused(no);
        });
        JobView job = bot.backend().job(jobId).orElseThrow(() -> new PgStagingException("job " + jobId + " is no longer known", null));
        switch (word) {
            case "status" -> post(e, Messages.plain("*" + Messages.title(job) + "*\n" + Messages.status(job, null, bot.clock().instant())));
            case "cancel" -> {
                bot.access().refuseCanceller(user, job.requesterId()).ifPresent(no -> {
                    throw new Refused(no);
                });
                if (job.finished()) throw new PgStagingException("this job is already " + job.state().name().toLowerCase(), null);
                bot.messenger().jobChanged(bot.backend().cancel(jobId, user));
                post(e, Messages.plain(Mrkdwn.user(user) + " cancelled " + Messages.title(job) + "."));
            }
            case "retry" -> {
                if (job.state() != JobState.FAILED && job.state() != JobState.CANCELLED) {
                    throw new PgStagingException("only a failed or cancelled job can be retried; this one is "
                            + job.state().name().toLowerCase().replace('_', ' '), null);
                }
                ActionHandler.retryJob(bot, job, user, e.getChannel());
            }
            case "switch" -> {
                if (job.kind() != JobKind.RESTORE || job.state() != JobState.DONE || job.database() == null) {
                    throw new PgStagingException("there is no finished restore to switch to in this thread", null);
                }
                DatedName target = DatedName.parse(job.database());
                var current = bot.active(job.section());
                if (current.isPresent() && current.get().database().equals(job.database())) {
                    post(e, Messages.plain("*" + Mrkdwn.escape(target.alias()) + "* already points to " + Mrkdwn.code(job.database()) + "."));
                } else {
                    post(e, Messages.switchConfirm(job.section(), target.alias(), job.database(), current.isPresent()
                            ? bot.backend().connections(job.section(), DatedName.parse(current.get().database()).spec()) : List.of()));
                }
            }
            case "dbsizes" -> post(e, Messages.listing("Database sizes", Tables.dbsizes(bot.backend().dbsizes(List.of(job.section()))),
                    CommandHandler.NO_COPIES, null));
            default -> { }
        }
    }

    private void post(MessageEvent e, Rendered m) {
        bot.poster().post(e.getChannel(), e.getThreadTs(), false, m);
    }
}
