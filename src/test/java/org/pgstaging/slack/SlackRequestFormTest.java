package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgstaging.slack.RequestFormDriver.block;
import static org.pgstaging.slack.RequestFormDriver.option;
import static org.pgstaging.slack.RequestFormDriver.optionTexts;
import static org.pgstaging.slack.RequestFormDriver.state;
import static org.pgstaging.testkit.SlackRequests.selectedConversation;
import static org.pgstaging.testkit.SlackRequests.selectedOption;
import static org.pgstaging.testkit.SlackRequests.value;
import static org.pgstaging.testkit.SlackRequests.values;

import com.google.gson.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
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
    static SlackRequests slack;
    static RequestFormDriver form;

    @BeforeAll
    static void start() throws Exception {
        api = SlackHttpBotTest.loopbackSlack().botNotIn(NOT_JOINED);
        Map<String, String> settings = SlackHttpBotTest.settings(api.apiUrl(), org.pgstaging.testkit.TempDirs.create("pgstaging-slack-form"), false);
        settings.put("channels", CHANNEL + ", " + NOT_JOINED);
        SlackSettings s = new SlackSettings(settings, Map.of());
        backend = new RecordingBackend(SlackBot.jobPolicy(s));
        bot = new SlackBot(s, backend, Clock.systemUTC());
        slack = new SlackRequests(SlackHttpBotTest.SECRET);
        form = new RequestFormDriver(api, slack, bot.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventsUri(),
                Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        bot.close();
        api.close();
    }

    @Test
    void shortcutFormSubmissionPostTheRequestAndItsApprovalCard() throws Exception {
        JsonObject opened = form.open(ALICE);
        assertThat(opened.get("callback_id").getAsString()).isEqualTo(ActionIds.REQUEST_VIEW);
        assertThat(optionTexts(opened, ActionIds.REQUEST_SECTION_BLOCK)).containsExactly("foodb.dev", "bardb.dev");
        JsonObject channel = block(opened, ActionIds.REQUEST_CHANNEL_BLOCK).getAsJsonObject("element");
        assertThat(channel.get("type").getAsString()).isEqualTo("conversations_select");
        assertThat(channel.get("initial_conversation").getAsString()).as("the first of [slack] channels").isEqualTo(CHANNEL);
        assertThat(block(opened, ActionIds.REQUEST_SECTION_BLOCK).get("dispatch_action").getAsBoolean()).isTrue();

        JsonObject withBackups = form.chooseSection(ALICE, opened, "foodb.dev", CHANNEL);
        String dateBlock = RequestForm.dateBlock("foodb.dev");
        assertThat(optionTexts(withBackups, dateBlock)).containsExactly(
                "latest · 2026-11-24 · 3.3 GB", "2026-11-24 · 3.3 GB", "2026-11-23 · 3.2 GB", "2026-11-20 · size unknown");
        assertThat(block(withBackups, dateBlock).getAsJsonObject("element").getAsJsonObject("initial_option").get("value").getAsString())
                .isEqualTo("latest");
        // the approval card's plan: the dump, the target, what the filter leaves out and the tables without data
        assertThat(withBackups.toString()).contains("foodb.2026-11-24.dump").contains("staging-db1:5432")
                .contains("excluded schemas: 2").contains("`audit`").contains("tables without data: 2").contains("`public.sessions`");

        JsonObject older = form.chooseDate(ALICE, withBackups, "foodb.dev", "2026-11-23", CHANNEL, "foodb.2026-11-23.dump");
        assertThat(block(older, dateBlock).getAsJsonObject("element").getAsJsonObject("initial_option").get("value").getAsString())
                .isEqualTo("2026-11-23");

        int submits = backend.calls("submit").size();
        JsonObject answer = form.submit(ALICE, older, "foodb.dev", "2026-11-23", CHANNEL);
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
        JsonObject opened = form.open(ALICE);
        int submits = backend.calls("submit").size();

        JsonObject none = form.submit(ALICE, opened, null, null, CHANNEL);
        assertThat(none.get("response_action").getAsString()).isEqualTo("errors");
        assertThat(none.getAsJsonObject("errors").get(ActionIds.REQUEST_SECTION_BLOCK).getAsString()).isEqualTo("Choose a section");

        JsonObject ready = form.chooseSection(ALICE, opened, "foodb.dev", CHANNEL);
        JsonObject elsewhere = form.submit(ALICE, ready, "foodb.dev", "latest", "C0RANDOM");
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
        JsonObject switched = com.google.gson.JsonParser.parseString(form.send(slack.viewSubmission(ALICE, ready, values)).body())
                .getAsJsonObject();
        assertThat(switched.getAsJsonObject("errors").get(ActionIds.REQUEST_SECTION_BLOCK).getAsString())
                .isEqualTo("Choose one of its backups first");

        assertThat(backend.calls("submit")).hasSize(submits);
    }

    /** Sent before the backups showed: refused, and the form still gets its backups and its plan. */
    @Test
    void anEarlySubmissionIsRefusedAndTheFormStillFillsIn() throws Exception {
        JsonObject opened = form.open(ALICE);
        CountDownLatch gate = new CountDownLatch(1);
        backend.previewGate = gate;
        try {
            form.send(slack.viewAction(ALICE, opened, ActionIds.REQUEST_SECTION_BLOCK, ActionIds.REQUEST_SECTION,
                    selectedOption(option(opened, ActionIds.REQUEST_SECTION_BLOCK, "foodb.dev")), state(opened, "foodb.dev", null, CHANNEL)));
            JsonObject listed = form.updated(opened, v -> v.contains("Working out what this restore would do"));
            JsonObject early = form.submit(ALICE, listed, "foodb.dev", null, CHANNEL);
            assertThat(early.getAsJsonObject("errors").get(ActionIds.REQUEST_SECTION_BLOCK).getAsString())
                    .isEqualTo("Choose one of its backups first");
        } finally {
            backend.previewGate = null;
            gate.countDown();
        }
        assertThat(form.updated(opened, v -> v.contains("What this restore does")).toString()).contains("foodb.2026-11-24.dump");
    }

    @Test
    void aChannelTheBotIsNotInIsNamedAndTheJobTakenBack() throws Exception {
        JsonObject ready = form.chooseSection(ALICE, form.open(ALICE), "foodb.dev", CHANNEL);
        JsonObject answer = form.submit(ALICE, ready, "foodb.dev", "latest", NOT_JOINED);
        assertThat(answer.get("response_action").getAsString()).isEqualTo("errors");
        assertThat(answer.getAsJsonObject("errors").get(ActionIds.REQUEST_CHANNEL_BLOCK).getAsString())
                .isEqualTo("chat.postMessage failed: not_in_channel: invite the pgstaging app to that channel (/invite @pgstaging)");
        JobView job = backend.requestsOf(ALICE, 1).get(0);
        assertThat(backend.calls("cancel " + job.id() + " by " + ALICE)).hasSize(1);
    }

    @Test
    void aSlowSubmissionIsAnsweredAtOnceThenTheModalShowsHowItWent() throws Exception {
        JsonObject ready = form.chooseSection(ALICE, form.open(ALICE), "foodb.dev", CHANNEL);
        CountDownLatch gate = new CountDownLatch(1);
        backend.previewGate = gate;
        JsonObject answer;
        try {
            answer = form.submit(ALICE, ready, "foodb.dev", "latest", CHANNEL);
        } finally {
            backend.previewGate = null;
            gate.countDown();
        }
        assertThat(answer.get("response_action").getAsString()).isEqualTo("update");
        assertThat(answer.getAsJsonObject("view").toString()).contains("Asking for a restore of *foodb.dev* (latest)");
        JsonObject outcome = form.updated(ready, v -> v.contains("posted;"));
        assertThat(outcome.has("submit")).as("nothing more to submit").isFalse();
        assertThat(outcome.toString()).contains("it waits for an approver");
    }

    @Test
    void whoMayNotAskIsToldSoInsteadOfAForm() throws Exception {
        int opens = api.calls("views.open").size();
        form.send(slack.shortcut(MALLORY, ActionIds.REQUEST_SHORTCUT));
        SlackApiServer.Call open = api.await("views.open", c -> api.calls("views.open").indexOf(c) >= opens);
        assertThat(open.param("view")).contains("not among the requesters").doesNotContain(ActionIds.REQUEST_SECTION_BLOCK);
    }

    @Test
    void theHomeTabButtonOpensTheForm() throws Exception {
        slack.send(form.events(), slack.signJson(slack.eventCallback(slack.appHomeOpened(ALICE, null)).toString()));
        api.await("views.publish", c -> ALICE.equals(c.param("user_id")));
        JsonObject home = api.home(ALICE);
        assertThat(home.toString()).contains(ActionIds.HOME_REQUEST);
        int opens = api.calls("views.open").size();
        form.send(slack.viewAction(ALICE, home, "Hk0v", ActionIds.HOME_REQUEST, SlackRequests.button("home"), new JsonObject()));
        SlackApiServer.Call open = api.await("views.open", c -> api.calls("views.open").indexOf(c) >= opens);
        assertThat(open.param("view")).contains(ActionIds.REQUEST_VIEW).contains(ActionIds.REQUEST_SECTION_BLOCK);
    }
}
