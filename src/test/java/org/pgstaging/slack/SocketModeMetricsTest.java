package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.metrics.Metrics;
import org.pgstaging.testkit.PostgresServer;
import org.pgstaging.testkit.PrometheusText;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;

/** Socket Mode has no HTTP server of its own: metrics_port serves /metrics and /healthz, with the acks timed. */
class SocketModeMetricsTest {
    static SlackApiServer api;
    static SlackBot bot;
    static Metrics metrics;
    static int port;
    static SlackRequests slack = new SlackRequests("unused-in-socket-mode-000000000");

    @BeforeAll
    static void start() throws Exception {
        api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, SlackSocketModeTest.APP_TOKEN);
        Map<String, String> m = SlackSocketModeTest.socketSettings(api.apiUrl(), "pgstaging-socket-metrics");
        port = PostgresServer.freePort();
        m.put("metrics_port", Integer.toString(port));
        SlackSettings settings = new SlackSettings(m, Map.of());
        metrics = Metrics.withJvm();
        bot = new SlackBot(settings, new RecordingBackend(SlackBot.jobPolicy(settings)), Clock.systemUTC(), metrics);
        bot.start();
        api.awaitWebSocketClient(Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        if (bot != null) bot.close();
        if (metrics != null) metrics.close();
        if (api != null) api.close();
    }

    @Test
    void metricsPortServesTheScrapeWithSocketModeAcksTimed() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + port);
        for (int i = 0; i < 3; i++) {
            String id = api.pushEnvelope("slash_commands", slack.slashCommandPayload(SlackHttpBotTest.ALICE,
                    SlackHttpBotTest.CHANNEL, "/pgstaging", "help", api.responseUrl()));
            api.awaitAck(id, Duration.ofSeconds(10));
        }
        PrometheusText scrape = PrometheusText.scrape(base.resolve("/metrics"));
        assertThat(scrape.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(scrape.value("pgstaging_slack_ack_seconds_count", "mode", "socket")).isGreaterThanOrEqualTo(3.0);
        assertThat(scrape.value("pgstaging_slack_ack_seconds_count", "mode", "http")).as("no HTTP request came").isZero();
        assertThat(scrape.has("pgstaging_jvm_memory_used_bytes")).isTrue();

        // the socket's state is learnt by its watcher (at hello, then every 5 s): wait for it to have looked
        org.pgstaging.testkit.Gate.await("/healthz to say the socket is connected", Duration.ofSeconds(15),
                () -> SlackHealthTest.health(base).contains("slack socket mode: connected since"));
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("ok\n").containsPattern("slack web api: reachable since \\S+Z \\(last call [A-Za-z.]+: ok\\)\n")
                .containsPattern("slack socket mode: connected since \\S+Z\n");
        // the gauge reads the same state
        org.pgstaging.testkit.Gate.await("the socket_mode gauge to say connected", Duration.ofSeconds(15), () -> {
            try {
                return PrometheusText.scrape(base.resolve("/metrics")).value("pgstaging_slack_connected", "link", "socket_mode") == 1.0;
            } catch (Exception e) {
                return false;
            }
        });
        HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
