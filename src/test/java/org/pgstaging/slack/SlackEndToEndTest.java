package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.pgstaging.postgres.PostgresServerAddress;
import org.pgstaging.postgres.ServerLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.QueuedJobService;
import org.pgstaging.job.StagingService;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.HistoryAction;
import org.pgstaging.job.store.HistoryEntry;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.testkit.PostgresServer;
import org.pgstaging.testkit.SlackApiServer.Call;
import org.pgstaging.testkit.SlackApiServer.Posted;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;
import org.pgstaging.testkit.StagingSandbox;

/**
 * The Slack bot on real parts: signed requests from "Slack" reach the Bolt app over HTTP, jobs go
 * through {@link QueuedJobService} to the durable queue (H2 in a temporary state_dir) and the engine
 * restores into the test PostgreSQL behind pgbouncer, from dumps served by nginx. Assertions are on
 * what the bot sent to the loopback Slack Web API, on the job store and on PostgreSQL/pgbouncer.
 * Slow steps are held by SQL "gates" (a pre SQL file that waits for a role to exist), so ordering
 * never depends on timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlackEndToEndTest {
    static final String BOT_TOKEN = "xoxb-3333-4444-pgstagingend2end";
    static final String SECRET = "0d7e1c52a9f34b66b8e2c1a4d5f60789";
    static final String CHANNEL = "C0STAGING";
    static final String APPROVALS = "C0APPROVALS";
    static final String ALICE = "U0ALICE";     // requester
    static final String BOB = "U0BOB";         // requester, not an approver
    static final String CAROL = "U0CAROL";     // approver (and so allowed to ask)
    static final LocalDate OLD = LocalDate.of(2026, 11, 20);
    static final Duration LONG = Duration.ofSeconds(60);
    /** What README and pgstaging(1) promise for SIGTERM: the job's 30 s shutdown grace, Slack notices, the store. */
    static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(45);

    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private final String todaySuffix = today.format(DateTimeFormatter.BASIC_ISO_DATE);

    private StagingSandbox sandbox;
    private SlackApiServer api;
    private SlackRequests slack;
    private Path ini;
    private StagingService staging;
    private Path stateDir;
    private JobStore store;
    private QueuedJobService backend;
    private SlackBot bot;
    private URI events;

    @BeforeAll
    void start() throws Exception {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
        for (String db : List.of("slackdb", "slackdb2", "slackdb3", "slackdb4", "slackdb5", "slackdb6", "slackdb7")) {
            sandbox.publishDump(db, today);
        }
        sandbox.publishDump("slackdb", OLD);
        ini = sandbox.writeConfig("slackdb", "auto_switch = False",
                section("slackdb2"), section("slackdb3"), section("slackdb4"), section("slackdb5"), section("slackdb6"),
                section("slackdb7"));
        staging = new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), RestoreListener.NONE);
        api = SlackApiServer.start(BOT_TOKEN, "xapp-1-unused");
        api.user(ALICE, "alice").user(BOB, "bob").user(CAROL, "carol");
        slack = new SlackRequests(SECRET);
        stateDir = org.pgstaging.testkit.TempDirs.create("pgstaging-slack-e2e");
        store = JobStore.open(stateDir);
        SlackSettings slackSettings = new SlackSettings(settings(stateDir, 3000), Map.of());
        backend = new QueuedJobService(staging, store, java.time.Duration.ofMinutes(10), SlackBot.jobPolicy(slackSettings));
        bot = new SlackBot(slackSettings, backend, Clock.systemUTC());
        backend.start();
        events = bot.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventsUri();
    }

    @AfterAll
    void stop() {
        if (bot != null) bot.close();
        if (backend != null) backend.close();
        if (store != null) store.close();
        if (api != null) api.close();
        for (String gate : List.of("slack_e2e_gate1", "slack_e2e_gate3", "slack_e2e_gate6")) {
            sandbox.pg.execute("postgres", "DROP ROLE IF EXISTS " + gate);
        }
        if (sandbox != null) sandbox.close();
    }

    /** Another section on the same server (host and postgres_port come from [DEFAULT]). */
    private String section(String dbname) {
        return "\n[" + dbname + ".dev]\nbackup_base_url = /" + dbname + "/\ndbname = " + dbname
                + "\ndbowner = postgres\nschemas = public, app, billing, Sales Data, données, audit\n"
                + "sql_path = " + sandbox.sqlPath + "\n";
    }

    private Map<String, String> settings(Path state, int port) {
        Map<String, String> m = new HashMap<>();
        m.put("mode", "http");
        m.put("http_port", Integer.toString(port));
        m.put("bot_token", BOT_TOKEN);
        m.put("signing_secret", SECRET);
        m.put("api_url", api.apiUrl());
        m.put("state_dir", state.toString());
        m.put("channels", CHANNEL);
        m.put("requesters", ALICE + ", " + BOB);
        m.put("approvers", CAROL);
        m.put("approval_channel", APPROVALS);
        m.put("self_approval", "False");
        return m;
    }

    // ---- 1. forged requests ---------------------------------------------------------------------

    @Test
    @Order(1)
    void forgedSignatureIsRefusedAndNothingIsStored() throws Exception {
        int before = store.recent(1000).size();
        String body = slack.slashCommand(ALICE, CHANNEL, "/pgstaging", "restore slackdb2.dev", api.responseUrl());
        HttpResponse<String> forged = slack.send(events, new SlackRequests("ffffffffffffffffffffffffffffffff").signForm(body));
        assertThat(forged.statusCode()).isEqualTo(401);
        // a genuine signature over another body, replayed with this one
        SlackRequests.Signed genuine = slack.signForm(slack.slashCommand(ALICE, CHANNEL, "/pgstaging", "help", api.responseUrl()));
        HttpResponse<String> swapped = slack.send(events, new SlackRequests.Signed(body.getBytes(StandardCharsets.UTF_8),
                genuine.contentType(), genuine.headers()));
        assertThat(swapped.statusCode()).isEqualTo(401);
        assertThat(store.recent(1000)).hasSize(before);
        assertThat(api.calls("chat.postMessage")).noneMatch(c -> c.allText().contains("slackdb2.dev"));
    }

    // ---- 2. who may approve --------------------------------------------------------------------

    @Test
    @Order(2)
    void nonApproversAndSelfApprovalAreRefusedAndTheJobKeepsWaiting() throws Exception {
        Requested byAlice = request(ALICE, "restore slackdb2.dev");
        clickAs(BOB, byAlice.card, ActionIds.APPROVE, byAlice.jobId);
        Call refusal = api.await("chat.postEphemeral", c -> BOB.equals(c.param("user")), LONG);
        assertThat(refusal.param("channel")).isEqualTo(APPROVALS);
        assertThat(refusal.allText()).contains("Only approvers");

        Requested byCarol = request(CAROL, "restore slackdb2.dev");
        clickAs(CAROL, byCarol.card, ActionIds.APPROVE, byCarol.jobId);
        Call selfRefusal = api.await("chat.postEphemeral", c -> CAROL.equals(c.param("user")), LONG);
        assertThat(selfRefusal.allText()).contains("your own request");

        // the refusals are answered after the work ran: the store is final by then
        assertThat(store.get(byAlice.id()).state()).isEqualTo(JobState.AWAITING_APPROVAL);
        assertThat(store.get(byCarol.id()).state()).isEqualTo(JobState.AWAITING_APPROVAL);
        assertThat(store.history().forJob(byAlice.id())).extracting(HistoryEntry::action).doesNotContain(HistoryAction.APPROVE);
        assertThat(api.message(APPROVALS, byAlice.card.ts()).toString()).contains(ActionIds.APPROVE);

        backend.cancel(byAlice.jobId, ALICE);
        backend.cancel(byCarol.jobId, CAROL);
    }

    // ---- 3. the whole flow -----------------------------------------------------------------------

    @Test
    @Order(3)
    void restoreApproveQueueProgressCompleteAndSwitch() throws Exception {
        String fresh = "slackdb_" + todaySuffix;
        // an older copy the alias points to, made through the engine directly
        staging.restore("slackdb.dev", DateSpec.parse(OLD.toString()), null);
        // auto_switch = False: the first copy gets no alias by itself
        if (staging.activeCopy("slackdb.dev").isEmpty()) staging.switchTo("slackdb.dev", DateSpec.parse(OLD.toString()));
        assertThat(sandbox.aliasTarget("slackdb")).isEqualTo("slackdb_20261120");
        gate(sandbox.sqlPath.resolve("slackdb.dev/pre"), "slack_e2e_gate1");

        Requested first = request(ALICE, "restore slackdb.dev");
        assertThat(first.request.text()).contains("Restore slackdb.dev").contains("Awaiting approval").contains(fresh);
        assertThat(first.card.text()).contains("Approval needed").contains("slackdb." + today + ".dump").contains("<@" + ALICE + ">");
        clickAs(CAROL, first.card, ActionIds.APPROVE, first.jobId);
        api.await("chat.update", c -> APPROVALS.equals(c.param("channel")) && first.card.ts().equals(c.param("ts"))
                && c.allText().contains("approved") && !c.allText().contains(ActionIds.APPROVE), LONG);
        api.await("chat.update", c -> isEditOf(c, first.request) && c.allText().contains(":gear: Running"), LONG);
        awaitTrue(() -> sandbox.databaseExists(fresh), "the restore to create " + fresh);

        // a restore of another section on the same server waits behind the running one
        Requested second = request(BOB, "restore slackdb2.dev");
        clickAs(CAROL, second.card, ActionIds.APPROVE, second.jobId);
        api.await("chat.update", c -> isEditOf(c, second.request) && c.allText().contains("Queued, position 1"), LONG);
        assertThat(store.get(second.id()).state()).isEqualTo(JobState.QUEUED);
        assertThat(store.get(first.id()).state()).isEqualTo(JobState.RUNNING);
        assertThat(store.get(second.id()).serverKey()).isEqualTo(store.get(first.id()).serverKey());

        openGate("slack_e2e_gate1");
        Call done = api.await("chat.postMessage", c -> first.request.ts().equals(c.param("thread_ts"))
                && c.allText().contains("is ready"), LONG);
        assertThat(done.param("channel")).isEqualTo(CHANNEL);
        assertThat(done.allText()).contains("<@" + ALICE + ">").contains(fresh).contains("Compared with `slackdb_20261120`")
                .contains("Sizes of slackdb.dev").contains("slackdb_20261120");
        assertThat(buttonValue(done.blocks(), ActionIds.SWITCH)).contains("slackdb.dev|" + fresh);
        assertThat(sandbox.aliasTarget("slackdb")).as("auto_switch = False").isEqualTo("slackdb_20261120");
        // edits are throttled (one per message every few seconds): the last one comes, maybe after the completion
        api.await("chat.update", c -> isEditOf(c, first.request) && c.allText().contains(":white_check_mark: Done"), LONG);
        Job firstJob = store.get(first.id());
        assertThat(firstJob.state()).isEqualTo(JobState.DONE);
        assertThat(firstJob.targetDatabase()).isEqualTo(fresh);

        // the thread also gets the details: step timings and the commands run
        api.await("chat.postMessage", c -> first.request.ts().equals(c.param("thread_ts"))
                && c.allText().contains("Details") && c.allText().contains("pg_restore") && c.allText().contains("restoring"), LONG);
        // the queued one ran after the first, and got its own completion
        api.await("chat.postMessage", c -> second.request.ts().equals(c.param("thread_ts")) && c.allText().contains("is ready"), LONG);
        Job secondJob = store.get(second.id());
        assertThat(secondJob.state()).isEqualTo(JobState.DONE);
        assertThat(secondJob.startedAt()).isAfterOrEqualTo(firstJob.finishedAt());

        // Switch, pressed by the requester on the completion message
        Posted completion = api.awaitMessage(p -> p.message().has("thread_ts")
                && p.message().get("thread_ts").getAsString().equals(first.request.ts()) && p.text().contains("is ready"), LONG);
        String responseUrl = api.responseUrl();
        clickAs(ALICE, completion, ActionIds.SWITCH, "slackdb.dev|" + fresh, responseUrl);
        Call replaced = api.await("response_url", c -> responseUrl.endsWith(c.param("path")), LONG);
        assertThat(replaced.json().get("replace_original").getAsBoolean()).isTrue();
        assertThat(replaced.allText()).contains("switched *slackdb* to `" + fresh + "`")
                .contains("Switch back to slackdb_20261120");
        assertThat(buttonValue(replaced.blocks(), ActionIds.SWITCH)).contains("slackdb.dev|slackdb_20261120");
        assertThat(sandbox.aliasTarget("slackdb")).isEqualTo(fresh);
        assertThat(store.history().forSection("slackdb.dev", 10)).anyMatch(h -> h.action() == HistoryAction.SWITCH
                && h.actor().equals(ALICE) && h.detail().contains(fresh));
    }

    // ---- 3b. a confirmation on a busy server ----------------------------------------------------

    /**
     * A switch confirmed while a console holds the server is not refused nor lost: it becomes a
     * queued job (the click is its approval) that runs when the server is free.
     */
    @Test
    @Order(5)
    void aSwitchConfirmedWhileTheServerIsBusyIsQueuedAndRunsInItsTurn() throws Exception {
        String older = "slackdb5_20261120";
        String fresh = "slackdb5_" + todaySuffix;
        staging.createdb("slackdb5.dev", DateSpec.parse(OLD.toString()));
        staging.createdb("slackdb5.dev", DateSpec.parse(today.toString()));
        staging.switchTo("slackdb5.dev", DateSpec.parse(OLD.toString()));
        ServerLock lock = new ServerLock(new PostgresServerAddress("127.0.0.1", sandbox.pg.port(), "postgres"), "postgres");
        ServerLock.Held console = lock.take("restore slackdb4.dev latest", "dba@console1 (console)", true, (h, a) -> { });
        try {
            // the confirmation asked by /pgstaging switch, as the channel shows it
            JsonObject confirmation = new JsonObject();
            confirmation.addProperty("type", "message");
            confirmation.addProperty("ts", "1764500000.000100");
            confirmation.addProperty("text", "Point slackdb5 at " + fresh + "?");
            Posted on = new Posted(CHANNEL, confirmation);
            String responseUrl = api.responseUrl();
            clickAs(ALICE, on, ActionIds.SWITCH, "slackdb5.dev|" + fresh, responseUrl);
            Call answer = api.await("response_url", c -> responseUrl.endsWith(c.param("path")), LONG);
            assertThat(answer.allText()).contains("busy with restore slackdb4.dev latest (dba@console1 (console)")
                    .contains("queued as job");
            Posted request = api.awaitMessage(p -> p.channel().equals(CHANNEL) && p.text().contains("Switch slackdb5.dev"), LONG);
            assertThat(sandbox.aliasTarget("slackdb5")).as("nothing done while the console holds the server").isEqualTo(older);
            Job queued = store.inState(JobState.QUEUED, JobState.RUNNING).stream()
                    .filter(j -> j.section().equals("slackdb5.dev")).findFirst().orElseThrow();
            assertThat(queued.kind()).isEqualTo(org.pgstaging.job.model.JobKind.SWITCH);
            assertThat(queued.approvedBy()).isEqualTo(ALICE);

            console.close();
            awaitTrue(() -> fresh.equals(sandbox.aliasTarget("slackdb5")), "the queued switch to run");
            api.await("chat.postMessage", c -> request.ts().equals(c.param("thread_ts")) && c.allText().contains("is done"), LONG);
            awaitTrue(() -> store.get(queued.id()).state() == JobState.DONE, "the switch job to be done");
            assertThat(store.get(queued.id()).targetDatabase()).isEqualTo(fresh);
        } finally {
            console.close();
        }
    }

    // ---- 4. restart ------------------------------------------------------------------------------

    /**
     * A bot process dies (SIGKILL) with one job running and one queued; a new process on the same
     * state_dir cleans the half-made database, runs the interrupted job again first, then the other.
     */
    @Test
    @Order(4)
    void aJobInterruptedByACrashIsCleanedUpRequeuedOnceAndCompleted() throws Exception {
        String slow = "slackdb3_" + todaySuffix;
        Path gateDir = sandbox.sqlPath.resolve("slackdb3.dev/pre");
        gate(gateDir, "slack_e2e_gate3");
        Path state = org.pgstaging.testkit.TempDirs.create("pgstaging-slack-e2e-restart");
        int port = PostgresServer.freePort();
        Path botIni = sandbox.dir.resolve("bot.ini");
        Files.writeString(botIni, Files.readString(ini, StandardCharsets.UTF_8) + "\n[slack]\n"
                + String.join("\n", settings(state, port).entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList())
                + "\n", StandardCharsets.UTF_8);

        Requested running;
        Requested queued;
        long oid;
        try (BotProcessE2E first = BotProcessE2E.start(botIni, port, sandbox.dir.resolve("bot.log"), LONG)) {
            running = request(first.eventsUri(), ALICE, "restore slackdb3.dev");
            clickAs(first.eventsUri(), CAROL, running.card, ActionIds.APPROVE, running.jobId, api.responseUrl());
            awaitTrue(() -> sessionsIn(slow) > 0, "the pre SQL of " + slow + " to wait at its gate\n" + first.output());
            queued = request(first.eventsUri(), BOB, "restore slackdb4.dev");
            clickAs(first.eventsUri(), CAROL, queued.card, ActionIds.APPROVE, queued.jobId, api.responseUrl());
            api.await("chat.update", c -> isEditOf(c, queued.request) && c.allText().contains("Queued, position 1"), LONG);
            oid = databaseOid(slow);
            // pgbouncer hears of a copy only once it is complete
            assertThat(Files.readString(sandbox.bouncer.configFile())).doesNotContain(slow);
            first.kill();
        }
        // the slow script is gone before the restart, as an operator would fix it; the orphaned psql still waits
        Files.delete(gateDir.resolve("00-gate.sql"));
        assertThat(sessionsIn(slow)).as("psql outlives the killed bot").isPositive();

        try (JobStore store2 = JobStore.open(state);
             QueuedJobService backend2 = new QueuedJobService(staging, store2, java.time.Duration.ofMinutes(10),
                     SlackBot.jobPolicy(new SlackSettings(settings(state, port), Map.of())));
             SlackBot bot2 = new SlackBot(new SlackSettings(settings(state, port), Map.of()), backend2, Clock.systemUTC())) {
            Job before = store2.get(running.id());
            assertThat(before.state()).isEqualTo(JobState.RUNNING);
            assertThat(store2.get(queued.id()).state()).isEqualTo(JobState.QUEUED);
            backend2.start();
            bot2.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            Call notice = api.await("chat.postMessage", c -> running.request.ts().equals(c.param("thread_ts"))
                    && c.allText().contains("interrupted"), LONG);
            assertThat(notice.allText()).contains("dropped database " + slow).contains("queued again");
            api.await("chat.postMessage", c -> running.request.ts().equals(c.param("thread_ts"))
                    && c.allText().contains("is ready"), LONG);
            api.await("chat.postMessage", c -> queued.request.ts().equals(c.param("thread_ts"))
                    && c.allText().contains("is ready"), LONG);

            Job again = store2.get(running.id());
            assertThat(again.state()).isEqualTo(JobState.DONE);
            assertThat(again.attempt()).isEqualTo(1);
            // killed mid-restore: pgbouncer had not been told of the copy yet
            assertThat(again.cleanup()).contains("dropped database " + slow).doesNotContain("pgbouncer");
            assertThat(store2.history().forJob(running.id())).extracting(HistoryEntry::action)
                    .containsSubsequence(HistoryAction.START, HistoryAction.INTERRUPTED, HistoryAction.RETRY,
                            HistoryAction.START, HistoryAction.DONE);
            Job other = store2.get(queued.id());
            assertThat(other.state()).isEqualTo(JobState.DONE);
            assertThat(other.startedAt()).isAfterOrEqualTo(again.finishedAt());
            assertThat(databaseOid(slow)).as("the half-made copy was dropped and made anew").isNotEqualTo(oid);
            assertThat(sessionsIn(slow)).as("the orphaned psql was cut off").isZero();
            api.await("chat.update", c -> isEditOf(c, running.request) && c.allText().contains(":white_check_mark: Done"), LONG);
            assertThat(api.calls("chat.postMessage")).as("no failure notice for a job that runs again")
                    .noneMatch(c -> running.request.ts().equals(c.param("thread_ts")) && c.allText().contains("failed"));
        }
    }

    // ---- 6. the same request delivered twice ------------------------------------------------------

    /**
     * Slack delivers a slash command, a click and an event twice (the event as its retry, with
     * X-Slack-Retry-Num): each is handled once, the repeat acknowledged with an empty 200.
     */
    @Test
    @Order(6)
    void aRequestDeliveredTwiceIsHandledOnce() throws Exception {
        // a slash command, the very same body twice
        String responseUrl = api.responseUrl();
        String command = slack.slashCommand(BOB, CHANNEL, "/pgstaging", "restore slackdb4.dev", responseUrl);
        int jobsBefore = jobsOf("slackdb4.dev", BOB);
        HttpResponse<String> first = slack.send(events, slack.signForm(command));
        HttpResponse<String> again = slack.send(events, slack.signForm(command));
        assertThat(first.body()).contains("working");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).as("a repeat is acknowledged, not answered").isEmpty();
        Call answer = api.await("response_url", c -> responseUrl.endsWith(c.param("path")), LONG);
        String jobId = answer.allText().replaceAll("(?s).*Request `(\\d+)` posted.*", "$1");
        Posted request = api.awaitMessage(p -> p.channel().equals(CHANNEL) && p.text().contains("job `" + jobId + "`")
                && p.text().contains("Restore slackdb4.dev"), LONG);
        Posted card = api.awaitMessage(p -> p.channel().equals(APPROVALS)
                && buttonValue(p.message().getAsJsonArray("blocks"), ActionIds.APPROVE).contains(jobId), LONG);

        // the same click twice: the deny dialog opens once (its trigger_id is good for one views.open)
        String click = slack.interactive(slack.blockAction(CAROL, card.channel(), card.message(), false, ActionIds.DENY,
                jobId, api.responseUrl()));
        String trigger = com.google.gson.JsonParser.parseString(java.net.URLDecoder.decode(click.substring("payload=".length()),
                StandardCharsets.UTF_8)).getAsJsonObject().get("trigger_id").getAsString();
        assertThat(slack.send(events, slack.signForm(click)).statusCode()).isEqualTo(200);
        HttpResponse<String> clickedAgain = slack.send(events, slack.signForm(click));
        assertThat(clickedAgain.statusCode()).isEqualTo(200);
        assertThat(clickedAgain.body()).isEmpty();
        api.await("views.open", c -> trigger.equals(c.param("trigger_id")), LONG);

        // a thread reply as an event, then Slack's retry of it (same event_id)
        JsonObject event = slack.eventCallback(slack.threadMessage(ALICE, CHANNEL, "status", request.ts()));
        SlackRequests.Signed delivered = slack.signJson(event.toString());
        assertThat(slack.send(events, delivered).statusCode()).isEqualTo(200);
        Map<String, String> retryHeaders = new java.util.LinkedHashMap<>(slack.signJson(event.toString()).headers());
        retryHeaders.put("X-Slack-Retry-Num", "1");
        retryHeaders.put("X-Slack-Retry-Reason", "http_timeout");
        HttpResponse<String> retried = slack.send(events, new SlackRequests.Signed(delivered.body(), delivered.contentType(), retryHeaders));
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.body()).isEmpty();
        java.util.function.Predicate<Call> statusAnswer = c -> request.ts().equals(c.param("thread_ts"))
                && c.allText().contains("Awaiting approval");
        api.await("chat.postMessage", statusAnswer, LONG);
        // a later, different reply: once it is answered, a repeat handled by mistake would have been too
        slack.send(events, slack.signJson(slack.eventCallback(slack.threadMessage(ALICE, CHANNEL, "dbsizes", request.ts())).toString()));
        api.await("chat.postMessage", c -> request.ts().equals(c.param("thread_ts")) && c.allText().contains("Database sizes"), LONG);
        Thread.sleep(1000);

        assertThat(jobsOf("slackdb4.dev", BOB)).as("one job for the command delivered twice").isEqualTo(jobsBefore + 1);
        assertThat(api.calls("response_url").stream().filter(c -> responseUrl.endsWith(c.param("path")))).hasSize(1);
        assertThat(api.calls("views.open").stream().filter(c -> trigger.equals(c.param("trigger_id")))).hasSize(1);
        assertThat(api.calls("chat.postMessage").stream().filter(statusAnswer)).as("one status answer").hasSize(1);
        backend.cancel(jobId, BOB);
    }

    private int jobsOf(String section, String requester) {
        return (int) store.recent(1000).stream().filter(j -> j.section().equals(section) && j.requestedBy().equals(requester)).count();
    }

    // ---- 7. SIGTERM --------------------------------------------------------------------------------

    /**
     * {@code kill -TERM} of a bot process mid-restore, one job queued behind: the bot stops taking
     * jobs, the running one drops its half-made database and is handed back at the head of its
     * server, its thread is told, and the process exits 0 within the shutdown bound. The next start
     * runs the handed-back job first, then the other.
     */
    @Test
    @Order(7)
    void sigtermHandsTheRunningJobBackAndExitsZero() throws Exception {
        String slow = "slackdb6_" + todaySuffix;
        Path gateDir = sandbox.sqlPath.resolve("slackdb6.dev/pre");
        gate(gateDir, "slack_e2e_gate6");
        Path state = org.pgstaging.testkit.TempDirs.create("pgstaging-slack-e2e-sigterm");
        int port = PostgresServer.freePort();
        Path botIni = sandbox.dir.resolve("bot-sigterm.ini");
        Files.writeString(botIni, Files.readString(ini, StandardCharsets.UTF_8) + "\n[slack]\n"
                + String.join("\n", settings(state, port).entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList())
                + "\n", StandardCharsets.UTF_8);

        Requested running;
        Requested queued;
        try (BotProcessE2E bot1 = BotProcessE2E.start(botIni, port, sandbox.dir.resolve("bot-sigterm.log"), LONG)) {
            running = request(bot1.eventsUri(), ALICE, "restore slackdb6.dev");
            clickAs(bot1.eventsUri(), CAROL, running.card, ActionIds.APPROVE, running.jobId, api.responseUrl());
            awaitTrue(() -> sessionsIn(slow) > 0, "the pre SQL of " + slow + " to wait at its gate\n" + bot1.output());
            queued = request(bot1.eventsUri(), BOB, "restore slackdb7.dev");
            clickAs(bot1.eventsUri(), CAROL, queued.card, ActionIds.APPROVE, queued.jobId, api.responseUrl());
            api.await("chat.update", c -> isEditOf(c, queued.request) && c.allText().contains("Queued, position 1"), LONG);

            long sent = System.nanoTime();
            bot1.terminate();
            int status = bot1.awaitExit(SHUTDOWN_BOUND);
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assertThat(status).as("exit status after SIGTERM (took " + took + ")\n" + bot1.output()).isZero();
            assertThat(bot1.output()).contains("SIGTERM");
        }
        assertThat(sandbox.databaseExists(slow)).as("the half-made copy was dropped").isFalse();
        Call told = api.await("chat.postMessage", c -> running.request.ts().equals(c.param("thread_ts"))
                && c.allText().contains("interrupted"), LONG);
        assertThat(told.allText()).contains("dropped database " + slow).contains("queued again");

        Files.delete(gateDir.resolve("00-gate.sql"));
        try (JobStore store2 = JobStore.open(state)) {
            Job handedBack = store2.get(running.id());
            assertThat(handedBack.state()).isEqualTo(JobState.QUEUED);
            assertThat(handedBack.attempt()).isEqualTo(1);
            assertThat(handedBack.cleanup()).contains("dropped database " + slow);
            Job other = store2.get(queued.id());
            assertThat(other.state()).isEqualTo(JobState.QUEUED);
            assertThat(other.startedAt()).as("no job started after SIGTERM").isNull();
            assertThat(store2.queued(handedBack.serverKey())).extracting(Job::id)
                    .as("handed back at the head of its server").startsWith(running.id(), queued.id());
        }

        try (JobStore store2 = JobStore.open(state);
             QueuedJobService backend2 = new QueuedJobService(staging, store2, java.time.Duration.ofMinutes(10),
                     SlackBot.jobPolicy(new SlackSettings(settings(state, port), Map.of())));
             SlackBot bot2 = new SlackBot(new SlackSettings(settings(state, port), Map.of()), backend2, Clock.systemUTC())) {
            backend2.start();
            bot2.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            api.await("chat.postMessage", c -> running.request.ts().equals(c.param("thread_ts")) && c.allText().contains("is ready"), LONG);
            api.await("chat.postMessage", c -> queued.request.ts().equals(c.param("thread_ts")) && c.allText().contains("is ready"), LONG);
            Job again = store2.get(running.id());
            assertThat(again.state()).isEqualTo(JobState.DONE);
            assertThat(store2.get(queued.id()).startedAt()).isAfterOrEqualTo(again.finishedAt());
        }
    }

    // ---- 8. the request form and the Home tab ------------------------------------------------------

    /**
     * The form lists the real backups of a section from nginx, shows the plan the engine works out
     * for the one chosen, and its submission goes through the queue as the slash command's does; the
     * requester's Home tab, opened before, follows the job.
     */
    @Test
    @Order(8)
    void theRequestFormAsksThroughTheQueueAndTheHomeTabFollows() throws Exception {
        slack.send(events, slack.signJson(slack.eventCallback(slack.appHomeOpened(ALICE, null)).toString()));
        Call home = api.await("views.publish", c -> ALICE.equals(c.param("user_id")), LONG);
        assertThat(home.param("view")).contains("127.0.0.1:" + sandbox.pg.port()).contains("slackdb.dev, slackdb2.dev");

        RequestFormDriver form = new RequestFormDriver(api, slack, events, LONG);
        JsonObject opened = form.open(ALICE);
        JsonObject chosen = form.chooseSection(ALICE, opened, "slackdb.dev", CHANNEL);
        String dates = RequestForm.dateBlock("slackdb.dev");
        assertThat(RequestFormDriver.optionTexts(chosen, dates)).hasSize(3)
                .allMatch(t -> t.matches("(latest · )?\\d{4}-\\d{2}-\\d{2} · [0-9.]+ [kMG]?B"), "date and size");
        assertThat(RequestFormDriver.optionTexts(chosen, dates).get(0)).startsWith("latest · " + today);
        assertThat(chosen.toString()).contains("slackdb." + today + ".dump").contains("Catalog filter");
        JsonObject older = form.chooseDate(ALICE, chosen, "slackdb.dev", OLD.toString(), CHANNEL, "slackdb." + OLD + ".dump");

        JsonObject answer = form.submit(ALICE, older, "slackdb.dev", OLD.toString(), CHANNEL);
        assertThat(answer.get("response_action").getAsString()).as(answer.toString()).isEqualTo("update");
        String said = answer.getAsJsonObject("view").toString().contains("posted;") ? answer.toString()
                : form.updated(older, v -> v.contains("posted;")).toString();
        String jobId = said.replaceAll("(?s).*Request `(\\d+)` posted.*", "$1");
        Job job = store.get(Long.parseLong(jobId));
        assertThat(job.state()).isEqualTo(JobState.AWAITING_APPROVAL);
        assertThat(job.requestedBy()).isEqualTo(ALICE);
        assertThat(job.section()).isEqualTo("slackdb.dev");
        assertThat(job.dateSpec()).isEqualTo(OLD.toString());
        api.awaitMessage(p -> p.channel().equals(CHANNEL) && p.text().contains("job `" + jobId + "`"), LONG);
        Posted card = api.awaitMessage(p -> p.channel().equals(APPROVALS)
                && buttonValue(p.message().getAsJsonArray("blocks"), ActionIds.APPROVE).contains(jobId), LONG);
        assertThat(card.text()).contains("slackdb." + OLD + ".dump").contains("Catalog filter");

        api.await("views.publish", c -> ALICE.equals(c.param("user_id")) && c.param("view").contains("`" + jobId + "`")
                && c.param("view").contains("Awaiting approval"), LONG);
        backend.cancel(jobId, ALICE);
        api.await("views.publish", c -> ALICE.equals(c.param("user_id")) && c.param("view").contains("`" + jobId + "`")
                && c.param("view").contains("Cancelled"), LONG);
    }

    // ---- 9. a bot killed between the ack and the answer ---------------------------------------------

    /**
     * A slash command acknowledged ("working…") by a bot that is killed while it reads the backup
     * listing (a backup server that accepts and never answers) is not lost: the next bot on the same
     * state answers it through its response_url, posts its request message and card, and makes one
     * job. Requests answered normally (every test before this one) are forgotten.
     */
    @Test
    @Order(9)
    void aRequestAcknowledgedByABotKilledBeforeItsAnswerIsAnsweredByTheNextBot() throws Exception {
        awaitTrue(() -> store.heldRequests().all().isEmpty(), "the requests answered so far to be forgotten: "
                + store.heldRequests().all());
        sandbox.publishDump("slackdb8", today);
        java.util.List<java.net.Socket> stuck = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch listing = new java.util.concurrent.CountDownLatch(1);
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accepter = new Thread(() -> {
                try {
                    while (true) {
                        stuck.add(silent.accept());
                        listing.countDown();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            accepter.setDaemon(true);
            accepter.start();
            Path state = org.pgstaging.testkit.TempDirs.create("pgstaging-slack-e2e-held");
            int port = PostgresServer.freePort();
            String slack8 = "\n[slackdb8.dev]\nbackup_base_url = /slackdb8/\ndbname = slackdb8\ndbowner = postgres\n";
            String slackSection = "\n[slack]\n" + String.join("\n", settings(state, port).entrySet().stream()
                    .map(e -> e.getKey() + " = " + e.getValue()).toList()) + "\n";
            Path hangingIni = sandbox.dir.resolve("bot-hanging.ini");
            Files.writeString(hangingIni, Files.readString(ini, StandardCharsets.UTF_8) + slack8
                    + "backup_host = 127.0.0.1:" + silent.getLocalPort() + "\n" + slackSection, StandardCharsets.UTF_8);
            Path fixedIni = sandbox.dir.resolve("bot-fixed.ini");
            Files.writeString(fixedIni, Files.readString(ini, StandardCharsets.UTF_8) + slack8 + slackSection, StandardCharsets.UTF_8);

            String responseUrl = api.responseUrl();
            try (BotProcessE2E first = BotProcessE2E.start(hangingIni, port, sandbox.dir.resolve("bot-held.log"), LONG)) {
                HttpResponse<String> ack = slack.send(first.eventsUri(), slack.signForm(slack.slashCommand(ALICE, CHANNEL, "/pgstaging",
                        "restore slackdb8.dev", responseUrl)));
                assertThat(ack.body()).contains("working");
                assertThat(listing.await(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                        .as("the bot to ask the silent backup server for its listing\n" + first.output()).isTrue();
                first.kill();
            }
            assertThat(api.calls("response_url").stream().filter(c -> responseUrl.endsWith(c.param("path")))).as("no answer yet").isEmpty();

            try (JobStore store2 = JobStore.open(state)) {
                assertThat(store2.heldRequests().all()).singleElement().satisfies(held -> {
                    assertThat(held.text()).isEqualTo("restore slackdb8.dev");
                    assertThat(held.userId()).isEqualTo(ALICE);
                    assertThat(held.channelId()).isEqualTo(CHANNEL);
                    assertThat(held.responseUrl()).isEqualTo(responseUrl);
                });
                assertThat(store2.recent(10)).as("killed before the job was made").isEmpty();
                StagingService staging2 = new StagingService(ConfigLoader.load(fixedIni), EngineOptions.defaults(), RestoreListener.NONE);
                SlackSettings settings2 = new SlackSettings(settings(state, port), Map.of());
                try (QueuedJobService backend2 = new QueuedJobService(staging2, store2, Duration.ofMinutes(10), SlackBot.jobPolicy(settings2));
                     SlackBot bot2 = new SlackBot(settings2, backend2, Clock.systemUTC())) {
                    backend2.start();
                    bot2.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    Call answer = api.await("response_url", c -> responseUrl.endsWith(c.param("path")), LONG);
                    assertThat(answer.allText()).contains("posted");
                    String jobId = answer.allText().replaceAll("(?s).*Request `(\\d+)` posted.*", "$1");
                    api.awaitMessage(p -> p.channel().equals(CHANNEL) && p.text().contains("job `" + jobId + "`")
                            && p.text().contains("Restore slackdb8.dev") && p.text().contains("requested by <@" + ALICE + ">"), LONG);
                    api.awaitMessage(p -> p.channel().equals(APPROVALS)
                            && buttonValue(p.message().getAsJsonArray("blocks"), ActionIds.APPROVE).contains(jobId), LONG);
                    awaitTrue(() -> store2.heldRequests().all().isEmpty(), "the answered request to be forgotten");
                    assertThat(store2.recent(10)).singleElement().satisfies(job -> {
                        assertThat(job.section()).isEqualTo("slackdb8.dev");
                        assertThat(job.requestedBy()).isEqualTo(ALICE);
                        assertThat(job.state()).isEqualTo(JobState.AWAITING_APPROVAL);
                    });
                    Thread.sleep(1000);
                    assertThat(api.calls("response_url").stream().filter(c -> responseUrl.endsWith(c.param("path")))).hasSize(1);
                    backend2.cancel(jobId, ALICE);
                }
            }
        } finally {
            for (java.net.Socket s : stuck) s.close();
        }
    }

    // ---- Slack side helpers ------------------------------------------------------------------------

    /** A request as the bot announced it: the job, its request message and its approval card. */
    record Requested(String jobId, Posted request, Posted card) {
        long id() {
            return Long.parseLong(jobId);
        }
    }

    private Requested request(String user, String text) throws Exception {
        return request(events, user, text);
    }

    private Requested request(URI to, String user, String text) throws Exception {
        String responseUrl = api.responseUrl();
        HttpResponse<String> ack = slack.send(to, slack.signForm(slack.slashCommand(user, CHANNEL, "/pgstaging", text, responseUrl)));
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("working");
        Call answer = api.await("response_url", c -> responseUrl.endsWith(c.param("path")), LONG);
        String said = answer.allText();
        assertThat(said).as("answer to " + text).contains("posted");
        String jobId = said.replaceAll("(?s).*Request `(\\d+)` posted.*", "$1");
        // job ids restart at 1 in another state_dir: the section and the requester tell the messages apart
        String section = text.split(" ")[1];
        Posted request = api.awaitMessage(p -> p.channel().equals(CHANNEL) && !p.message().has("thread_ts")
                && p.text().contains("job `" + jobId + "`") && p.text().contains("Restore " + section)
                && p.text().contains("requested by <@" + user + ">"), LONG);
        Posted card = api.awaitMessage(p -> p.channel().equals(APPROVALS) && p.text().contains(section)
                && p.text().contains("Requested by <@" + user + ">")
                && buttonValue(p.message().getAsJsonArray("blocks"), ActionIds.APPROVE).contains(jobId), LONG);
        return new Requested(jobId, request, card);
    }

    private void clickAs(String user, Posted on, String actionId, String value) throws Exception {
        clickAs(events, user, on, actionId, value, api.responseUrl());
    }

    private void clickAs(String user, Posted on, String actionId, String value, String responseUrl) throws Exception {
        clickAs(events, user, on, actionId, value, responseUrl);
    }

    private void clickAs(URI to, String user, Posted on, String actionId, String value, String responseUrl) throws Exception {
        JsonObject payload = slack.blockAction(user, on.channel(), on.message(), false, actionId, value, responseUrl);
        HttpResponse<String> ack = slack.send(to, slack.signForm(slack.interactive(payload)));
        assertThat(ack.statusCode()).as("ack of " + actionId + " by " + user).isEqualTo(200);
    }

    private static boolean isEditOf(Call c, Posted message) {
        return message.channel().equals(c.param("channel")) && message.ts().equals(c.param("ts"));
    }

    /** Values of the buttons with that action_id, in any actions block. */
    private static List<String> buttonValue(JsonArray blocks, String actionId) {
        List<String> values = new java.util.ArrayList<>();
        if (blocks == null) return values;
        for (JsonElement b : blocks) {
            JsonObject block = b.getAsJsonObject();
            if (!"actions".equals(block.get("type").getAsString())) continue;
            for (JsonElement e : block.getAsJsonArray("elements")) {
                JsonObject el = e.getAsJsonObject();
                if (el.has("action_id") && actionId.equals(el.get("action_id").getAsString()) && el.has("value")) {
                    values.add(el.get("value").getAsString());
                }
            }
        }
        return values;
    }

    // ---- PostgreSQL side helpers -----------------------------------------------------------------

    /**
     * A pre SQL file that holds the restore until the role {@code gate} exists (roles are visible from
     * every database), failing after a minute so a broken test cannot hang.
     */
    private static void gate(Path preDir, String gate) throws Exception {
        Files.createDirectories(preDir);
        Files.writeString(preDir.resolve("00-gate.sql"), org.pgstaging.testkit.Gate.sql(gate, 60), StandardCharsets.UTF_8);
        org.pgstaging.testkit.Unprivileged.makeReadable(preDir.getParent().getParent());
    }

    private void openGate(String gate) {
        org.pgstaging.testkit.Gate.open(sandbox.pg, gate);
    }

    private long databaseOid(String name) {
        return queryLong("SELECT coalesce(max(oid::int8), 0) FROM pg_database WHERE datname = '" + name + "'");
    }

    private long sessionsIn(String database) {
        return queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "'");
    }

    private long queryLong(String sql) {
        try (Connection c = sandbox.pg.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        org.pgstaging.testkit.Gate.await(what, LONG, condition);
    }
}
