package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;

/**
 * What the bot does with a request it acknowledged, and with one another bot acknowledged and never
 * answered (handed over by the job layer as {@link org.pgstaging.job.JobService#onOrphanedRequest}
 * does): held until answered, done once, answered where Slack still takes it, not done too late or
 * after stopping its bots twice.
 */
class HeldRequestTakeoverTest {
    static final String ALICE = SlackHttpBotTest.ALICE;
    static final String CAROL = SlackHttpBotTest.CAROL;
    static final String CHANNEL = SlackHttpBotTest.CHANNEL;

    static SlackApiServer api;
    static RecordingBackend backend;
    static SlackBot bot;
    static URI events;
    static SlackRequests slack;

    @BeforeAll
    static void start() throws Exception {
        api = SlackHttpBotTest.loopbackSlack();
        Path state = org.pgstaging.testkit.TempDirs.create("pgstaging-held");
        SlackSettings settings = new SlackSettings(SlackHttpBotTest.settings(api.apiUrl(), state, false), Map.of());
        backend = new RecordingBackend(SlackBot.jobPolicy(settings));
        bot = new SlackBot(settings, backend, Clock.systemUTC());
        events = bot.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventsUri();
        slack = new SlackRequests(SlackHttpBotTest.SECRET);
    }

    @AfterAll
    static void stop() {
        bot.close();
        api.close();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what + "; backend calls: " + backend.calls);
            Thread.sleep(20);
        }
    }

    private static String pathOf(String url) {
        return URI.create(url).getPath();
    }

    /** Held by a bot that died, as the store hands it over: one takeover so far. */
    private static HeldRequest orphan(String key, String text, String responseUrl, Duration age, int takeovers) {
        HeldRequest r = new HeldRequest(key, text, ALICE, CHANNEL, responseUrl, Instant.now().minus(age), takeovers, null);
        assertThat(backend.state().heldRequests().hold(r, org.pgstaging.job.store.Replica.named("dead-bot/1/dddddd"))).isTrue();
        return r;
    }

    @Test
    void aCommandIsHeldWhileItIsWorkedOnAndForgottenOnceAnswered() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        backend.gate = gate;
        String url = api.responseUrl();
        try {
            HttpResponse<String> ack = slack.send(events, slack.signForm(slack.slashCommand(ALICE, CHANNEL, "/pgstaging",
                    "dbsizes foodb.dev", url)));
            assertThat(ack.body()).contains("working");
            assertThat(backend.state().heldRequests().all()).as("held before the ack, while the answer is worked on")
                    .anySatisfy(h -> {
                        assertThat(h.text()).isEqualTo("dbsizes foodb.dev");
                        assertThat(h.responseUrl()).isEqualTo(url);
                        assertThat(h.key()).startsWith("command:");
                    });
        } finally {
            gate.countDown();
            backend.gate = null;
        }
        api.await("response_url", c -> c.param("path").equals(pathOf(url)));
        awaitTrue(() -> backend.state().heldRequests().all().stream().noneMatch(h -> h.text().equals("dbsizes foodb.dev")),
                "the answered command to be forgotten");
    }

    @Test
    void aRestoreTakenOverIsRequestedOnceAndAnsweredThroughItsResponseUrl() throws Exception {
        String url = api.responseUrl();
        HeldRequest held = orphan("command:9001.42.takeover", "restore foodb.dev 2026-11-24", url, Duration.ofSeconds(40), 1);
        int jobs = backend.jobs.size();
        backend.orphanHandler.accept(held);
        var answer = api.await("response_url", c -> c.param("path").equals(pathOf(url)));
        assertThat(answer.allText()).contains("posted");
        String jobId = answer.allText().replaceAll("(?s).*Request `([^`]+)` posted.*", "$1");
        api.awaitMessage(p -> p.channel().equals(CHANNEL) && p.text().contains("job `" + jobId + "`") && p.text().contains("<@" + ALICE + ">"));
        api.awaitMessage(p -> p.text().contains("job_approve") && p.text().contains("\"" + jobId + "\""));
        awaitTrue(() -> backend.state().heldRequests().all().isEmpty(), "the request to be forgotten");
        assertThat(backend.jobs).hasSize(jobs + 1);

        // its bot died again after posting, before forgetting it: done again, the job and its messages are not made twice
        backend.orphanHandler.accept(orphan(held.key(), held.text(), url, Duration.ofSeconds(80), 2));
        awaitTrue(() -> api.calls("response_url").stream().filter(c -> c.param("path").equals(pathOf(url))).count() == 2,
                "the second answer");
        awaitTrue(() -> backend.state().heldRequests().all().isEmpty(), "the request to be forgotten again");
        assertThat(backend.jobs).as("asked twice, one job").hasSize(jobs + 1);
        assertThat(api.calls("chat.postMessage").stream().filter(c -> c.allText().contains("job `" + jobId + "`")
                && c.param("thread_ts") == null)).as("one request message").hasSize(1);
    }

    @Test
    void aRequestTakenOverAfterSlackStoppedTakingAnswersIsAnsweredToTheRequesterInItsChannel() throws Exception {
        String url = api.responseUrl();
        backend.orphanHandler.accept(orphan("command:9002.42.late", "dbsizes foodb.dev", url, Duration.ofMinutes(40), 1));
        var ephemeral = api.await("chat.postEphemeral", c -> ALICE.equals(c.param("user")) && c.allText().contains("foodb_20261124"));
        assertThat(ephemeral.param("channel")).isEqualTo(CHANNEL);
        assertThat(api.calls("response_url")).noneMatch(c -> c.param("path").equals(pathOf(url)));
    }

    @Test
    void aRequestTooOldIsNotDoneAndItsRequesterIsToldToAskAgain() throws Exception {
        int submits = backend.calls("submit").size();
        backend.orphanHandler.accept(orphan("command:9003.42.old", "restore foodb.dev 2026-11-20", null, Duration.ofHours(2), 1));
        var told = api.await("chat.postEphemeral", c -> ALICE.equals(c.param("user")) && c.allText().contains("restore foodb.dev 2026-11-20"));
        assertThat(told.allText()).contains("ask again");
        assertThat(backend.calls("submit")).hasSize(submits);
        awaitTrue(() -> backend.state().heldRequests().all().stream().noneMatch(h -> h.key().equals("command:9003.42.old")),
                "the old request to be forgotten");
    }

    @Test
    void aRequestThatStoppedItsBotsTwiceIsAnsweredWithAnErrorNotTriedAgain() throws Exception {
        int submits = backend.calls("submit").size();
        String url = api.responseUrl();
        backend.orphanHandler.accept(orphan("command:9004.42.poison", "restore foodb.dev 2026-11-22", url, Duration.ofMinutes(2),
                BotContext.MAX_TAKEOVERS + 1));
        var answer = api.await("response_url", c -> c.param("path").equals(pathOf(url)));
        assertThat(answer.allText()).contains("stopped 3 times").contains("restore foodb.dev 2026-11-22");
        assertThat(backend.calls("submit")).hasSize(submits);
    }

    /** A restore asked as a slash command; returns its job id and the ts of its request message (its thread). */
    private static String[] asked(String date) throws Exception {
        String url = api.responseUrl();
        slack.send(events, slack.signForm(slack.slashCommand(ALICE, CHANNEL, "/pgstaging", "restore foodb.dev " + date, url)));
        var answer = api.await("response_url", c -> c.param("path").equals(pathOf(url)));
        String jobId = answer.allText().replaceAll("(?s).*Request `([^`]+)` posted.*", "$1");
        var request = api.awaitMessage(p -> p.channel().equals(CHANNEL) && p.text().contains("job `" + jobId + "`")
                && !p.message().has("thread_ts"));
        return new String[] {jobId, request.ts()};
    }

    @Test
    void aThreadReplyIsHeldUntilAnsweredAndOneTakenOverIsAnsweredInItsThread() throws Exception {
        String[] job = asked("2026-11-23");
        var event = slack.eventCallback(slack.threadMessage(ALICE, CHANNEL, "status", job[1]));
        String eventId = event.get("event_id").getAsString();
        assertThat(slack.send(events, slack.signJson(event.toString())).statusCode()).isEqualTo(200);
        api.await("chat.postMessage", c -> job[1].equals(c.param("thread_ts")) && c.allText().contains("Awaiting approval"));
        awaitTrue(() -> backend.state().heldRequests().all().stream().noneMatch(h -> h.key().equals("event:" + eventId)),
                "the answered reply to be forgotten");

        // the same kind of reply, acknowledged by a bot that died: answered in the thread by this one
        int before = (int) api.calls("chat.postMessage").stream().filter(c -> job[1].equals(c.param("thread_ts"))
                && c.allText().contains("Database sizes")).count();
        HeldRequest reply = new HeldRequest("event:Ev0TAKEOVER01", "dbsizes", ALICE, CHANNEL, null,
                Instant.now().minusSeconds(40), 1, job[1]);
        assertThat(backend.state().heldRequests().hold(reply, org.pgstaging.job.store.Replica.named("dead-bot/1/dddddd"))).isTrue();
        backend.orphanHandler.accept(reply);
        awaitTrue(() -> api.calls("chat.postMessage").stream().filter(c -> job[1].equals(c.param("thread_ts"))
                && c.allText().contains("Database sizes")).count() == before + 1, "the dbsizes answer in the job's thread");
        awaitTrue(() -> backend.state().heldRequests().all().isEmpty(), "the reply to be forgotten");

        // a cancel taken over twice: done the first time, refused ("already cancelled") the second, to its sender alone
        HeldRequest cancel = new HeldRequest("event:Ev0TAKEOVER02", "cancel", ALICE, CHANNEL, null, Instant.now().minusSeconds(40), 1, job[1]);
        backend.state().heldRequests().hold(cancel, org.pgstaging.job.store.Replica.named("dead-bot/1/dddddd"));
        backend.orphanHandler.accept(cancel);
        api.await("chat.postMessage", c -> job[1].equals(c.param("thread_ts")) && c.allText().contains("cancelled"));
        awaitTrue(() -> backend.state().heldRequests().all().isEmpty(), "the cancel to be forgotten");
        backend.state().heldRequests().hold(cancel, org.pgstaging.job.store.Replica.named("dead-bot/1/dddddd"));
        backend.orphanHandler.accept(cancel);
        api.await("chat.postEphemeral", c -> ALICE.equals(c.param("user")) && job[1].equals(c.param("thread_ts"))
                && c.allText().contains("already"));
        assertThat(backend.jobs.get(job[0]).state()).isEqualTo(org.pgstaging.job.model.JobState.CANCELLED);
    }

    @Test
    void aClickOnAJobsCardIsHeldUntilDoneAndOneTakenOverIsDoneOnce() throws Exception {
        String[] job = asked("2026-11-20");
        var card = api.awaitMessage(p -> p.text().contains("job_approve") && p.text().contains("\"" + job[0] + "\""));
        CountDownLatch gate = new CountDownLatch(1);
        backend.approveGate = gate;
        try {
            var payload = slack.blockAction(CAROL, card.channel(), card.message(), false, ActionIds.APPROVE, job[0], api.responseUrl());
            assertThat(slack.send(events, slack.signForm(slack.interactive(payload))).statusCode()).isEqualTo(200);
            awaitTrue(() -> backend.state().heldRequests().all().stream().anyMatch(h -> h.key().startsWith("click:")
                    && h.text().equals(ActionIds.APPROVE + " " + job[0]) && h.userId().equals(CAROL)),
                    "the click held while it is done");
        } finally {
            gate.countDown();
            backend.approveGate = null;
        }
        awaitTrue(() -> !backend.calls("approve " + job[0] + " by " + CAROL).isEmpty(), "the approval");
        awaitTrue(() -> backend.state().heldRequests().all().isEmpty(), "the done click to be forgotten");

        // a cancel clicked on a bot that died before doing it: done by this one, and the card says so
        String[] other = asked("2026-11-24");
        var otherCard = api.awaitMessage(p -> p.text().contains("job_cancel") && p.text().contains("\"" + other[0] + "\""));
        HeldRequest cancel = new HeldRequest("click:9006.42.cancel", ActionIds.CANCEL + " " + other[0], ALICE, CHANNEL, null,
                Instant.now().minusSeconds(40), 1, null);
        assertThat(backend.state().heldRequests().hold(cancel, org.pgstaging.job.store.Replica.named("dead-bot/1/dddddd"))).isTrue();
        backend.orphanHandler.accept(cancel);
        awaitTrue(() -> !backend.calls("cancel " + other[0] + " by " + ALICE).isEmpty(), "the taken-over cancel");
        api.awaitMessage(p -> p.ts().equals(otherCard.ts()) && p.text().toLowerCase(java.util.Locale.ROOT).contains("cancelled"));
        awaitTrue(() -> backend.state().heldRequests().all().isEmpty(), "the taken-over click to be forgotten");

        // its bot died again after cancelling, before forgetting it: refused by the job's state, cancelled once
        assertThat(backend.state().heldRequests().hold(cancel, org.pgstaging.job.store.Replica.named("dead-bot/1/dddddd"))).isTrue();
        backend.orphanHandler.accept(cancel);
        awaitTrue(() -> backend.state().heldRequests().all().isEmpty(), "the second takeover to be forgotten");
        assertThat(backend.calls("cancel " + other[0])).as("cancelled once").hasSize(1);
    }
}
