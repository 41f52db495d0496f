package org.pgstaging.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.View;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.JobRefusedException;
import org.pgstaging.job.JobView;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.job.model.JobKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request form's life: the global shortcut and the Home tab's button open it; choosing a
 * section lists its backups and choosing a backup works out its plan (each acked at once, then the
 * modal is updated with views.update: the backup listing is not bounded by Slack's 3 s, unlike an
 * external_select's options request); the submission is checked field by field, then asked for as
 * the slash command asks ({@link BotContext#request}).
 */
final class RequestFormHandler {
    /** How long the submission may take before Slack is answered with a "being asked" view instead (Slack waits 3 s). */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    /** The modal's final state waits this long after that view was sent, so Slack shows them in order. */
    static final Duration AFTER_ANSWER = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(RequestFormHandler.class);

    private final BotContext bot;
    private final ScheduledExecutorService scheduler;
    /** The newest change of each open form: a slower, older update must not overwrite a newer one. */
    private final Cache<String, Long> newest = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).maximumSize(10_000).build();
    private final AtomicLong changes = new AtomicLong();

    RequestFormHandler(BotContext bot, ScheduledExecutorService scheduler) {
        this.bot = bot;
        this.scheduler = scheduler;
    }

    void register(App app) {
        app.globalShortcut(ActionIds.REQUEST_SHORTCUT, (req, ctx) -> {
            open(req.getPayload().getTriggerId(), req.getPayload().getUser().getId());
            return ctx.ack();
        });
        app.blockAction(ActionIds.HOME_REQUEST, (req, ctx) -> {
            open(req.getPayload().getTriggerId(), req.getPayload().getUser().getId());
            return ctx.ack();
        });
        app.blockAction(ActionIds.REQUEST_SECTION, (req, ctx) -> {
            BlockActionPayload p = req.getPayload();
            String section = selected(p);
            if (section != null) change(p.getView().getId(), section, null, RequestForm.choice(p.getView().getState()).channel());
            return ctx.ack();
        });
        app.blockAction(ActionIds.REQUEST_DATE, (req, ctx) -> {
            BlockActionPayload p = req.getPayload();
            RequestForm.Choice c = RequestForm.choice(p.getView().getState());
            if (c.section() != null) change(p.getView().getId(), c.section(), selected(p), c.channel());
            return ctx.ack();
        });
        app.viewSubmission(ActionIds.REQUEST_VIEW, (req, ctx) -> submit(req.getPayload().getView(), req.getPayload().getUser().getId(),
                RequestKey.ofSubmission(req.getPayload().getTriggerId()).orElse(null), ctx));
    }

    private static String selected(BlockActionPayload p) {
        var a = p.getActions().get(0);
        return a.getSelectedOption() == null ? null : a.getSelectedOption().getValue();
    }

    // ---- opening, choosing -------------------------------------------------------------------

    /** The form, or why the user may not ask; with one section only, that section is chosen for them. */
    private void open(String triggerId, String user) {
        bot.later(() -> {
            Optional<String> refusal = bot.access().refuseRequester(user);
            if (refusal.isPresent()) {
                bot.poster().openView(triggerId, RequestForm.refused(refusal.get()));
                return;
            }
            List<String> sections = bot.backend().sections();
            String channel = bot.settings().channels().isEmpty() ? null : bot.settings().channels().get(0);
            String only = sections.size() == 1 ? sections.get(0) : null;
            String viewId = bot.poster().openView(triggerId, RequestForm.form(sections,
                    new RequestForm.State(only, null, null, null, channel), bot.settings().command()));
            if (only != null) change(viewId, only, null, channel);
        }, m -> log.warn("Could not open the request form for {}: {}", user, m.text()));
    }

    /** Reads the section's backups, then the chosen one's plan, updating the form after each. */
    private void change(String viewId, String section, String date, String channel) {
        long change = changes.incrementAndGet();
        newest.put(viewId, change);
        bot.later(() -> {
            List<String> sections = bot.backend().sections();
            RequestForm.Listing listing;
            try {
                listing = RequestForm.Listing.of(bot.backend().backups(section, false));
            } catch (PgStagingException e) {
                listing = RequestForm.Listing.failed(e.getMessage());
            }
            RequestForm.State state = new RequestForm.State(section, listing, date, null, channel);
            if (listing.error() != null || listing.files().isEmpty()) {
                update(viewId, change, RequestForm.form(sections, state, bot.settings().command()));
                return;
            }
            if (date == null) update(viewId, change, RequestForm.form(sections, state, bot.settings().command()));
            RequestForm.Plan plan;
            try {
                plan = new RequestForm.Plan(bot.backend().preview(section, DateSpec.parse(date == null ? RequestForm.LATEST : date)), null);
            } catch (PgStagingException e) {
                plan = new RequestForm.Plan(null, e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
            }
            update(viewId, change, RequestForm.form(sections, new RequestForm.State(section, listing, date, plan, channel),
                    bot.settings().command()));
        }, m -> log.warn("Could not update the request form {}: {}", viewId, m.text()));
    }

    private void update(String viewId, long change, View view) {
        Long latest = newest.getIfPresent(viewId);
        if (latest != null && latest != change) return; // the user chose again meanwhile, or submitted
        try {
            bot.poster().updateView(viewId, view);
        } catch (PgStagingException e) {
            // closed meanwhile (not_found) is the usual reason: nothing to tell anyone
            log.info("Could not update the request form {}: {}", viewId, e.getMessage());
        }
    }

    // ---- submitting -------------------------------------------------------------------------

    /**
     * {@code key}: the submission's request key. Held as the slash command {@code restore SECTION DATE}
     * while it is asked for, so a bot stopping meanwhile leaves it to another ({@link CommandHandler#resume}).
     */
    private Response submit(View view, String user, String key, ViewSubmissionContext ctx) {
        RequestForm.Choice c = RequestForm.choice(view.getState());
        Map<String, String> errors = check(c, user);
        if (!errors.isEmpty()) return ctx.ackWithErrors(errors); // the form stays, and its updates still come
        newest.put(view.getId(), changes.incrementAndGet()); // late updates of the form must not replace what follows
        String section = c.section();
        String date = c.dateOfSection();
        if (key != null && !bot.hold(HeldRequest.received(key, "restore " + section + " " + date, user, c.channel(), null,
                bot.clock().instant()))) {
            return ctx.ackWithUpdate(RequestForm.submitting(section, date)); // delivered twice: the first delivery asks
        }
        CompletableFuture<JobView> asked;
        try {
            asked = CompletableFuture.supplyAsync(() -> bot.request(JobKind.RESTORE, section, DateSpec.parse(date), user, c.channel(),
                    key), bot.executor());
        } catch (RejectedExecutionException busy) {
            bot.answered(key);
            return ctx.ackWithErrors(Map.of(ActionIds.REQUEST_SECTION_BLOCK, "pgstaging is busy: send again in a minute"));
        }
        asked.whenComplete((job, failure) -> bot.answered(key));
        try {
            JobView job = asked.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            return ctx.ackWithUpdate(RequestForm.outcome(outcome(job, null, c.channel())));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PgStagingException p) return ctx.ackWithErrors(Map.of(blockOf(p, section), plain(p)));
            return ctx.ackWithUpdate(RequestForm.outcome(outcome(null, e.getCause(), c.channel())));
        } catch (TimeoutException slow) {
            long answered = bot.clock().millis();
            asked.whenComplete((job, failure) -> later(answered, () ->
                    bot.poster().updateView(view.getId(), RequestForm.outcome(outcome(job, failure, c.channel())))));
            return ctx.ackWithUpdate(RequestForm.submitting(section, date));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ctx.ackWithErrors(Map.of(ActionIds.REQUEST_SECTION_BLOCK, "pgstaging is stopping: send again in a minute"));
        }
    }

    /** The checks that need no server: each wrong field gets its error. */
    private Map<String, String> check(RequestForm.Choice c, String user) {
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        Optional<String> refusal = bot.access().refuseRequester(user);
        if (refusal.isPresent()) {
            errors.put(ActionIds.REQUEST_SECTION_BLOCK, refusal.get());
        } else if (c.section() == null) {
            errors.put(ActionIds.REQUEST_SECTION_BLOCK, "Choose a section");
        } else {
            try {
                bot.section(c.section());
                if (c.dateOfSection() == null) errors.put(ActionIds.REQUEST_SECTION_BLOCK, "Choose one of its backups first");
            } catch (PgStagingException e) {
                errors.put(ActionIds.REQUEST_SECTION_BLOCK, plain(e));
            }
        }
        if (c.channel() == null) {
            errors.put(ActionIds.REQUEST_CHANNEL_BLOCK, "Choose the channel the request is posted in");
        } else if (bot.access().refuseChannel(c.channel()).isPresent()) {
            errors.put(ActionIds.REQUEST_CHANNEL_BLOCK, "pgstaging does not take requests in that channel: choose one of its "
                    + bot.settings().channels().size() + " channels");
        }
        return errors;
    }

    /** The field a failed submission is about: posting is the channel's, a refusal the requester's, the rest the backup's. */
    private static String blockOf(PgStagingException e, String section) {
        if (e instanceof BotContext.NotPosted) return ActionIds.REQUEST_CHANNEL_BLOCK;
        if (e instanceof JobRefusedException) return ActionIds.REQUEST_SECTION_BLOCK;
        return RequestForm.dateBlock(section);
    }

    /** An error under a field is plain text, where a channel link would show as its raw ID. */
    private static String plain(PgStagingException e) {
        String text = e.getMessage() + (e.hint() == null || e.hint().isBlank() ? "" : ": " + e.hint());
        return text.replaceAll("<#[A-Z0-9]+(\\|[^>]*)?>", "that channel");
    }

    /** How the request went: posted, or why not (the form is gone by then: no field to name). */
    private static Rendered outcome(JobView job, Throwable failure, String channel) {
        if (job != null) return Messages.plain(":white_check_mark: " + BotContext.requested(job) + " Follow it in <#" + channel + ">.");
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        if (cause instanceof PgStagingException p) return Messages.error(p.getMessage(), p.hint());
        log.error("Request form submission failed", cause);
        return Messages.error("pgstaging failed unexpectedly: " + cause, "see the bot's log");
    }

    /** Runs {@code work} no sooner than {@link #AFTER_ANSWER} after {@code answeredAt}. */
    private void later(long answeredAt, Runnable work) {
        long delay = Math.max(0, answeredAt + AFTER_ANSWER.toMillis() - bot.clock().millis());
        scheduler.schedule(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("Could not show how the request went: {}", e.toString());
            }
        }, delay, TimeUnit.MILLISECONDS);
    }
}
