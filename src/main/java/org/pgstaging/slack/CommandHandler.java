package org.pgstaging.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.app_backend.slash_commands.response.SlashCommandResponse;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.Responder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.job.JobService;
import org.pgstaging.job.JobView;
import org.pgstaging.job.ServerActivity;
import org.pgstaging.job.PgbouncerDatabase;
import org.pgstaging.job.Verb;
import org.pgstaging.job.VerbCall;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.job.model.JobKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /pgstaging WORD ARGS}: refusals and usage errors are answered in the ack itself; everything
 * else is acked with "working…" at once and done on the executor, the answer arriving through the
 * response_url, so Slack always gets its answer within 3 s.
 */
public final class CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);
    static final String WORKING = ":hourglass_flowing_sand: working…";
    static final String NO_COPIES = "_no dated copies_";
    static final String BUSY = ":warning: pgstaging is busy, try again in a minute";
    /** How long Slack takes answers on a response_url. */
    static final Duration RESPONSE_URL_LIFE = Duration.ofMinutes(30);

    private final BotContext bot;

    public CommandHandler(BotContext bot) {
        this.bot = bot;
    }

    public void register(App app) {
        app.command(bot.settings().command(), (req, ctx) -> handle(req.getPayload(), ctx));
    }

    Response handle(SlashCommandPayload p, SlashCommandContext ctx) {
        var refusal = bot.access().refuseChannel(p.getChannelId()).or(() -> bot.access().refuseRequester(p.getUserId()));
        if (refusal.isPresent()) return ctx.ack(ephemeral(Messages.plain(":no_entry: " + refusal.get())));
        List<String> words = words(p.getText());
        if (words.isEmpty() || words.get(0).equalsIgnoreCase("help")) return ctx.ack(ephemeral(Messages.help(bot.settings().command())));
        VerbCall call;
        try {
            call = Verb.parse(words, Verb.Face.CHAT, bot.settings().command());
        } catch (PgStagingException e) {
            return ctx.ack(ephemeral(Messages.error(e.getMessage(), e.hint())));
        }
        String key = RequestKey.ofCommand(p.getTriggerId()).orElse(null);
        if (key != null && !bot.hold(HeldRequest.received(key, p.getText() == null ? "" : p.getText(), p.getUserId(), p.getChannelId(),
                p.getResponseUrl(), bot.clock().instant()))) {
            return ctx.ack(); // the same request, held already by the bot that got it first: that one answers
        }
        Request request = new Request(call, p.getUserId(), p.getChannelId(), key);
        boolean accepted = bot.later(() -> respond(ctx, run(request)), m -> respond(ctx, m), () -> bot.answered(key));
        if (!accepted) bot.answered(key);
        return ctx.ack(ephemeral(Messages.plain(accepted ? WORKING : BUSY)));
    }

    /** One parsed request, as the ack saw it or as a takeover reads it back. */
    private record Request(VerbCall call, String user, String channel, String key) {
    }

    /**
     * A request acknowledged by a bot that stopped before answering it: done again here, the answer
     * going to its response_url while Slack still takes it, else to the user alone in its channel.
     * A restore it had already queued is found, not queued twice ({@link BotContext#request}).
     */
    public void resume(HeldRequest held) {
        java.util.function.Consumer<Rendered> answer = m -> answerLater(held, m);
        bot.resume(held, Mrkdwn.code(Mrkdwn.unescape(held.text())), () -> {
            bot.access().refuseChannel(held.channelId()).or(() -> bot.access().refuseRequester(held.userId())).ifPresent(no -> {
                throw new Refused(no);
            });
            List<String> words = words(held.text());
            VerbCall call = Verb.parse(words, Verb.Face.CHAT, bot.settings().command());
            answer.accept(run(new Request(call, held.userId(), held.channelId(), held.key())));
        }, answer);
    }

    private void answerLater(HeldRequest held, Rendered m) {
        boolean urlAlive = held.responseUrl() != null && held.receivedAt().isAfter(bot.clock().instant().minus(RESPONSE_URL_LIFE));
        try {
            if (urlAlive) {
                new Responder(bot.slack(), held.responseUrl()).send(ephemeral(m));
            } else {
                bot.poster().ephemeral(held.channelId(), null, held.userId(), m);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not answer chat request {} of {}: {}", held.key(), held.userId(), e.toString());
        }
    }

    private static List<String> words(String text) {
        String t = text == null ? "" : Mrkdwn.unescape(text).trim();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }

    private Rendered run(Request r) {
        VerbCall call = r.call();
        JobService b = bot.backend();
        String section = call.section() == null ? null : bot.section(call.section());
        return switch (call.verb()) {
            case RESTORE, FETCH, VACUUMDB -> submit(r, section);
            case DROP -> {
                String db = b.copyToDrop(section, call.date());
                yield Messages.dropConfirm(section, db, b.connections(section, DatedName.parse(db).spec()));
            }
            case PURGE -> Messages.purgeConfirm(section, b.connections(section, null));
            case SWITCH -> {
                String db = b.copyToSwitchTo(section, call.date());
                var current = bot.active(section);
                if (current.isPresent() && current.get().database().equals(db)) {
                    yield Messages.plain("*" + Mrkdwn.escape(DatedName.parse(db).alias()) + "* already points to " + Mrkdwn.code(db) + ".");
                }
                yield Messages.switchConfirm(section, DatedName.parse(db).alias(), db,
                        current.isPresent() ? b.connections(section, DatedName.parse(current.get().database()).spec()) : List.of());
            }
            case DATABASES -> section == null
                    ? Messages.plain("*Sections*: " + String.join(", ", b.sections().stream().map(Mrkdwn::escape).toList()))
                    : Messages.listing("Copies of " + section, Tables.databases(b.databases(section)), NO_COPIES, null);
            case BACKUPS -> {
                String which = call.value("WHICH");
                List<BackupFile> files = b.backups(section, "local".equals(which));
                if ("oldest".equals(which) || "latest".equals(which)) files = BackupFile.pick(files, "latest".equals(which));
                yield Messages.listing(("local".equals(which) ? "Downloaded backups of " : "Backups of ") + section, Tables.backups(files),
                        "_no backups found_", null);
            }
            case DBSIZES -> {
                List<String> sections = call.sections().isEmpty() ? b.sections() : call.sections().stream().map(bot::section).toList();
                yield Messages.listing("Database sizes", Tables.dbsizes(b.dbsizes(sections)), NO_COPIES, null);
            }
            case DBSIZE -> {
                var s = b.dbsize(section, call.date());
                yield Messages.plain(Mrkdwn.code(s.database()) + ": " + Human.bytes(s.bytes()) + (s.active() ? " (active)" : ""));
            }
            case SHOW -> {
                String setting = call.value("SETTING");
                yield Messages.plain(Mrkdwn.code(setting) + " = " + Mrkdwn.code(b.show(section, call.date(), setting)));
            }
            case PGBOUNCER -> {
                List<PgbouncerDatabase> rows = b.pgbouncer(section);
                String which = call.value("WHICH");
                if (which != null) {
                    rows = PgbouncerDatabase.datedCopy(rows, b.alias(section), "latest".equals(which)).map(List::of).orElse(List.of());
                }
                yield Messages.listing("pgbouncer for " + section, Tables.pgbouncer(rows), "_pgbouncer knows no database of this section_", null);
            }
            case CATALOG -> Messages.plain(Messages.filterSummary(b.catalog(section, call.dateOrDefault())));
            case QUEUE -> {
                List<ServerActivity> servers = b.activity(call.sections().stream().map(bot::section).toList());
                java.util.Set<String> served = new java.util.HashSet<>();
                servers.forEach(s -> served.addAll(s.sections()));
                SlackTable jobs = Tables.queue(b.queue().stream().filter(j -> served.contains(j.section())).toList(), bot.names()::name);
                SlackTable others = Tables.outsideJobs(servers, bot.names()::name);
                yield Messages.listing("Queue", jobs, "_the queue is empty_",
                        others == null ? null : "*Outside the bot* (consoles, scripts, buttons)\n" + others.fenced());
            }
            case HISTORY -> Messages.listing(section == null ? "History" : "History of " + section,
                    Tables.history(b.history(section, call.count() == null ? 10 : call.count()), bot.names()::name),
                    "_no change recorded yet_", null);
            default -> throw new IllegalStateException("no chat handler for " + call.verb().word());
        };
    }

    private Rendered submit(Request r, String section) {
        VerbCall call = r.call();
        JobView job = bot.request(JobKind.parse(call.verb().word()), section, call.dateOrDefault(), r.user(), r.channel(), r.key());
        return Messages.plain(BotContext.requested(job));
    }

    static SlashCommandResponse ephemeral(Rendered m) {
        return SlashCommandResponse.builder().responseType("ephemeral").text(m.text()).blocks(m.blocks()).build();
    }

    private static void respond(SlashCommandContext ctx, Rendered m) {
        try {
            ctx.respond(ephemeral(m));
        } catch (IOException e) {
            log.warn("Could not answer through response_url: {}", e.toString());
        }
    }
}
