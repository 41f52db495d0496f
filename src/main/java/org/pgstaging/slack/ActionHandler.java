package org.pgstaging.slack;

import org.pgstaging.job.model.JobMessages;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.interactive_components.response.ActionResponse;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.Confirmed;
import org.pgstaging.job.JobView;
import org.pgstaging.job.RestorePreview;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buttons and the deny modal. Every click is acked at once; the check of who clicked and the work
 * run on the executor. Refusals are ephemeral, seen only by whoever clicked, and change nothing.
 * The clicks on a job's card (approve, cancel, retry) are held until done, like commands: one
 * acknowledged by a bot that stopped is done by the next ({@link #resume}). The others need what
 * only the click itself carries (the deny modal's trigger_id, lasting 3 s; the clicked message,
 * replaced through its response_url), and their message keeps its button for a second click.
 */
public final class ActionHandler {
    private static final Logger log = LoggerFactory.getLogger(ActionHandler.class);

    private final BotContext bot;

    public ActionHandler(BotContext bot) {
        this.bot = bot;
    }

    /** The clicks held until done, by action id: each needs only who clicked, where, and the job's id. */
    private final Map<String, ClickWork> held = Map.of(ActionIds.APPROVE, this::approve, ActionIds.CANCEL, this::cancel,
            ActionIds.RETRY, this::retry);

    public void register(App app) {
        held.forEach((action, work) -> app.blockAction(action, (req, ctx) -> heldClick(req, ctx, action, work)));
        app.blockAction(ActionIds.DENY, (req, ctx) -> click(req, ctx, this::openDeny));
        app.blockAction(ActionIds.SWITCH, (req, ctx) -> click(req, ctx, this::switchCopy));
        app.blockAction(ActionIds.DROP, (req, ctx) -> click(req, ctx, this::drop));
        app.blockAction(ActionIds.PURGE, (req, ctx) -> click(req, ctx, this::purge));
        app.viewSubmission(ActionIds.DENY_VIEW, (req, ctx) -> {
            var view = req.getPayload().getView();
            String user = req.getPayload().getUser().getId();
            String reason = reason(view.getState());
            if (reason == null || reason.isBlank()) {
                return ctx.ack(r -> r.responseAction("errors").errors(Map.of(ActionIds.DENY_REASON_BLOCK, "Say why, for the requester")));
            }
            String jobId = view.getPrivateMetadata();
            bot.later(() -> deny(jobId, user, reason.trim()), m -> toUserAboutJob(jobId, user, m));
            return ctx.ack();
        });
    }

    /** Who clicked, where, on what; {@code body} is the request as Slack sent it. */
    record Click(String user, String channel, String threadTs, String value, String triggerId,
                 BlockActionPayload payload, String body, ActionContext ctx) { }

    @FunctionalInterface
    interface ClickWork {
        void run(Click c);
    }

    private Response click(BlockActionRequest req, ActionContext ctx, ClickWork work) {
        Click c = clicked(req, ctx);
        bot.later(() -> work.run(c), m -> refuse(c, m));
        return ctx.ack();
    }

    /** A click held in the state until done ({@link BotContext#hold}), as its action id and the job's id. */
    private Response heldClick(BlockActionRequest req, ActionContext ctx, String action, ClickWork work) {
        Click c = clicked(req, ctx);
        String key = RequestKey.ofClick(req.getPayload()).orElse(null);
        if (key != null && !bot.hold(HeldRequest.beside(key, action + " " + c.value(), c.user(), c.channel(), c.threadTs(),
                bot.clock().instant()))) {
            return ctx.ack(); // the same click, held already by the bot that got it first: that one does it
        }
        bot.laterHeld(key, () -> work.run(c), m -> refuse(c, m));
        return ctx.ack();
    }

    private static Click clicked(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        String channel = p.getChannel() != null ? p.getChannel().getId() : p.getContainer().getChannelId();
        String threadTs = p.getMessage() != null ? p.getMessage().getThreadTs() : null;
        return new Click(p.getUser().getId(), channel, threadTs, p.getActions().get(0).getValue(), p.getTriggerId(), p,
                req.getRequestBodyAsString(), ctx);
    }

    /**
     * A click acknowledged by a bot that stopped before doing it: done here, as the clicker's again.
     * One the first bot had done is refused by the job's state ("already queued"), and the card is
     * brought up to date, which is what the clicker was waiting for.
     */
    public void resume(HeldRequest held) {
        String[] words = held.text().split(" ", 2);
        ClickWork work = this.held.get(words[0]);
        if (work == null || words.length < 2) {
            bot.answered(held.key());
            return;
        }
        Click c = new Click(held.userId(), held.channelId(), held.threadTs(), words[1], null, null, null, null);
        bot.resume(held, "your click on job " + Mrkdwn.code(words[1]), () -> work.run(c), m -> refuse(c, m));
    }

    private void refuse(Click c, Rendered m) {
        try {
            bot.poster().ephemeral(c.channel(), c.threadTs(), c.user(), m);
        } catch (RuntimeException e) {
            log.warn("Could not tell {} about a refused click: {}", c.user(), e.toString());
        }
    }

    private JobView job(String id) {
        return bot.backend().job(id).orElseThrow(() -> new PgStagingException("job " + id + " is unknown",
                "it may be older than the job history; look at " + bot.settings().command() + " history"));
    }

    private void approve(Click c) {
        JobView job = job(c.value());
        Optional<String> no = bot.access().refuseApprover(c.user(), job.requesterId());
        if (no.isPresent()) {
            refuse(c, Messages.plain(":no_entry: " + no.get()));
            return;
        }
        if (job.state() != JobState.AWAITING_APPROVAL) {
            refuse(c, Messages.plain("This request is already " + job.state().name().toLowerCase().replace('_', ' ') + "."));
            bot.messenger().jobChanged(job);
            return;
        }
        bot.messenger().jobChanged(bot.backend().approve(job.id(), c.user()));
    }

    private void openDeny(Click c) {
        JobView job = job(c.value());
        Optional<String> no = bot.access().refuseApprover(c.user(), job.requesterId());
        if (no.isPresent()) {
            refuse(c, Messages.plain(":no_entry: " + no.get()));
            return;
        }
        bot.poster().openView(c.triggerId(), Messages.denyModal(job.id(), job));
    }

    private void deny(String jobId, String user, String reason) {
        JobView job = job(jobId);
        Optional<String> no = bot.access().refuseApprover(user, job.requesterId());
        if (no.isPresent()) throw new Refused(no.get());
        if (job.state() != JobState.AWAITING_APPROVAL) {
            throw new PgStagingException("this request is already " + job.state().name().toLowerCase().replace('_', ' '), null);
        }
        bot.messenger().jobChanged(bot.backend().deny(jobId, user, reason));
    }

    private void toUserAboutJob(String jobId, String user, Rendered m) {
        bot.index().ref(jobId).ifPresent(ref -> {
            try {
                bot.poster().ephemeral(ref.cardChannel() != null ? ref.cardChannel() : ref.channel(), ref.cardChannel() != null
                        && !ref.cardChannel().equals(ref.channel()) ? null : ref.ts(), user, m);
            } catch (RuntimeException e) {
                log.warn("Could not tell {} about job {}: {}", user, jobId, e.toString());
            }
        });
    }

    private void cancel(Click c) {
        JobView job = job(c.value());
        Optional<String> cannot = bot.access().refuseCanceller(c.user(), job.requesterId());
        if (cannot.isPresent()) {
            refuse(c, Messages.plain(":no_entry: " + cannot.get()));
            return;
        }
        if (job.finished()) {
            // a second click, or a click done again after its bot stopped: the card catches up
            refuse(c, Messages.plain("This job is already " + job.state().name().toLowerCase().replace('_', ' ') + "."));
            bot.messenger().jobChanged(job);
            return;
        }
        bot.messenger().jobChanged(bot.backend().cancel(job.id(), c.user()));
    }

    private void retry(Click c) {
        Optional<String> no = bot.access().refuseRequester(c.user());
        if (no.isPresent()) {
            refuse(c, Messages.plain(":no_entry: " + no.get()));
            return;
        }
        retryJob(bot, job(c.value()), c.user(), c.channel());
    }

    /** Shared with thread replies: a new job, announced like a fresh request. */
    static void retryJob(BotContext bot, JobView old, String user, String channel) {
        JobView fresh = bot.backend().retry(old.id(), user);
        RestorePreview preview = fresh.kind() == JobKind.VACUUMDB ? null
                : bot.backend().preview(fresh.section(), fresh.date() == null ? org.pgstaging.backup.DateSpec.today()
                : org.pgstaging.backup.DateSpec.parse(fresh.date()));
        String where = bot.index().ref(old.id()).map(JobMessages::channel).orElse(channel);
        bot.messenger().announce(fresh, preview, where);
    }

    private void switchCopy(Click c) {
        Optional<String> no = bot.access().refuseRequester(c.user());
        if (no.isPresent()) {
            refuse(c, Messages.plain(":no_entry: " + no.get()));
            return;
        }
        String[] v = c.value().split("\\|", 2);
        String section = bot.section(v[0]);
        DatedName target = DatedName.parse(v[1]);
        String previous = bot.active(section).map(d -> d.database()).orElse(null);
        Confirmed done = bot.backend().switchTo(section, target.spec(), c.user(), c.channel());
        if (queuedInstead(c, done, "switch of " + target.alias() + " to " + v[1])) return;
        String now = done.databases().get(0);
        var original = ClickedBlocks.of(c.body(), c.payload().getMessage() == null ? null : c.payload().getMessage().getBlocks());
        replace(c, Messages.afterSwitch(original, section, target.alias(), now, previous, c.user(), bot.clock().instant()),
                Mrkdwn.escape(target.alias()) + " now points to " + Mrkdwn.code(now));
    }

    private void drop(Click c) {
        Optional<String> no = bot.access().refuseRequester(c.user());
        if (no.isPresent()) {
            refuse(c, Messages.plain(":no_entry: " + no.get()));
            return;
        }
        String[] v = c.value().split("\\|", 2);
        Confirmed done = bot.backend().drop(bot.section(v[0]), DatedName.parse(v[1]).spec(), c.user(), c.channel());
        if (queuedInstead(c, done, "drop of " + v[1])) return;
        String dropped = done.databases().get(0);
        replace(c, Messages.plain(":wastebasket: " + Mrkdwn.user(c.user()) + " dropped " + Mrkdwn.code(dropped) + ".").blocks(),
                "dropped " + Mrkdwn.code(dropped));
    }

    private void purge(Click c) {
        Optional<String> no = bot.access().refuseRequester(c.user());
        if (no.isPresent()) {
            refuse(c, Messages.plain(":no_entry: " + no.get()));
            return;
        }
        Confirmed done = bot.backend().purge(bot.section(c.value()), c.user(), c.channel());
        if (queuedInstead(c, done, "purge of " + c.value())) return;
        List<String> dropped = done.databases();
        String text = dropped.isEmpty() ? ":broom: Nothing to purge in " + Mrkdwn.escape(c.value()) + "."
                : ":broom: " + Mrkdwn.user(c.user()) + " purged " + String.join(", ", dropped.stream().map(Mrkdwn::code).toList()) + ".";
        replace(c, Messages.plain(text).blocks(), text);
    }

    /**
     * When the server was busy the change became a queued job: the clicked message says so and the
     * job gets its own message (position, Cancel, the outcome when it has run).
     */
    private boolean queuedInstead(Click c, Confirmed done, String what) {
        if (!done.isQueued()) return false;
        JobView job = done.queued();
        String text = ":hourglass_flowing_sand: The server is busy with " + Mrkdwn.escape(done.busyWith()) + ", so "
                + Mrkdwn.user(c.user()) + "'s " + Mrkdwn.escape(what) + " is queued as job " + Mrkdwn.code(job.id())
                + (job.position() > 0 ? ", position " + job.position() : "")
                + ". It runs in its turn; follow it below.";
        replace(c, Messages.plain(text).blocks(), text);
        bot.messenger().announce(job, null, c.channel());
        return true;
    }

    /** Replaces the clicked message (ephemeral or not) through its response_url. */
    private static void replace(Click c, List<com.slack.api.model.block.LayoutBlock> blocks, String text) {
        try {
            c.ctx().respond(ActionResponse.builder().replaceOriginal(true).text(text).blocks(blocks).build());
        } catch (IOException e) {
            log.warn("Could not update the clicked message: {}", e.toString());
        }
    }

    private static String reason(ViewState state) {
        if (state == null || state.getValues() == null) return null;
        var block = state.getValues().get(ActionIds.DENY_REASON_BLOCK);
        if (block == null || block.get(ActionIds.DENY_REASON_INPUT) == null) return null;
        return block.get(ActionIds.DENY_REASON_INPUT).getValue();
    }
}
