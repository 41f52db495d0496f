package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pgstaging.job.JobView;
import org.pgstaging.job.model.JobState;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.SlackApiServer.Posted;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackBlockRules;
import org.pgstaging.testkit.SlackRequests;

/** The real Bolt app behind our HTTP adapter, talking to a loopback Slack Web API. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlackHttpBotTest {
    static final String BOT_TOKEN = "xoxb-1111-2222-pgstagingtest";
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String CHANNEL = "C0STAGING";
    static final String ALICE = "U0ALICE";      // requester
    static final String BOB = "U0BOB";          // requester, not an approver
    static final String CAROL = "U0CAROL";      // approver (user)
    static final String GRACE = "U0GRACE";      // approver through user group S0DBAS
    static final String MALLORY = "U0MALLORY";  // nobody

    static SlackApiServer api;
    static RecordingBackend backend;
    static SlackBot bot;
    static URI events;
    static SlackRequests slack;
    static Path stateDir;

    static Map<String, String> settings(String apiUrl, Path state, boolean selfApproval) {
        Map<String, String> m = new HashMap<>();
        m.put("mode", "http");
        m.put("bot_token", BOT_TOKEN);
        m.put("signing_secret", SECRET);
        m.put("api_url", apiUrl);
        m.put("state_dir", state.toString());
        m.put("channels", CHANNEL + ", C0OTHERSTAGE");
        m.put("requesters", ALICE + ", " + BOB + ", S0DEVS");
        m.put("approvers", CAROL + ", S0DBAS");
        m.put("self_approval", selfApproval ? "True" : "False");
        return m;
    }

    /** The loopback Web API with the users and user groups of these settings. */
    static SlackApiServer loopbackSlack() {
        return SlackApiServer.start(BOT_TOKEN, "xapp-1-unused")
                .userGroup("S0DBAS", GRACE).userGroup("S0DEVS", "U0DEVDAN").user(ALICE, "alice").user(BOB, "bob");
    }

    @BeforeAll
    static void start() throws Exception {
        api = loopbackSlack();
        stateDir = org.pgstaging.testkit.TempDirs.create("pgstaging-slack");
        SlackSettings settings = new SlackSettings(settings(api.apiUrl(), stateDir, false), Map.of());
        backend = new RecordingBackend(SlackBot.jobPolicy(settings));
        bot = new SlackBot(settings, backend, Clock.systemUTC());
        events = bot.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventsUri();
        slack = new SlackRequests(SECRET);
    }

    @AfterAll
    static void stop() {
        bot.close();
        api.close();
    }

    static HttpResponse<String> command(String user, String channel, String text, String responseUrl) throws Exception {
        return slack.send(events, slack.signForm(slack.slashCommand(user, channel, "/pgstaging", text, responseUrl)));
    }

    static HttpResponse<String> click(String user, Posted on, String actionId, String value, String responseUrl) throws Exception {
        JsonObject payload = slack.blockAction(user, on.channel(), on.message(), false, actionId, value, responseUrl);
        return slack.send(events, slack.signForm(slack.interactive(payload)));
    }

    /** The text of an ack's JSON body, as Slack would show it. */
    static String ackText(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        return JsonParser.parseString(r.body()).getAsJsonObject().get("text").getAsString();
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what + "; backend calls: " + backend.calls);
            Thread.sleep(20);
        }
    }

    /** Asks for a restore as {@code user}; returns the job, its request message and its approval card. */
    static Object[] restore(String user) throws Exception {
        int before = backend.calls("submit").size();
        String responseUrl = api.responseUrl();
        HttpResponse<String> r = command(user, CHANNEL, "restore foodb.dev 2026-11-24", responseUrl);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("working");
        awaitTrue(() -> backend.calls("submit").size() > before, "submit");
        JobView job;
        synchronized (backend.jobs) {
            job = backend.jobs.values().stream().reduce((a, b) -> b).orElseThrow();
        }
        Posted request = api.awaitMessage(p -> p.text().contains("job `" + job.id() + "`"));
        Posted card = api.awaitMessage(p -> p.text().contains("job_approve") && p.text().contains("\"" + job.id() + "\""));
        api.await("response_url", c -> c.param("path").equals(URI.create(responseUrl).getPath()));
        return new Object[] {job, request, card};
    }

    @Test
    void helpIsAnsweredInTheAckItself() throws Exception {
        HttpResponse<String> r = command(ALICE, CHANNEL, "help", api.responseUrl());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        assertThat(body.get("response_type").getAsString()).isEqualTo("ephemeral");
        assertThat(body.toString()).contains("/pgstaging restore SECTION [DATE]").contains("/pgstaging dbsizes");
    }

    @Test
    void slowWorkIsAckedFirstThenAnsweredThroughResponseUrl() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        backend.gate = gate;
        try {
            String url = api.responseUrl();
            HttpResponse<String> r = command(ALICE, CHANNEL, "dbsizes foodb.dev", url);
            // The backend is still blocked: the 200 came before the work, as Slack's 3 s limit needs.
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("working");
            assertThat(api.responses()).noneMatch(c -> c.param("path").equals(URI.create(url).getPath()));
            gate.countDown();
            var answer = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()));
            assertThat(answer.param("response_type")).isEqualTo("ephemeral");
            assertThat(answer.allText()).contains("foodb_20261120").contains("foodb_20261124").contains("total").contains("GB");
        } finally {
            backend.gate = null;
            gate.countDown();
        }
    }

    @Test
    void forgedSignatureIsRejectedAndNothingHappens() throws Exception {
        int calls = backend.calls.size();
        String body = slack.slashCommand(ALICE, CHANNEL, "/pgstaging", "restore foodb.dev", api.responseUrl());
        SlackRequests.Signed good = slack.signForm(body);
        Map<String, String> headers = new HashMap<>(good.headers());
        headers.put("X-Slack-Signature", SlackRequests.signature("not-the-secret-at-all-000000", Long.parseLong(headers.get("X-Slack-Request-Timestamp")), good.body()));
        HttpResponse<String> r = slack.send(events, new SlackRequests.Signed(good.body(), good.contentType(), headers));
        assertThat(r.statusCode()).isEqualTo(401);
        // A body changed after signing fails too.
        String tampered = body.replace("restore", "purge++");
        HttpResponse<String> r2 = slack.send(events, new SlackRequests.Signed(tampered.getBytes(StandardCharsets.UTF_8), good.contentType(), good.headers()));
        assertThat(r2.statusCode()).isEqualTo(401);
        Thread.sleep(200);
        assertThat(backend.calls.size()).isEqualTo(calls);
    }

    @Test
    void staleAndFutureTimestampsAreRejected() throws Exception {
        String body = slack.slashCommand(ALICE, CHANNEL, "/pgstaging", "help", api.responseUrl());
        long now = System.currentTimeMillis() / 1000;
        assertThat(slack.send(events, slack.sign(body, "application/x-www-form-urlencoded", now - 6 * 60)).statusCode()).isEqualTo(401);
        assertThat(slack.send(events, slack.sign(body, "application/x-www-form-urlencoded", now + 3600)).statusCode()).isEqualTo(401);
        assertThat(slack.send(events, slack.sign(body, "application/x-www-form-urlencoded", now - 60)).statusCode()).isEqualTo(200);
    }

    @Test
    void utf8BodySignedOverItsBytesIsAccepted() throws Exception {
        String url = api.responseUrl();
        String body = slack.slashCommand(ALICE, CHANNEL, "/pgstaging", "dbsizes café.dév", url);
        long ts = System.currentTimeMillis() / 1000;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SlackRequests.Signed req = new SlackRequests.Signed(bytes, "application/x-www-form-urlencoded",
                Map.of("X-Slack-Request-Timestamp", Long.toString(ts), "X-Slack-Signature", SlackRequests.signature(SECRET, ts, bytes)));
        HttpResponse<String> r = slack.send(events, req);
        assertThat(r.statusCode()).isEqualTo(200);
        var answer = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()));
        assertThat(answer.allText()).contains("unknown section 'café.dév'");
    }

    @Test
    void unknownChannelAndUnknownRequesterAreRefused() throws Exception {
        int submits = backend.calls("submit").size();
        HttpResponse<String> r = command(ALICE, "C0RANDOM", "restore foodb.dev", api.responseUrl());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ackText(r)).contains("does not take requests in this channel").contains("<#C0STAGING>");
        HttpResponse<String> r2 = command(MALLORY, CHANNEL, "restore foodb.dev", api.responseUrl());
        assertThat(ackText(r2)).contains("not among the requesters");
        assertThat(backend.calls("submit")).hasSize(submits);
        HttpResponse<String> r3 = command("U0DEVDAN", CHANNEL, "help", api.responseUrl());
        assertThat(ackText(r3)).as("a member of a requester user group may ask").doesNotContain("not among the requesters");
    }

    @Test
    void unknownCommandGetsUsageAndNearestCommand() throws Exception {
        int submits = backend.calls("submit").size();
        HttpResponse<String> r = command(ALICE, CHANNEL, "restor foodb.dev", api.responseUrl());
        assertThat(ackText(r)).contains("unknown command 'restor'").contains("did you mean `/pgstaging restore SECTION [DATE]`");
        HttpResponse<String> r2 = command(ALICE, CHANNEL, "restore foodb.dev 2026-02-30", api.responseUrl());
        assertThat(ackText(r2)).contains("invalid date '2026-02-30'");
        HttpResponse<String> r3 = command(ALICE, CHANNEL, "drop", api.responseUrl());
        assertThat(ackText(r3)).contains("usage: /pgstaging drop SECTION [DATE]");
        assertThat(backend.calls("submit")).hasSize(submits);
    }

    @Test
    void restoreRequestPostsMessageAndApprovalCard() throws Exception {
        Object[] r = restore(ALICE);
        JobView job = (JobView) r[0];
        Posted request = (Posted) r[1];
        Posted card = (Posted) r[2];
        assertThat(job.requesterId()).isEqualTo(ALICE);
        assertThat(request.channel()).isEqualTo(CHANNEL);
        assertThat(request.text()).contains("Awaiting approval").contains("<@U0ALICE>");
        assertThat(card.message().get("thread_ts").getAsString()).isEqualTo(request.ts());
        assertThat(card.text()).contains("foodb.2026-11-24.dump").contains("3.3 GB").contains("staging-db1:5432")
                .contains("audit").contains("public.sessions").contains("public.orders.audit_trigger").contains("job_deny");
    }

    @Test
    void historyTakesANumberOfJobsNotASection() throws Exception {
        String url = api.responseUrl();
        assertThat(command(ALICE, CHANNEL, "history 50", url).statusCode()).isEqualTo(200);
        var answer = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()));
        assertThat(answer.allText()).contains("History").doesNotContain("unknown section").doesNotContain("no section");
        assertThat(backend.calls).noneMatch(c -> c.startsWith("section 50") || c.contains(" 50 "));
    }

    @Test
    void queueShowsTheBotsJobsAndWhatElseHoldsTheServers() throws Exception {
        String url = api.responseUrl();
        assertThat(command(ALICE, CHANNEL, "queue foodb.dev", url).statusCode()).isEqualTo(200);
        var answer = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()));
        assertThat(answer.allText()).contains("Queue").contains("Outside the bot")
                .contains("restore foodb.dev 2026-11-24").contains("alice@stage1 (console)")
                .as("the bot's own jobs are in its queue table, not among the others").doesNotContain("vacuumdb bardb.dev 2026-11-23");
        assertThat(backend.calls).contains("activity [foodb.dev]");
    }

    @Test
    void aRequestQueuedWithoutApprovalSaysSo() throws Exception {
        backend.noApproval.add("foodb.dev");
        try {
            String url = api.responseUrl();
            command(ALICE, CHANNEL, "restore foodb.dev", url);
            var answer = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()));
            assertThat(answer.allText()).contains("no approval needed for foodb.dev: it is queued")
                    .doesNotContain("waits for an approver");
        } finally {
            backend.noApproval.remove("foodb.dev");
        }
    }

    @Test
    void nonApproverClickIsRefusedAndNothingIsApproved() throws Exception {
        Object[] r = restore(ALICE);
        JobView job = (JobView) r[0];
        HttpResponse<String> resp = click(BOB, (Posted) r[2], ActionIds.APPROVE, job.id(), api.responseUrl());
        assertThat(resp.statusCode()).isEqualTo(200);
        var refusal = api.await("chat.postEphemeral", c -> BOB.equals(c.param("user")) && c.allText().contains("Only approvers"));
        assertThat(refusal.param("channel")).isEqualTo(CHANNEL);
        assertThat(backend.calls("approve " + job.id())).isEmpty();
        assertThat(backend.job(job.id()).orElseThrow().state()).isEqualTo(JobState.AWAITING_APPROVAL);
    }

    @Test
    void selfApprovalIsRefusedWhenNotAllowed() throws Exception {
        Object[] r = restore(CAROL); // an approver asking for herself
        JobView job = (JobView) r[0];
        click(CAROL, (Posted) r[2], ActionIds.APPROVE, job.id(), api.responseUrl());
        var refusal = api.await("chat.postEphemeral", c -> CAROL.equals(c.param("user")) && c.allText().contains("your own request"));
        assertThat(refusal).isNotNull();
        assertThat(backend.calls("approve " + job.id())).isEmpty();
    }

    @Test
    void groupApproverApprovesAndMessagesShowIt() throws Exception {
        Object[] r = restore(ALICE);
        JobView job = (JobView) r[0];
        Posted request = (Posted) r[1];
        Posted card = (Posted) r[2];
        click(GRACE, card, ActionIds.APPROVE, job.id(), api.responseUrl());
        awaitTrue(() -> !backend.calls("approve " + job.id() + " by " + GRACE).isEmpty(), "approval");
        assertThat(api.calls("usergroups.users.list")).anyMatch(c -> "S0DBAS".equals(c.param("usergroup")));
        api.awaitMessage(p -> p.ts().equals(request.ts()) && p.text().contains("Queued, position 1") && p.text().contains("Approved by <@U0GRACE>"));
        api.awaitMessage(p -> p.ts().equals(card.ts()) && p.text().contains("Approved by") && !p.text().contains("job_approve"));
    }

    @Test
    void denyOpensModalAndRecordsTheReason() throws Exception {
        Object[] r = restore(ALICE);
        JobView job = (JobView) r[0];
        Posted request = (Posted) r[1];
        click(CAROL, (Posted) r[2], ActionIds.DENY, job.id(), api.responseUrl());
        var open = api.await("views.open", c -> c.param("view").contains("\"private_metadata\":\"" + job.id() + "\""));
        JsonObject view = JsonParser.parseString(open.param("view")).getAsJsonObject();
        assertThat(view.get("callback_id").getAsString()).isEqualTo(ActionIds.DENY_VIEW);
        assertThat(backend.calls("deny " + job.id())).isEmpty();

        // An empty reason keeps the modal open with an error on the field.
        HttpResponse<String> empty = slack.send(events, slack.signForm(slack.interactive(
                slack.viewSubmission(CAROL, view, ActionIds.DENY_REASON_BLOCK, ActionIds.DENY_REASON_INPUT, "  "))));
        assertThat(empty.body()).contains("\"response_action\":\"errors\"").contains(ActionIds.DENY_REASON_BLOCK);

        HttpResponse<String> submit = slack.send(events, slack.signForm(slack.interactive(
                slack.viewSubmission(CAROL, view, ActionIds.DENY_REASON_BLOCK, ActionIds.DENY_REASON_INPUT, "prod freeze until Monday"))));
        assertThat(submit.statusCode()).isEqualTo(200);
        awaitTrue(() -> !backend.calls("deny " + job.id() + " by " + CAROL + ": prod freeze until Monday").isEmpty(), "deny");
        api.awaitMessage(p -> p.ts().equals(request.ts()) && p.text().contains("Denied by <@U0CAROL>") && p.text().contains("prod freeze until Monday"));
    }

    @Test
    void threadRepliesAnswerStatusAndCancel() throws Exception {
        Object[] r = restore(ALICE);
        JobView job = (JobView) r[0];
        Posted request = (Posted) r[1];
        HttpResponse<String> status = slack.send(events, slack.signJson(slack.eventCallback(
                slack.threadMessage(ALICE, CHANNEL, "status", request.ts())).toString()));
        assertThat(status.statusCode()).isEqualTo(200);
        api.await("chat.postMessage", c -> request.ts().equals(c.param("thread_ts")) && c.allText().contains("Awaiting approval")
                && !c.allText().contains("job_approve"));

        // Bob is a requester but neither the job's requester nor an approver.
        slack.send(events, slack.signJson(slack.eventCallback(slack.threadMessage(BOB, CHANNEL, "cancel", request.ts())).toString()));
        api.await("chat.postEphemeral", c -> BOB.equals(c.param("user")) && c.allText().contains("Only the requester or an approver can cancel this job"));
        assertThat(backend.calls("cancel " + job.id())).isEmpty();

        slack.send(events, slack.signJson(slack.eventCallback(slack.threadMessage(ALICE, CHANNEL, "cancel please", request.ts())).toString()));
        awaitTrue(() -> !backend.calls("cancel " + job.id() + " by " + ALICE).isEmpty(), "cancel");
        api.awaitMessage(p -> p.ts().equals(request.ts()) && p.text().contains("Cancelled") && p.text().contains(ActionIds.RETRY));
    }

    @Test
    void subtypedAndUnrelatedMessagesAreAckedWithoutEffect() throws Exception {
        int calls = backend.calls.size();
        JsonObject changed = new JsonObject();
        changed.addProperty("type", "message");
        changed.addProperty("subtype", "message_changed");
        changed.addProperty("channel", CHANNEL);
        changed.addProperty("ts", "1700000000.000100");
        changed.addProperty("event_ts", "1700000000.000100");
        JsonObject inner = new JsonObject();
        inner.addProperty("type", "message");
        inner.addProperty("text", "edited");
        inner.addProperty("user", ALICE);
        inner.addProperty("ts", "1700000000.000001");
        changed.add("message", inner);
        assertThat(slack.send(events, slack.signJson(slack.eventCallback(changed).toString())).statusCode()).isEqualTo(200);
        assertThat(slack.send(events, slack.signJson(slack.eventCallback(
                slack.threadMessage(ALICE, CHANNEL, "status", "1600000000.000001")).toString())).statusCode()).isEqualTo(200);
        Thread.sleep(200);
        assertThat(backend.calls.size()).isEqualTo(calls);
    }

    @Test
    void progressIsThrottledAndCompletionOffersTheSwitch() throws Exception {
        Object[] r = restore(ALICE);
        JobView job = (JobView) r[0];
        Posted request = (Posted) r[1];
        JobView running = new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), ALICE, JobState.RUNNING, 0,
                null, null, new JobView.Decision(CAROL, true, java.time.Instant.now(), null), null, job.submittedAt(), null);
        backend.publish(running);
        int before = api.calls("chat.update").size();
        backend.progress(running, new RestoreEvent.StepStarted(job.database(), Step.DOWNLOAD, null));
        for (int i = 1; i <= 40; i++) {
            backend.progress(running, new RestoreEvent.StepProgress(job.database(), Step.DOWNLOAD, i * 100_000_000L, 4_000_000_000L, "bytes", 50_000_000));
        }
        api.awaitMessage(p -> p.ts().equals(request.ts()) && p.text().contains("3.7 GB of 3.7 GB"), Duration.ofSeconds(15));
        long edits = api.calls("chat.update").stream().skip(before).filter(c -> request.ts().equals(c.param("ts"))).count();
        assertThat(edits).isLessThan(10);

        JobView done = new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), ALICE, JobState.DONE, 0,
                null, null, running.decision(), null, job.submittedAt(), java.time.Instant.now());
        backend.publish(done);
        Posted completion = api.awaitMessage(p -> request.ts().equals(p.message().has("thread_ts") ? p.message().get("thread_ts").getAsString() : null)
                && p.text().contains("is ready"), Duration.ofSeconds(15));
        assertThat(completion.text()).contains("<@U0ALICE>").contains("public.events rows").contains("41,000,000")
                .contains("Switch foodb to foodb_20261124");
        JsonObject table = tableBlock(completion.message().getAsJsonArray("blocks"));
        String url = api.responseUrl();
        click(ALICE, completion, ActionIds.SWITCH, "foodb.dev|foodb_20261124", url);
        awaitTrue(() -> !backend.calls("switch foodb.dev 2026-11-24 by " + ALICE).isEmpty(), "switch");
        var replaced = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()));
        assertThat(replaced.param("replace_original")).isEqualTo("true");
        assertThat(replaced.allText()).contains("Switch back to foodb_20261120").contains("switched *foodb* to `foodb_20261124`");
        // Bolt reads the table block it has no class for as a bare {"type":"table"}: it goes back whole
        assertThat(tableBlock(replaced.blocks())).isEqualTo(table);
        assertThat(SlackBlockRules.problems(replaced.blocks())).isEmpty();
        backend.active = "foodb_20261120";
    }

    @Test
    void failureShowsCleanupAndRetryQueuesAgain() throws Exception {
        Object[] r = restore(ALICE);
        JobView job = (JobView) r[0];
        Posted request = (Posted) r[1];
        backend.publish(new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), ALICE, JobState.FAILED, 0,
                null, null, null, new JobView.Failure("pg_restore exited with status 1: out of disk space", "free space in /var/lib/postgresql",
                "restoring", "dropped foodb_20261124 and removed the dump"), job.submittedAt(), java.time.Instant.now()));
        Posted failed = api.awaitMessage(p -> p.ts().equals(request.ts()) && p.text().contains("out of disk space"), Duration.ofSeconds(15));
        assertThat(failed.text()).contains("dropped foodb_20261124 and removed the dump").contains(ActionIds.RETRY);
        int submits = backend.calls("submit").size();
        click(ALICE, failed, ActionIds.RETRY, job.id(), api.responseUrl());
        awaitTrue(() -> !backend.calls("retry " + job.id()).isEmpty() && backend.calls("submit").size() > submits, "retry");
    }

    @Test
    void dropShowsConnectionsAndNeedsTheConfirmButton() throws Exception {
        String url = api.responseUrl();
        command(ALICE, CHANNEL, "drop foodb.dev 20261124", url);
        var confirm = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()));
        assertThat(confirm.allText()).contains("api-server").contains("psql").contains(ActionIds.DROP).contains("cannot be undone");
        assertThat(backend.calls("drop")).isEmpty();
        // The active copy cannot be dropped at all.
        String url2 = api.responseUrl();
        command(ALICE, CHANNEL, "drop foodb.dev 2026-11-20", url2);
        assertThat(api.await("response_url", c -> c.param("path").equals(URI.create(url2).getPath())).allText())
                .contains("refusing to drop foodb_20261120: the alias foodb points to it");
    }

    static JsonObject tableBlock(com.google.gson.JsonArray blocks) {
        for (var b : blocks) {
            if ("table".equals(b.getAsJsonObject().get("type").getAsString())) return b.getAsJsonObject();
        }
        throw new AssertionError("no table block in " + blocks);
    }

    /**
     * A section named with markup, a broadcast and an emoji sequence: typed in a slash command (Slack
     * sends it escaped), named in an error's hint, listed in a table. Slack gets it escaped once
     * in mrkdwn, as given in the table's cells.
     */
    @Test
    void hostileSectionNamesReachSlackEscapedOnce() throws Exception {
        String hostile = "<!channel>&<b>é" + SlackTextTest.FAMILY + ".dev";
        String escaped = "&lt;!channel&gt;&amp;&lt;b&gt;é" + SlackTextTest.FAMILY + ".dev";
        backend.moreSections.add(hostile);
        try {
            String url = api.responseUrl();
            command(ALICE, CHANNEL, "restore nosuch.dev", url);
            var error = api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()));
            assertThat(error.param("text")).isEqualTo(":warning: unknown section 'nosuch.dev'\nknown sections: foodb.dev, bardb.dev, " + escaped);

            String url2 = api.responseUrl();
            command(ALICE, CHANNEL, "dbsizes " + escaped, url2);
            var sizes = api.await("response_url", c -> c.param("path").equals(URI.create(url2).getPath()));
            assertThat(SlackBlockRules.problems(sizes.blocks())).isEmpty();
            assertThat(sizes.blocks().get(0).getAsJsonObject().getAsJsonObject("text").get("text").getAsString()).isEqualTo("*Database sizes*");
            var row = tableBlock(sizes.blocks()).getAsJsonArray("rows").get(1).getAsJsonArray();
            assertThat(row.get(0).getAsJsonObject().get("text").getAsString()).isEqualTo(hostile);
            assertThat(sizes.param("text")).startsWith("*Database sizes*\n```\n").contains("\n" + escaped + "  foodb_20261120  ");
        } finally {
            backend.moreSections.remove(hostile);
        }
    }

    /** ok, and how the Web API answered the last call (an HTTP-mode bot has no socket to report). */
    @Test
    void healthzAnswersOkAndHowSlackAnswers() throws Exception {
        assertThat(command(ALICE, CHANNEL, "help", api.responseUrl()).statusCode()).isEqualTo(200); // auth.test, at least once
        URI health = events.resolve("/healthz");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(health).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("ok\n").containsPattern("\nslack web api: reachable since \\S+Z \\(last call [A-Za-z.]+: [a-z_]+\\)\n$")
                .doesNotContain("socket");
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events.resolve(Probes.READY_PATH))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).startsWith("ready\nslack web api: reachable since ");
    }

    @Test
    void selfApprovalWorksWhenAllowed() throws Exception {
        SlackSettings selfApproving = new SlackSettings(settings(api.apiUrl(), org.pgstaging.testkit.TempDirs.create("pgstaging-slack"), true), Map.of());
        RecordingBackend other = new RecordingBackend(SlackBot.jobPolicy(selfApproving));
        try (SlackBot permissive = new SlackBot(selfApproving, other, Clock.systemUTC())) {
            URI ev = permissive.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventsUri();
            slack.send(ev, slack.signForm(slack.slashCommand(CAROL, CHANNEL, "/pgstaging", "restore foodb.dev", api.responseUrl())));
            awaitTrue(() -> !other.calls("submit").isEmpty(), "submit");
            JobView job = other.jobs.values().iterator().next();
            Posted card = api.awaitMessage(p -> p.text().contains("job_approve") && p.text().contains("\"" + job.id() + "\"")
                    && p.text().contains("<@U0CAROL>"));
            slack.send(ev, slack.signForm(slack.interactive(slack.blockAction(CAROL, card.channel(), card.message(), false,
                    ActionIds.APPROVE, job.id(), api.responseUrl()))));
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (other.calls("approve " + job.id() + " by " + CAROL).isEmpty() && System.nanoTime() < end) Thread.sleep(20);
            assertThat(other.calls("approve " + job.id() + " by " + CAROL)).hasSize(1);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // after the others, so it sees every call they caused
    void everyApiCallCarriesTheBotToken() {
        List<SlackApiServer.Call> web = api.allCalls().stream().filter(c -> !c.method().equals("response_url")).toList();
        assertThat(web).isNotEmpty().allMatch(c -> BOT_TOKEN.equals(c.token()));
        // Every method the bot actually called is declared with its scope, so the manifests cover it.
        assertThat(SlackScopes.METHOD_SCOPES.keySet()).containsAll(web.stream().map(SlackApiServer.Call::method).toList());
    }
}
