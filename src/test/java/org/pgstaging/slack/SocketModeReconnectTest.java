package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.job.JobView;
import org.pgstaging.job.model.JobState;
import org.pgstaging.metrics.Metrics;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.PostgresServer;
import org.pgstaging.testkit.PrometheusText;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackApiServer.Posted;
import org.pgstaging.testkit.SlackRequests;

/**
 * Socket Mode when the connection goes: dropped by the network mid-restore, retired by Slack with a
 * {@code disconnect} message, reopened while apps.connections.open fails. The bot reconnects, /healthz,
 * the metrics and the log say how the link is, and no acknowledged work nor job message is lost.
 */
class SocketModeReconnectTest {
    static final Duration LONG = Duration.ofSeconds(30);
    static SlackApiServer api;
    static RecordingBackend backend;
    static SlackBot bot;
    static Metrics metrics;
    static URI base;
    static SlackRequests slack = new SlackRequests("unused-in-socket-mode-000000000");

    @BeforeAll
    static void start() throws Exception {
        api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, SlackSocketModeTest.APP_TOKEN);
        Map<String, String> m = SlackSocketModeTest.socketSettings(api.apiUrl(), "pgstaging-socket-reconnect");
        int port = PostgresServer.freePort();
        m.put("metrics_port", Integer.toString(port));
        base = URI.create("http://127.0.0.1:" + port);
        SlackSettings settings = new SlackSettings(m, Map.of());
        backend = new RecordingBackend(SlackBot.jobPolicy(settings));
        backend.noApproval.add(RecordingBackend.SECTION);
        metrics = Metrics.ownOnly();
        bot = new SlackBot(settings, backend, Clock.systemUTC(), metrics);
        bot.start();
        awaitConnected(Instant.EPOCH);
    }

    @AfterAll
    static void stop() {
        if (bot != null) bot.close();
        if (metrics != null) metrics.close();
        if (api != null) api.close();
    }

    static String health() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("a lost link to Slack does not fail the probe").isEqualTo(200);
        assertThat(r.body()).startsWith("ok\n");
        return r.body();
    }

    private static final Pattern SOCKET = Pattern.compile("slack socket mode: (connected|disconnected) since (\\S+)");

    /** The socket's state on /healthz and since when; null while it is still connecting. */
    static Map.Entry<String, Instant> socketState() throws Exception {
        Matcher m = SOCKET.matcher(health());
        return m.find() ? Map.entry(m.group(1), Instant.parse(m.group(2))) : null;
    }

    /** Waits for /healthz to say connected since {@code after} or later (a second's precision), and a client on the server. */
    static void awaitConnected(Instant after) throws Exception {
        Instant second = after.truncatedTo(ChronoUnit.SECONDS);
        Gate.await("/healthz to say the socket is connected again", LONG, () -> {
            try {
                var s = socketState();
                return s != null && s.getKey().equals("connected") && !s.getValue().isBefore(second) && api.webSocketClients() > 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static PrometheusText scrape() throws Exception {
        return PrometheusText.scrape(base.resolve("/metrics"));
    }

    /** An envelope pushed now is acked: the bot is back in business. */
    static void answersAnEnvelope() {
        String id = api.pushEnvelope("slash_commands", slack.slashCommandPayload(SlackHttpBotTest.ALICE, SlackHttpBotTest.CHANNEL,
                "/pgstaging", "help", api.responseUrl()));
        assertThat(api.awaitAck(id, Duration.ofSeconds(10)).getAsJsonObject("payload").toString()).contains("/pgstaging restore");
    }

    @Test
    void aConnectionDroppedMidRestoreIsReopenedAndTheRestoresMessagesStillArrive() throws Exception {
        String url = api.responseUrl();
        String ack = api.awaitAck(api.pushEnvelope("slash_commands", slack.slashCommandPayload(SlackHttpBotTest.ALICE,
                SlackHttpBotTest.CHANNEL, "/pgstaging", "restore foodb.dev 2026-11-24", url)), Duration.ofSeconds(10))
                .getAsJsonObject("payload").get("text").getAsString();
        assertThat(ack).contains("working");
        assertThat(api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()), LONG).allText())
                .contains("posted");
        JobView job;
        synchronized (backend.jobs) {
            job = backend.jobs.values().stream().reduce((a, b) -> b).orElseThrow();
        }
        Posted request = api.awaitMessage(p -> p.text().contains("job `" + job.id() + "`"), LONG);
        JobView running = new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), job.requesterId(), JobState.RUNNING,
                0, null, null, null, null, job.submittedAt(), null);
        backend.publish(running);
        backend.progress(running, new RestoreEvent.StepStarted(job.database(), Step.DOWNLOAD, null));
        backend.progress(running, new RestoreEvent.StepProgress(job.database(), Step.DOWNLOAD, 1_000_000_000L, 4_000_000_000L, "bytes", 50_000_000));
        long opened = api.webSocketsOpened();

        // the network drops the socket; Slack then refuses new connections for a while: 429, then an ok:false
        // answer of the kind that stops Bolt's own session monitor for good
        api.rateLimitFor("apps.connections.open", Duration.ofSeconds(3));
        api.failNext("apps.connections.open", "internal_error");
        Instant dropped = Instant.now();
        long droppedAt = System.currentTimeMillis();
        api.dropWebSocketClients();

        // meanwhile the restore goes on and ends: its messages need the Web API only
        for (int i = 2; i <= 4; i++) {
            backend.progress(running, new RestoreEvent.StepProgress(job.database(), Step.DOWNLOAD, i * 1_000_000_000L, 4_000_000_000L, "bytes", 50_000_000));
        }
        backend.progress(running, new RestoreEvent.StepFinished(job.database(), Step.DOWNLOAD, Duration.ofSeconds(80), null));
        backend.publish(new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), job.requesterId(), JobState.DONE,
                0, null, null, null, null, job.submittedAt(), Instant.now()));

        Gate.await("/healthz to say the socket is down", LONG, () -> {
            try {
                var s = socketState();
                return s != null && s.getKey().equals("disconnected");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(scrape().value("pgstaging_slack_connected", "link", "socket_mode")).isZero();
        Gate.await("/healthz to tell of the reconnection attempts", LONG, () -> {
            try {
                return health().contains("reconnection attempt");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        awaitConnected(dropped);
        assertThat(api.webSocketsOpened()).isGreaterThan(opened);
        List<SlackApiServer.Call> opens = api.calls("apps.connections.open").stream().filter(c -> c.atMillis() >= droppedAt).toList();
        assertThat(opens).as("refused with a 429, refused with internal_error, then opened").hasSizeGreaterThanOrEqualTo(3)
                .anyMatch(SlackApiServer.Call::rateLimited);
        PostQueueTest.assertRetryAfterHonoured(opens);
        PrometheusText after = scrape();
        assertThat(after.value("pgstaging_slack_connected", "link", "socket_mode")).isEqualTo(1.0);
        assertThat(after.value("pgstaging_slack_connected", "link", "web_api")).isEqualTo(1.0);
        assertThat(after.value("pgstaging_slack_socket_reconnects_total")).isGreaterThanOrEqualTo(2.0);
        answersAnEnvelope();

        Posted done = api.awaitMessage(p -> p.ts().equals(request.ts()) && p.text().contains(":white_check_mark: Done"), LONG);
        assertThat(done.text()).doesNotContain("Awaiting");
        Posted completion = api.awaitMessage(p -> request.ts().equals(p.message().has("thread_ts") ? p.message().get("thread_ts").getAsString() : null)
                && p.text().contains("is ready"), LONG);
        assertThat(completion.text()).contains("<@U0ALICE>");
        api.awaitMessage(p -> request.ts().equals(p.message().has("thread_ts") ? p.message().get("thread_ts").getAsString() : null)
                && p.text().contains("*Details*"), LONG);
    }

    /** Slack retires a connection: Bolt opens the next one at once, the bot answers on it. */
    @Test
    void slacksDisconnectMessageLeadsToANewConnection() throws Exception {
        long opened = api.webSocketsOpened();
        long from = System.currentTimeMillis();
        api.disconnect("refresh_requested", Duration.ofSeconds(1));
        Gate.await("a new connection", LONG, () -> api.webSocketsOpened() > opened);
        assertThat(api.calls("apps.connections.open")).anyMatch(c -> c.atMillis() >= from);
        Gate.await("the retired connection to go", LONG, () -> api.webSocketClients() == 1);
        awaitConnected(Instant.EPOCH); // the new connection may well open before the old one closes: no gap at all
        answersAnEnvelope();
    }

    /** A command acknowledged just before the socket went is still answered (its answer goes to the response_url). */
    @Test
    void workAcknowledgedBeforeADropIsNotLost() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        backend.gate = gate;
        try {
            String url = api.responseUrl();
            JsonObject ack = api.awaitAck(api.pushEnvelope("slash_commands", slack.slashCommandPayload(SlackHttpBotTest.ALICE,
                    SlackHttpBotTest.CHANNEL, "/pgstaging", "dbsizes foodb.dev", url)), Duration.ofSeconds(10));
            assertThat(ack.getAsJsonObject("payload").get("text").getAsString()).contains("working");
            Instant dropped = Instant.now();
            api.dropWebSocketClients();
            gate.countDown();
            var answer = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()), LONG);
            assertThat(answer.allText()).contains("foodb_20261124");
            awaitConnected(dropped);
            answersAnEnvelope();
        } finally {
            backend.gate = null;
            gate.countDown();
        }
    }
}
