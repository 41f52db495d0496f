package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.QueuedJobService;
import org.pgstaging.job.StagingService;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.metrics.Metrics;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.PrometheusText;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;
import org.pgstaging.testkit.StagingSandbox;

/**
 * /metrics of a bot on real parts: a restore asked with a signed slash command runs into the test
 * PostgreSQL from a dump served by nginx, the loopback Slack Web API answers one chat.update with a
 * 429, and the scrape must agree with what the console's {@code history --json} (a process of its
 * own, on the same state_dir) says of the same job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndToEndTest {
    static final String BOT_TOKEN = "xoxb-5555-6666-pgstagingmetrics";
    static final String SECRET = "4f1e2d3c4b5a69788796a5b4c3d2e1f0";
    static final String CHANNEL = "C0METRICS";
    static final String ALICE = "U0ALICE";
    static final Duration LONG = Duration.ofSeconds(90);

    private StagingSandbox sandbox;
    private SlackApiServer api;
    private Path ini;
    private Path stateDir;
    private JobStore store;
    private Metrics metrics;
    private QueuedJobService backend;
    private SlackBot bot;
    private URI events;
    private URI metricsUri;
    private String server;

    @BeforeAll
    void start() throws Exception {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
        sandbox.publishDump("metricsdb", LocalDate.now(ZoneOffset.UTC));
        ini = sandbox.writeConfig("metricsdb", "approval = none");
        stateDir = sandbox.dir.resolve("state"); // the ini's [slack] state_dir: the console reads the same history
        StagingService staging = new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), RestoreListener.NONE)
                .recordingIn(org.pgstaging.job.store.StateLocation.directory(stateDir));
        api = SlackApiServer.start(BOT_TOKEN, "xapp-1-unused");
        api.user(ALICE, "alice");
        Map<String, String> m = new HashMap<>();
        m.put("mode", "http");
        m.put("bot_token", BOT_TOKEN);
        m.put("signing_secret", SECRET);
        m.put("api_url", api.apiUrl());
        m.put("state_dir", stateDir.toString());
        m.put("channels", CHANNEL);
        m.put("requesters", ALICE);
        m.put("approvers", "U0CAROL");
        SlackSettings settings = new SlackSettings(m, Map.of());
        store = JobStore.open(stateDir);
        metrics = Metrics.withJvm();
        backend = new QueuedJobService(staging, store, Duration.ofMinutes(10), SlackBot.jobPolicy(settings))
                .recordMetricsIn(metrics.registry());
        bot = new SlackBot(settings, backend, Clock.systemUTC(), metrics);
        backend.start();
        SlackHttpServer http = bot.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        events = http.eventsUri();
        metricsUri = events.resolve(SlackHttpServer.METRICS_PATH);
        server = "127.0.0.1:" + sandbox.pg.port();
    }

    @AfterAll
    void stop() {
        if (bot != null) bot.close();
        if (backend != null) backend.close();
        if (store != null) store.close();
        if (metrics != null) metrics.close();
        if (api != null) api.close();
        if (sandbox != null) sandbox.close();
    }

    @Test
    void aRestoreThroughTheBotIsCountedAsTheHistoryRecordsIt() throws Exception {
        PrometheusText before = PrometheusText.scrape(metricsUri);
        assertThat(before.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(before.value("pgstaging_queue_length", "server", server)).as("every configured server, from the start").isZero();
        assertThat(before.value("pgstaging_queue_running", "server", server)).isZero();
        assertThat(before.find("pgstaging_jobs_finished_total")).isEmpty();

        api.rateLimit("chat.update", 1, 1);
        SlackRequests slack = new SlackRequests(SECRET);
        HttpResponse<String> ack = slack.send(events, slack.signForm(slack.slashCommand(ALICE, CHANNEL, "/pgstaging",
                "restore metricsdb.dev", api.responseUrl())));
        assertThat(ack.statusCode()).isEqualTo(200);
        Gate.await("the restore job to end", LONG, () -> store.recent(10).stream()
                .anyMatch(j -> j.kind() == JobKind.RESTORE && j.state().isFinal()));
        Job job = store.recent(10).stream().filter(j -> j.kind() == JobKind.RESTORE).findFirst().orElseThrow();
        assertThat(job.state()).as(String.valueOf(job.error())).isEqualTo(JobState.DONE);
        // the 429 was answered to an edit of the request message; the edit is held back, then sent
        Gate.await("the rate-limited edit to be sent again", LONG, () -> api.calls("chat.update").size() >= 2);

        JsonArray history = consoleHistoryJson();
        Map<String, Integer> changes = new TreeMap<>();
        Map<String, Integer> steps = new TreeMap<>();
        long dumpBytes = 0;
        for (JsonElement e : history) {
            JsonObject c = e.getAsJsonObject();
            changes.merge(c.get("kind").getAsString() + "/" + c.get("outcome").getAsString(), 1, Integer::sum);
            for (JsonElement s : c.getAsJsonArray("steps")) steps.merge(s.getAsJsonObject().get("step").getAsString(), 1, Integer::sum);
            if (c.has("dump_bytes") && !c.get("dump_bytes").isJsonNull()) dumpBytes += c.get("dump_bytes").getAsLong();
        }
        assertThat(changes).as("history --json").containsEntry("restore/done", 1);
        assertThat(steps).containsKeys("download", "pg_restore");

        PrometheusText after = awaitScrape(t -> !t.find("pgstaging_jobs_finished_total").isEmpty());
        Map<String, Integer> counted = new TreeMap<>();
        for (PrometheusText.Series s : after.find("pgstaging_jobs_finished_total")) {
            counted.merge(s.labels().get("kind") + "/" + s.labels().get("outcome"), (int) s.value(), Integer::sum);
        }
        assertThat(counted).as("jobs finished, by kind and outcome").isEqualTo(changes);
        assertThat(after.value("pgstaging_job_duration_seconds_count", "kind", "restore", "outcome", "done")).isEqualTo(1.0);
        double seconds = Duration.between(job.startedAt(), job.finishedAt()).toMillis() / 1000.0;
        assertThat(after.value("pgstaging_job_duration_seconds_sum", "kind", "restore", "outcome", "done"))
                .isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.01));
        for (Map.Entry<String, Integer> step : steps.entrySet()) {
            assertThat(after.value("pgstaging_restore_step_duration_seconds_count", "step", step.getKey()))
                    .as("step " + step.getKey()).isEqualTo(step.getValue().doubleValue());
        }
        assertThat(after.value("pgstaging_restore_step_bytes_count", "step", "download")).isEqualTo(1.0);
        assertThat(after.value("pgstaging_restore_step_bytes_sum", "step", "download")).as("the dump's size, as the history has it")
                .isEqualTo((double) dumpBytes);
        assertThat(after.value("pgstaging_jobs", "kind", "restore", "state", "done")).isEqualTo(1.0);
        assertThat(after.value("pgstaging_jobs", "kind", "restore", "state", "running")).isZero();
        assertThat(after.value("pgstaging_queue_length", "server", server)).isZero();

        assertThat(after.value("pgstaging_slack_ack_seconds_count", "mode", "http")).as("the slash command's ack").isGreaterThanOrEqualTo(1.0);
        assertThat(after.value("pgstaging_slack_ack_seconds_bucket", "mode", "http", "le", "+Inf"))
                .isEqualTo(after.value("pgstaging_slack_ack_seconds_count", "mode", "http"));

        assertThat(after.value("pgstaging_slack_api_rate_limited_total", "method", "chat.update")).isEqualTo(1.0);
        assertThat(after.value("pgstaging_slack_api_errors_total", "method", "chat.update", "error", "ratelimited")).isEqualTo(1.0);
        assertThat(after.value("pgstaging_slack_rate_limit_wait_seconds_count", "method", "chat.update")).isEqualTo(1.0);
        assertThat(after.find("pgstaging_slack_api_errors_total")).as("no other Web API error").hasSize(1);

        for (String jvm : List.of("pgstaging_jvm_memory_used_bytes", "pgstaging_jvm_threads_live_threads",
                "pgstaging_jvm_gc_memory_allocated_bytes_total", "pgstaging_system_cpu_count", "pgstaging_process_uptime_seconds")) {
            assertThat(after.has(jvm)).as(jvm).isTrue();
        }
        assertThat(after.series()).allMatch(s -> s.name().startsWith("pgstaging_"));
        assertThat(after.text()).doesNotContain(BOT_TOKEN).doesNotContain(SECRET);
    }

    private PrometheusText awaitScrape(java.util.function.Predicate<PrometheusText> ready) throws Exception {
        long end = System.nanoTime() + LONG.toNanos();
        while (true) {
            PrometheusText t = PrometheusText.scrape(metricsUri);
            if (ready.test(t) || System.nanoTime() > end) return t;
            Thread.sleep(200);
        }
    }

    /** {@code pgstaging --json history} in a JVM of its own, as an operator runs it. */
    private JsonArray consoleHistoryJson() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dfile.encoding=UTF-8", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "org.pgstaging.cli.Main", "-c", ini.toString(), "--json", "history")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("pgstaging history exit code; stdout:\n" + out).isZero();
        return JsonParser.parseString(out).getAsJsonArray();
    }
}
