package org.pgstaging.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.app_backend.slash_commands.response.SlashCommandResponse;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.response.Response;
import java.io.IOException;
import java.util.List;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.JobService;
import org.pgstaging.job.JobSubmission;
import org.pgstaging.job.JobView;
import org.pgstaging.job.RestorePreview;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
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
        ParsedCommand cmd;
        try {
            cmd = ParsedCommand.parse(p.getText(), bot.settings().command());
        } catch (PgStagingException e) {
            return ctx.ack(ephemeral(Messages.error(e.getMessage(), e.hint())));
        }
        if (cmd.name().equals("help")) return ctx.ack(ephemeral(Messages.help(bot.settings().command())));
        boolean accepted = bot.later(() -> respond(ctx, run(cmd, p)), m -> respond(ctx, m));
        return ctx.ack(ephemeral(Messages.plain(accepted ? WORKING : ":warning: pgstaging is busy, try again in a minute")));
    }

    private Rendered run(ParsedCommand cmd, SlashCommandPayload p) {
        JobService b = bot.backend();
        String section = cmd.section() == null ? null : bot.section(cmd.section());
        return switch (cmd.name()) {
            case "restore", "fetch", "vacuumdb" -> submit(cmd, section, p);
            case "drop" -> {
                DatabaseInfo copy = bot.copy(section, cmd.date());
                if (copy.active()) {
                    throw new PgStagingException(copy.database() + " is the copy the alias points to",
                            "switch to another copy first: " + bot.settings().command() + " switch " + section + " DATE");
                }
                yield Messages.dropConfirm(section, copy.database(), b.connections(section, cmd.date()));
            }
            case "purge" -> Messages.purgeConfirm(section, b.connections(section, null));
            case "switch" -> {
                DatabaseInfo copy = bot.copy(section, cmd.date());
                if (copy.active()) yield Messages.plain("*" + DatedName.parse(copy.database()).alias() + "* already points to `" + copy.database() + "`.");
                var current = bot.active(section);
                yield Messages.switchConfirm(section, DatedName.parse(copy.database()).alias(), copy.database(),
                        current.isPresent() ? b.connections(section, DatedName.parse(current.get().database()).spec()) : List.of());
            }
            case "databases" -> table("Copies of " + section, Tables.databases(b.databases(section)));
            case "backups" -> table("Backups of " + section, Tables.backups(b.backups(section)));
            case "dbsizes" -> {
                List<String> sections = cmd.args().isEmpty() ? b.sections() : cmd.args().stream().map(bot::section).toList();
                yield table("Database sizes", Tables.dbsizes(b.dbsizes(sections)));
            }
            case "dbsize" -> {
                var s = b.dbsize(section, cmd.date());
                yield Messages.plain("`" + Mrkdwn.escape(s.database()) + "`: " + Human.bytes(s.bytes()) + (s.active() ? " (active)" : ""));
            }
            case "show" -> Messages.plain("`" + Mrkdwn.escape(cmd.args().get(1)) + "` = `"
                    + Mrkdwn.escape(b.show(section, cmd.date(), cmd.args().get(1))) + "`");
            case "pgbouncer" -> table("pgbouncer for " + section, Tables.pgbouncer(b.pgbouncer(section)));
            case "catalog" -> Messages.plain(Tables.catalog(b.catalog(section, cmd.date())));
            case "queue" -> table("Queue", Tables.queue(b.queue(), bot.names()::name));
            case "history" -> table("History", Tables.history(b.history(cmd.args().isEmpty() ? 10 : Integer.parseInt(cmd.args().get(0))), bot.names()::name));
            default -> throw new IllegalStateException("no handler for " + cmd.name());
        };
    }

    private Rendered submit(ParsedCommand cmd, String section, SlashCommandPayload p) {
        JobKind kind = JobKind.valueOf(cmd.name().toUpperCase());
        DateSpec date = cmd.date();
        RestorePreview preview = kind == JobKind.VACUUMDB ? null : bot.backend().preview(section, date);
        JobView job = bot.backend().submit(new JobSubmission(kind, section, date, p.getUserId(), p.getChannelId()));
        try {
            bot.messenger().announce(job, preview, p.getChannelId());
        } catch (PgStagingException e) {
            // Nobody could approve a request nobody can see: take it back rather than leave it waiting.
            bot.backend().cancel(job.id(), p.getUserId());
            throw e;
        }
        return Messages.plain("Request `" + job.id() + "` posted; " + (job.state() == JobState.AWAITING_APPROVAL
                ? "it waits for an approver." : "no approval needed for " + Mrkdwn.escape(section) + ": it is queued."));
    }

    static Rendered table(String title, String body) {
        return Messages.plain("*" + Mrkdwn.escape(title) + "*\n" + body);
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
