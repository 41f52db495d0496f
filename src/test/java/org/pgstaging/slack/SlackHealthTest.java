package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pgstaging.metrics.Metrics;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.PrometheusText;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;

/** What /healthz says of the links to Slack, and when it changes its mind. */
class SlackHealthTest {
    @Test
    void eachLinkSaysWhetherItIsUpAndSinceWhen() {
        JobMessengerTest.MovableClock clock = new JobMessengerTest.MovableClock();
        SlackHealth health = new SlackHealth(clock);
        assertThat(health.report()).isEqualTo("slack web api: no answer yet\n");
        assertThat(health.apiUp()).isNaN();

        health.answered("auth.test", new ApiAnswer(200, null, null));
        clock.now = clock.now.plusSeconds(30);
        health.answered("chat.update", new ApiAnswer(429, "ratelimited", Duration.ofSeconds(5)));
        assertThat(health.report()).as("a rate limit is an answer: Slack is there")
                .isEqualTo("slack web api: reachable since 2026-11-24T09:00:00Z (last call chat.update: ratelimited)\n");
        assertThat(health.apiUp()).isEqualTo(1.0);

        clock.now = clock.now.plusSeconds(30);
        health.unreachable("chat.postMessage", new ConnectException("Connection refused"));
        assertThat(health.report()).isEqualTo("slack web api: unreachable since 2026-11-24T09:01:00Z"
                + " (chat.postMessage: java.net.ConnectException: Connection refused)\n");
        assertThat(health.apiUp()).isZero();
        clock.now = clock.now.plusSeconds(45);
        health.unreachable("chat.update", new IOException("timeout"));
        assertThat(health.report()).as("still down since the first failure, with the latest word")
                .isEqualTo("slack web api: unreachable since 2026-11-24T09:01:00Z (chat.update: java.io.IOException: timeout)\n");
        assertThat(health.outOfReach()).isEqualTo("the Slack Web API is unreachable");
        health.answered("chat.update", new ApiAnswer(503, "http_503", null));
        assertThat(health.report()).as("a server error is no better")
                .isEqualTo("slack web api: unreachable since 2026-11-24T09:01:00Z (last call chat.update: http_503)\n");

        health.socketStarting();
        assertThat(health.report()).endsWith("\nslack socket mode: connecting\n");
        assertThat(health.socketUp()).isNaN();
        health.socketConnected();
        clock.now = clock.now.plusSeconds(15);
        health.answered("chat.update", new ApiAnswer(200, null, null));
        health.socketDisconnected("closed with code 1006");
        assertThat(health.report()).isEqualTo("slack web api: reachable since 2026-11-24T09:02:00Z (last call chat.update: ok)\n"
                + "slack socket mode: disconnected since 2026-11-24T09:02:00Z (closed with code 1006)\n");
        assertThat(health.socketUp()).isZero();
        health.socketDisconnected("reconnection attempt 1 failed: ratelimited, next in 2.0 s");
        assertThat(health.report()).endsWith("slack socket mode: disconnected since 2026-11-24T09:02:00Z"
                + " (reconnection attempt 1 failed: ratelimited, next in 2.0 s)\n");
    }

    /** An HTTP-mode bot whose Web API is gone: /healthz stays 200 (restarting would not help) and says so, as does the gauge. */
    @Test
    void anUnreachableWebApiShowsOnHealthzWithoutFailingIt() throws Exception {
        SlackApiServer api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, "xapp-1-unused");
        SlackSettings settings = new SlackSettings(SlackHttpBotTest.settings(api.apiUrl(), org.pgstaging.testkit.TempDirs.create("pgstaging-health"),
                false), Map.of());
        SlackRequests slack = new SlackRequests(SlackHttpBotTest.SECRET);
        try (Metrics metrics = Metrics.ownOnly();
             SlackBot bot = new SlackBot(settings, new RecordingBackend(SlackBot.jobPolicy(settings)), Clock.systemUTC(), metrics)) {
            URI events = bot.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventsUri();
            slack.send(events, slack.signForm(slack.slashCommand(SlackHttpBotTest.ALICE, SlackHttpBotTest.CHANNEL, "/pgstaging",
                    "help", api.responseUrl())));
            assertThat(health(events)).contains("slack web api: reachable since");
            Instant gone = Instant.now();
            api.close();

            // a click on a job that is not there: the refusal is an ephemeral message, which cannot go out
            JsonObject message = new JsonObject();
            message.addProperty("type", "message");
            message.addProperty("ts", "1700000000.000100");
            message.addProperty("text", "a card");
            slack.send(events, slack.signForm(slack.interactive(slack.blockAction(SlackHttpBotTest.CAROL, SlackHttpBotTest.CHANNEL,
                    message, false, ActionIds.APPROVE, "no-such-job", "http://127.0.0.1:9/response"))));
            Gate.await("/healthz to say the Web API is out of reach", Duration.ofSeconds(15),
                    () -> health(events).contains("slack web api: unreachable since"));
            String body = health(events);
            assertThat(body).startsWith("ok\n").contains("Connect");
            Instant since = Instant.parse(body.replaceAll("(?s).*unreachable since (\\S+) .*", "$1"));
            assertThat(since).isAfterOrEqualTo(gone.truncatedTo(ChronoUnit.SECONDS));
            assertThat(PrometheusText.scrape(events.resolve("/metrics")).value("pgstaging_slack_connected", "link", "web_api")).isZero();
            // not ready meanwhile: Kubernetes takes the bot out of the Service, but does not restart it
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events.resolve(Probes.READY_PATH))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).startsWith("not ready: the Slack Web API is unreachable\nslack web api: unreachable since");
        } finally {
            api.close();
        }
    }

    static String health(URI events) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
