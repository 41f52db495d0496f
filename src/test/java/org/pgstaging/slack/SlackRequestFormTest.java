package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgstaging.testkit.SlackRequests.selectedConversation;
import static org.pgstaging.testkit.SlackRequests.selectedOption;
import static org.pgstaging.testkit.SlackRequests.value;
import static org.pgstaging.testkit.SlackRequests.values;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.job.JobView;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackApiServer.Posted;
import org.pgstaging.testkit.SlackRequests;

/**
 * The request form through the real Bolt app behind its HTTP endpoint, with signed payloads shaped
 * as Slack sends them (shortcut, block_actions from a modal, view_submission) and the loopback Web
 * API holding the modal as the bot opens and updates it.
 */
class SlackRequestFormTest {
    static final String ALICE = SlackHttpBotTest.ALICE;
    static final String MALLORY = SlackHttpBotTest.MALLORY;
    static final String CHANNEL = SlackHttpBotTest.CHANNEL;
    static final String NOT_JOINED = "C0NOTJOINED";

    static SlackApiServer api;
    static RecordingBackend backend;
    static SlackBot bot;
    static URI events;
    static SlackRequests slack;

    @BeforeAll
    static void start() throws Exception {
        api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, "xapp-1-unused");
        api.userGroup("S0DBAS", SlackHttpBotTest.GRACE).userGroup("S0DEVS", "U0DEVDAN").user(ALICE, "alice").botNotIn(NOT_JOINED);
        Map<String, String> settings = new java.util.HashMap<>(SlackHttpBotTest.settings(api.apiUrl(),
                Files.createTempDirectory("pgstaging-slack-form"), false));
        settings.put("channels", CHANNEL + ", " + NOT_JOINED);
        SlackSettings s = new SlackSettings(settings, Map.of());
        backend = new RecordingBackend(SlackBot.jobPolicy(s));
        bot = new SlackBot(s, backend, Clock.systemUTC());
        events = bot.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventsUri();
        slack = new SlackRequests(SlackHttpBotTest.SECRET);
    }

    @AfterAll
    static void stop() {
        bot.close();
        api.close();
    }

    static HttpResponse<String> send(JsonObject payload) throws Exception {
        HttpResponse<String> r = slack.send(events, slack.signForm(slack.interactive(payload)));
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    /** Uses the shortcut as {@code user}; returns the modal Slack then shows. */
    static JsonObject openForm(String user) throws Exception {
        int before = api.calls("views.open").size();
        send(slack.shortcut(user, ActionIds.REQUEST_SHORTCUT));
        api.await("views.open", c -> api.calls("views.open").indexOf(c) >= before);
        SlackApiServer.Call open = api.calls("views.open").get(before);
        String sent = JsonParser.parseString(open.param("view")).getAsJsonObject().toString();
        return api.awaitView(v -> stripped(v).equals(sent));
    }

    /** The view without what Slack adds to it (id, hash, state...), to find the one the bot sent. */
    private static String stripped(JsonObject v) {
        JsonObject c = v.deepCopy();
        for (String k : List.of("id", "team_id", "app_id", "bot_id", "hash", "state")) c.remove(k);
        return c.toString();
    }

    static JsonObject block(JsonObject view, String blockId) {
        for (JsonElement b : view.getAsJsonArray("blocks")) {
            JsonObject o = b.getAsJsonObject();
            if (o.has("block_id") && o.get("block_id").getAsString().equals(blockId)) return o;
        }
        throw new AssertionError("no block " + blockId + " in " + view);
    }

    static JsonObject option(JsonObject view, String blockId, String value) {
        JsonObject element = block(view, blockId).getAsJsonObject("element");
        for (JsonElement o : element.getAsJsonArray("options")) {
            if (o.getAsJsonObject().get("value").getAsString().equals(value)) return o.getAsJsonObject();
        }
        throw new AssertionError("no option " + value + " in " + element);
    }

    static List<String> optionTexts(JsonObject view, String blockId) {
        JsonArray options = block(view, blockId).getAsJsonObject("element").getAsJsonArray("options");
        return options.asList().stream().map(o -> o.getAsJsonObject().getAsJsonObject("text").get("text").getAsString()).toList();
    }

    /** What the form holds when the user has chosen the section, the backup (null: none yet) and the channel. */
    static JsonObject state(JsonObject view, String section, String date, String channel) {
        JsonObject values = values(ActionIds.REQUEST_CHANNEL_BLOCK, ActionIds.REQUEST_CHANNEL, selectedConversation(channel));
        if (section != null) {
            value(values, ActionIds.REQUEST_SECTION_BLOCK, ActionIds.REQUEST_SECTION,
                    selectedOption(option(view, ActionIds.REQUEST_SECTION_BLOCK, section)));
        }
        if (date != null) {
            String dateBlock = RequestForm.dateBlock(section);
            value(values, dateBlock, ActionIds.REQUEST_DATE, selectedOption(option(view, dateBlock, date)));
        }
        return values;
    }

    /** Chooses {@code section} in the form and waits for its backups and the plan of the latest one. */
    static JsonObject chooseSection(JsonObject form, String section) throws Exception {
        JsonObject values = state(form, section, null, CHANNEL);
        send(slack.viewAction(ALICE, form, ActionIds.REQUEST_SECTION_BLOCK, ActionIds.REQUEST_SECTION,
                selectedOption(option(form, ActionIds.REQUEST_SECTION_BLOCK, section)), values));
        String id = form.get("id").getAsString();
        return api.awaitView(v -> v.get("id").getAsString().equals(id) && v.toString().contains("What this restore does"));
    }

    @Test
    void shortcutFormSubmissionPostTheRequestAndItsApprovalCard() throws Exception {
        JsonObject form = openForm(ALICE);
        assertThat(form.get("callback_id").getAsString()).isEqualTo(ActionIds.REQUEST_VIEW);
        assertThat(optionTexts(form, ActionIds.REQUEST_SECTION_BLOCK)).containsExactly("foodb.dev", "bardb.dev");
        JsonObject channel = block(form, ActionIds.REQUEST_CHANNEL_BLOCK).getAsJsonObject("element");
        assertThat(channel.get("type").getAsString()).isEqualTo("conversations_select");
        assertThat(channel.get("initial_conversation").getAsString()).as("the first of [slack] channels").isEqualTo(CHANNEL);
        assertThat(block(form, ActionIds.REQUEST_SECTION_BLOCK).get("dispatch_action").getAsBoolean()).isTrue();

        JsonObject withBackups = chooseSection(form, "foodb.dev");
        String dateBlock = RequestForm.dateBlock("foodb.dev");
        assertThat(optionTexts(withBackups, dateBlock)).containsExactly(
                "latest · 2026-11-24 · 3.3 GB", "2026-11-24 · 3.3 GB", "2026-11-23 · 3.2 GB", "2026-11-20 · size unknown");
        assertThat(block(withBackups, dateBlock).getAsJsonObject("element").getAsJsonObject("initial_option").get("value").getAsString())
                .isEqualTo("latest");
        // the approval card's plan: the dump, the target, what the filter leaves out and the tables without data
        assertThat(withBackups.toString()).contains("foodb.2026-11-24.dump").contains("staging-db1:5432")
                .contains("excluded schemas: 2").contains("`audit`").contains("tables without data: 2").contains("`public.sessions`");

        // another backup: its own plan
        String id = form.get("id").getAsString();
        send(slack.viewAction(ALICE, withBackups, dateBlock, ActionIds.REQUEST_DATE,
                selectedOption(option(withBackups, dateBlock, "2026-11-23")), state(withBackups, "foodb.dev", "2026-11-23", CHANNEL)));
        JsonObject older = api.awaitView(v -> v.get("id").getAsString().equals(id) && v.toString().contains("foodb.2026-11-23.dump"));
        assertThat(block(older, dateBlock).getAsJsonObject("element").getAsJsonObject("initial_option").get("value").getAsString())
                .isEqualTo("2026-11-23");

        int submits = backend.calls("submit").size();
        HttpResponse<String> submitted = send(slack.viewSubmission(ALICE, older, state(older, "foodb.dev", "2026-11-23", CHANNEL)));
        JsonObject answer = JsonParser.parseString(submitted.body()).getAsJsonObject();
        assertThat(answer.get("response_action").getAsString()).isEqualTo("update");
        assertThat(backend.calls("submit")).hasSize(submits + 1);
        assertThat(backend.calls("submit").get(submits)).isEqualTo("submit RESTORE foodb.dev 2026-11-23 by " + ALICE);
        JobView job = backend.requestsOf(ALICE, 1).get(0);
        assertThat(answer.getAsJsonObject("view").toString()).contains("Request `" + job.id() + "` posted; it waits for an approver")
                .contains("<#" + CHANNEL + ">");

        // posted as the slash command posts it: the request message, the approval card in its thread
        Posted request = api.awaitMessage(p -> p.text().contains("job `" + job.id() + "`"));
        assertThat(request.channel()).isEqualTo(CHANNEL);
        assertThat(request.text()).contains("Awaiting approval").contains("<@" + ALICE + ">");
        Posted card = api.awaitMessage(p -> p.text().contains("job_approve") && p.text().contains("\"" + job.id() + "\""));
        assertThat(card.message().get("thread_ts").getAsString()).isEqualTo(request.ts());
        assertThat(card.text()).contains("foodb.2026-11-23.dump").contains("3.2 GB").contains("public.sessions");
        // whatever the form called has its scope declared, so the manifests cover it
        assertThat(SlackScopes.METHOD_SCOPES).containsKeys(api.allCalls().stream().map(SlackApiServer.Call::method)
                .filter(m -> !m.equals("response_url")).distinct().toArray(String[]::new));
    }

    @Test
    void wrongFieldsAreNamedAndNothingIsAsked() throws Exception {
        JsonObject form = openForm(ALICE);
        int submits = backend.calls("submit").size();

        JsonObject none = JsonParser.parseString(send(slack.viewSubmission(ALICE, form, state(form, null, null, CHANNEL))).body())
                .getAsJsonObject();
        assertThat(none.get("response_action").getAsString()).isEqualTo("errors");
        assertThat(none.getAsJsonObject("errors").get(ActionIds.REQUEST_SECTION_BLOCK).getAsString()).isEqualTo("Choose a section");

        JsonObject ready = chooseSection(form, "foodb.dev");
        JsonObject elsewhere = JsonParser.parseString(send(slack.viewSubmission(ALICE, ready,
                state(ready, "foodb.dev", "latest", "C0RANDOM"))).body()).getAsJsonObject();
        assertThat(elsewhere.get("response_action").getAsString()).isEqualTo("errors");
        assertThat(elsewhere.getAsJsonObject("errors").keySet()).containsExactly(ActionIds.REQUEST_CHANNEL_BLOCK);
        assertThat(elsewhere.getAsJsonObject("errors").get(ActionIds.REQUEST_CHANNEL_BLOCK).getAsString())
                .contains("does not take requests in that channel");

        // the section changed, and its backups are not listed yet: the backup chosen is the other section's
        String fooDates = RequestForm.dateBlock("foodb.dev");
        JsonObject values = values(ActionIds.REQUEST_CHANNEL_BLOCK, ActionIds.REQUEST_CHANNEL, selectedConversation(CHANNEL));
        value(values, ActionIds.REQUEST_SECTION_BLOCK, ActionIds.REQUEST_SECTION,
                selectedOption(option(ready, ActionIds.REQUEST_SECTION_BLOCK, "bardb.dev")));
        value(values, fooDates, ActionIds.REQUEST_DATE, selectedOption(option(ready, fooDates, "latest")));
        JsonObject switched = JsonParser.parseString(send(slack.viewSubmission(ALICE, ready, values)).body()).getAsJsonObject();
        assertThat(switched.getAsJsonObject("errors").get(ActionIds.REQUEST_SECTION_BLOCK).getAsString())
                .isEqualTo("Choose one of its backups first");

        assertThat(backend.calls("submit")).hasSize(submits);
    }

    @Test
    void aChannelTheBotIsNotInIsNamedAndTheJobTakenBack() throws Exception {
        JsonObject ready = chooseSection(openForm(ALICE), "foodb.dev");
        JsonObject answer = JsonParser.parseString(send(slack.viewSubmission(ALICE, ready,
                state(ready, "foodb.dev", "latest", NOT_JOINED))).body()).getAsJsonObject();
        assertThat(answer.get("response_action").getAsString()).isEqualTo("errors");
        assertThat(answer.getAsJsonObject("errors").get(ActionIds.REQUEST_CHANNEL_BLOCK).getAsString())
                .isEqualTo("chat.postMessage failed: not_in_channel: invite the pgstaging app to that channel (/invite @pgstaging)");
        JobView job = backend.requestsOf(ALICE, 1).get(0);
        assertThat(backend.calls("cancel " + job.id() + " by " + ALICE)).hasSize(1);
    }

    @Test
    void aSlowSubmissionIsAnsweredAtOnceThenTheModalShowsHowItWent() throws Exception {
        JsonObject ready = chooseSection(openForm(ALICE), "foodb.dev");
        CountDownLatch gate = new CountDownLatch(1);
        backend.previewGate = gate;
        HttpResponse<String> r;
        try {
            r = send(slack.viewSubmission(ALICE, ready, state(ready, "foodb.dev", "latest", CHANNEL)));
        } finally {
            backend.previewGate = null;
            gate.countDown();
        }
        JsonObject answer = JsonParser.parseString(r.body()).getAsJsonObject();
        assertThat(answer.get("response_action").getAsString()).isEqualTo("update");
        assertThat(answer.getAsJsonObject("view").toString()).contains("Asking for a restore of *foodb.dev* (latest)");
        String id = ready.get("id").getAsString();
        JsonObject outcome = api.awaitView(v -> v.get("id").getAsString().equals(id) && v.toString().contains("posted;"));
        assertThat(outcome.has("submit")).as("nothing more to submit").isFalse();
        assertThat(outcome.toString()).contains("it waits for an approver");
    }

    @Test
    void whoMayNotAskIsToldSoInsteadOfAForm() throws Exception {
        int opens = api.calls("views.open").size();
        send(slack.shortcut(MALLORY, ActionIds.REQUEST_SHORTCUT));
        SlackApiServer.Call open = api.await("views.open", c -> api.calls("views.open").indexOf(c) >= opens);
        assertThat(open.param("view")).contains("not among the requesters").doesNotContain(ActionIds.REQUEST_SECTION_BLOCK);
    }

    @Test
    void theHomeTabButtonOpensTheForm() throws Exception {
        slack.send(events, slack.signJson(slack.eventCallback(slack.appHomeOpened(ALICE, null)).toString()));
        api.await("views.publish", c -> ALICE.equals(c.param("user_id")));
        JsonObject home = api.awaitView(v -> "home".equals(v.get("type").getAsString()) && v.toString().contains(ActionIds.HOME_REQUEST));
        int opens = api.calls("views.open").size();
        send(slack.viewAction(ALICE, home, "Hk0v", ActionIds.HOME_REQUEST, SlackRequests.button("home"), new JsonObject()));
        SlackApiServer.Call open = api.await("views.open", c -> api.calls("views.open").indexOf(c) >= opens);
        assertThat(open.param("view")).contains(ActionIds.REQUEST_VIEW).contains(ActionIds.REQUEST_SECTION_BLOCK);
    }
}
