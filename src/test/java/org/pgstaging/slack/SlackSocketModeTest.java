package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;

/** Socket Mode: the bot opens a connection through apps.connections.open and acks envelopes on the WebSocket. */
class SlackSocketModeTest {
    static final String APP_TOKEN = "xapp-1-A0PGAPP-1234567890-0123456789abcdef";
    static SlackApiServer api;
    static SlackBot bot;
    static RecordingBackend backend;
    static SlackRequests slack = new SlackRequests("unused-in-socket-mode-000000000");

    /** The [slack] section of {@link SlackHttpBotTest#settings} in Socket Mode, with the app token and no signing secret. */
    static Map<String, String> socketSettings(String apiUrl, String stateDirPrefix) throws java.io.IOException {
        Map<String, String> m = SlackHttpBotTest.settings(apiUrl, org.pgstaging.testkit.TempDirs.create(stateDirPrefix), false);
        m.put("mode", "socket");
        m.remove("signing_secret");
        m.put("app_token", APP_TOKEN);
        return m;
    }

    @BeforeAll
    static void start() throws Exception {
        api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, APP_TOKEN);
        SlackSettings settings = new SlackSettings(socketSettings(api.apiUrl(), "pgstaging-socket"), Map.of());
        backend = new RecordingBackend(SlackBot.jobPolicy(settings));
        bot = new SlackBot(settings, backend, Clock.systemUTC());
        bot.start();
        api.awaitWebSocketClient(Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        bot.close();
        api.close();
    }

    @Test
    void connectsWithTheAppToken() {
        var open = api.await("apps.connections.open", c -> true);
        assertThat(open.token()).isEqualTo(APP_TOKEN);
        assertThat(api.webSocketClients()).isEqualTo(1);
    }

    @Test
    void slashCommandEnvelopeIsAckedWithTheAnswer() {
        JsonObject payload = slack.slashCommandPayload(SlackHttpBotTest.ALICE, SlackHttpBotTest.CHANNEL, "/pgstaging", "help", api.responseUrl());
        String id = api.pushEnvelope("slash_commands", payload);
        JsonObject ack = api.awaitAck(id, Duration.ofSeconds(10));
        assertThat(ack.getAsJsonObject("payload").toString()).contains("/pgstaging restore SECTION [DATE]");
    }

    @Test
    void slowCommandIsAckedThenAnsweredThroughResponseUrl() {
        String url = api.responseUrl();
        String id = api.pushEnvelope("slash_commands",
                slack.slashCommandPayload(SlackHttpBotTest.ALICE, SlackHttpBotTest.CHANNEL, "/pgstaging", "databases foodb.dev", url));
        JsonObject ack = api.awaitAck(id, Duration.ofSeconds(10));
        assertThat(ack.getAsJsonObject("payload").get("text").getAsString()).contains("working");
        var answer = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()));
        assertThat(answer.allText()).contains("foodb_20261120").contains("foodb_20261124");
    }

    @Test
    void refusalInAnotherChannelIsAckedAndNothingQueued() {
        String id = api.pushEnvelope("slash_commands",
                slack.slashCommandPayload(SlackHttpBotTest.ALICE, "C0ELSEWHERE", "/pgstaging", "restore foodb.dev", api.responseUrl()));
        JsonObject ack = api.awaitAck(id, Duration.ofSeconds(10));
        assertThat(ack.getAsJsonObject("payload").get("text").getAsString()).contains("does not take requests in this channel");
        assertThat(backend.calls("submit")).isEmpty();
    }

    @Test
    void eventsAreAcked() {
        String id = api.pushEnvelope("events_api", slack.eventCallback(
                slack.threadMessage(SlackHttpBotTest.ALICE, SlackHttpBotTest.CHANNEL, "just chatting", "1700000000.000001")));
        JsonObject ack = api.awaitAck(id, Duration.ofSeconds(10));
        assertThat(ack.get("envelope_id").getAsString()).isEqualTo(id);
    }

    @Test
    void theHomeTabIsPublishedWhenOpened() {
        api.awaitAck(api.pushEnvelope("events_api", slack.eventCallback(slack.appHomeOpened(SlackHttpBotTest.BOB, null))),
                Duration.ofSeconds(10));
        var publish = api.await("views.publish", c -> SlackHttpBotTest.BOB.equals(c.param("user_id")), Duration.ofSeconds(20));
        assertThat(publish.param("view")).contains("\"type\":\"home\"").contains(ActionIds.HOME_REQUEST);
    }

    /** The form's checks travel back in the envelope's ack, as Slack expects a response_action over the socket. */
    @Test
    void theShortcutOpensTheFormAndItsErrorsComeBackInTheAck() {
        api.awaitAck(api.pushEnvelope("interactive", slack.shortcut(SlackHttpBotTest.ALICE, ActionIds.REQUEST_SHORTCUT)),
                Duration.ofSeconds(10));
        api.await("views.open", c -> c.param("view").contains(ActionIds.REQUEST_VIEW), Duration.ofSeconds(10));
        JsonObject form = api.awaitView(v -> v.toString().contains(ActionIds.REQUEST_SECTION_BLOCK));
        JsonObject values = SlackRequests.values(ActionIds.REQUEST_CHANNEL_BLOCK, ActionIds.REQUEST_CHANNEL,
                SlackRequests.selectedConversation(SlackHttpBotTest.CHANNEL));
        JsonObject ack = api.awaitAck(api.pushEnvelope("interactive", slack.viewSubmission(SlackHttpBotTest.ALICE, form, values)),
                Duration.ofSeconds(10));
        assertThat(ack.getAsJsonObject("payload").get("response_action").getAsString()).isEqualTo("errors");
        assertThat(ack.getAsJsonObject("payload").getAsJsonObject("errors").get(ActionIds.REQUEST_SECTION_BLOCK).getAsString())
                .isEqualTo("Choose a section");
    }

    /** A slash command delivered twice over the socket (two envelopes, one payload): answered once, the repeat acked empty. */
    @Test
    void theSameCommandDeliveredTwiceIsAnsweredOnce() {
        JsonObject payload = slack.slashCommandPayload(SlackHttpBotTest.ALICE, SlackHttpBotTest.CHANNEL, "/pgstaging", "help", api.responseUrl());
        JsonObject first = api.awaitAck(api.pushEnvelope("slash_commands", payload), Duration.ofSeconds(10));
        JsonObject again = api.awaitAck(api.pushEnvelope("slash_commands", payload), Duration.ofSeconds(10));
        assertThat(first.getAsJsonObject("payload").toString()).contains("/pgstaging restore SECTION [DATE]");
        assertThat(again.has("payload") ? again.get("payload").toString() : "").doesNotContain("/pgstaging restore");
    }
}
