package org.pgstaging.cli;

import java.time.Clock;
import java.time.Duration;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.QueuedJobService;
import org.pgstaging.job.StagingService;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.slack.SlackBot;
import org.pgstaging.slack.SlackSettings;
import org.pgstaging.metrics.Metrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pgstaging bot}: the Slack face. It drives the same engine as the console, through the
 * durable queue kept under {@code state_dir} (or in the database of {@code state_url}); it runs until
 * interrupted (SIGTERM, Ctrl-C).
 */
@Command(name = "bot", description = "Run the Slack chat-ops bot described by the [slack] section (Socket Mode"
        + " or HTTP) until stopped; queued restores survive restarts.")
final class BotCommand extends BaseCommand {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BotCommand.class);

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text or json (one JSON object per line on stderr); overrides [slack] log_format.")
    String logFormat;

    @Override
    protected void run() {
        if (session.mode() != Session.Mode.ONE_SHOT) {
            throw new UsageException("bot runs from the command line, not from the console or a script",
                    "start it with: java -jar pgstaging.jar -c FILE bot");
        }
        SlackSettings settings = new SlackSettings(withLogFormat(session.config().slack()));
        boolean json = settings.logFormat() == SlackSettings.LogFormat.JSON;
        if (json) Logging.json();
        // the bot's jobs and buttons go into the same history as consoles sharing its state (state_url or state_dir)
        StagingService staging = new StagingService(session.config(), EngineOptions.defaults(), RestoreListener.NONE)
                .recordingHistory();
        StopSignal stop = StopSignal.onTerm();
        try (Metrics metrics = Metrics.withJvm();
             QueuedJobService backend = QueuedJobService.open(staging,
                     Duration.ofMinutes(settings.stallMinutes()), SlackBot.jobPolicy(settings)).recordMetricsIn(metrics.registry());
             SlackBot bot = new SlackBot(settings, backend, Clock.systemUTC(), metrics)) {
            backend.start();
            bot.start();
            say(json, "pgstaging bot running in " + settings.mode().name().toLowerCase() + " mode ("
                    + settings + "); stop it with Ctrl-C or SIGTERM");
            boolean interrupted = false;
            try {
                stop.await();
                say(json, "pgstaging bot: " + stop.received() + " received, stopping: no more requests nor jobs; the running"
                        + " job gets up to " + backend.shutdownGrace().toSeconds() + " s to clean up and is handed back to the queue");
            } catch (InterruptedException e) {
                interrupted = true; // Ctrl-C: the same orderly stop, within the console's cleanup grace
            }
            // this order: no new request while the queue stops, the bot still posts the jobs' notices,
            // and the store stays open until the bot has posted them (they read the job's messages from it)
            bot.stopReceiving();
            backend.stopJobs();
            bot.close();
            if (interrupted) Thread.currentThread().interrupt();
        } catch (PgStagingException e) {
            throw e;
        } catch (Exception e) {
            throw new PgStagingException("the Slack bot could not start: " + e.getMessage(),
                    "check bot_token/app_token and api_url in [slack]", e);
        }
    }

    /** A line for the operator: plain on stderr, or a log line when the log is JSON (a plain line would break it). */
    private void say(boolean json, String line) {
        if (json) {
            log.info(line);
        } else {
            out().err().println(line);
            out().err().flush();
        }
    }

    /** The [slack] section with --log-format, when given, in place of its log_format. */
    private java.util.Map<String, String> withLogFormat(java.util.Map<String, String> slack) {
        if (logFormat == null) return slack;
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(slack);
        m.put("log_format", logFormat);
        return m;
    }
}
