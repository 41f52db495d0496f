package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.JobSubmission;
import org.pgstaging.job.JobView;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;

/**
 * The App Home tab through the real Bolt app: app_home_opened events as Slack sends them (signed
 * event_callback), views.publish on the loopback Web API, refreshed as jobs move, and only for
 * people who opened it.
 */
class SlackAppHomeTest {
    static final String ALICE = SlackHttpBotTest.ALICE;
    static final String BOB = SlackHttpBotTest.BOB;
    static final String CAROL = SlackHttpBotTest.CAROL;
    static final Duration WAIT = Duration.ofSeconds(20);

    static SlackApiServer api;
    static RecordingBackend backend;
    static SlackBot bot;
    static URI events;
    static SlackRequests slack;

    @BeforeAll
    static void start() throws Exception {
        api = SlackHttpBotTest.loopbackSlack();
        SlackSettings s = new SlackSettings(SlackHttpBotTest.settings(api.apiUrl(), org.pgstaging.testkit.TempDirs.create("pgstaging-slack-home"), false),
                Map.of());
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

    static void opens(String user, String tab) throws Exception {
        JsonObject event = slack.appHomeOpened(user, api.home(user));
        event.addProperty("tab", tab);
        HttpResponse<String> r = slack.send(events, slack.signJson(slack.eventCallback(event).toString()));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    static List<SlackApiServer.Call> publishes(String user) {
        return api.calls("views.publish").stream().filter(c -> user.equals(c.param("user_id"))).toList();
    }

    static JobView submitted(String user) {
        JobView job = backend.submit(new JobSubmission(JobKind.RESTORE, RecordingBackend.SECTION, DateSpec.parse("2026-11-24"), user, "C0STAGING"));
        backend.publish(job);
        return job;
    }

    @Test
    void openingTheTabPublishesWhatRunsAndWaitsPerServer() throws Exception {
        opens(ALICE, "home");
        SlackApiServer.Call publish = api.await("views.publish", c -> ALICE.equals(c.param("user_id")), WAIT);
        JsonObject view = JsonParser.parseString(publish.param("view")).getAsJsonObject();
        assertThat(view.get("type").getAsString()).isEqualTo("home");
        assertThat(view.toString())
                // the server, its sections, and the console's restore holding it (the server's lock says so)
                .contains("127.0.0.1:5432").contains("foodb.dev, bardb.dev")
                .contains("`restore foodb.dev 2026-11-24` by alice@stage1 (console)")
                .contains(ActionIds.HOME_REQUEST).contains("Request a restore")
                .contains("Your requests").contains("Latest changes");
        assertThat(api.home(ALICE)).as("Slack holds it as the tab").isNotNull();
    }

    @Test
    void theTabFollowsTheJobsAtMostOncePerIntervalEndingWithTheNewestState() throws Exception {
        opens(CAROL, "home");
        api.await("views.publish", c -> CAROL.equals(c.param("user_id")), WAIT);
        JobView job = submitted(CAROL);
        JsonObject waiting = api.awaitView(v -> v.toString().contains("`" + job.id() + "`") && v.toString().contains("Awaiting approval")
                && CAROL.equals(viewer(v)), WAIT);
        assertThat(waiting.toString()).contains("awaits approval");

        JobView running = new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), CAROL, JobState.RUNNING, 0,
                null, Instant.now().plusSeconds(1800), null, null, job.submittedAt(), null);
        backend.publish(running);
        backend.progress(running, new RestoreEvent.StepStarted(job.database(), Step.DOWNLOAD, null));
        for (int i = 1; i <= 40; i++) {
            backend.progress(running, new RestoreEvent.StepProgress(job.database(), Step.DOWNLOAD, i * 100_000_000L, 4_000_000_000L, "bytes",
                    50_000_000));
        }
        JsonObject last = api.awaitView(v -> CAROL.equals(viewer(v)) && v.toString().contains("3.7 GB of 3.7 GB"), WAIT);
        assertThat(last.toString()).contains(":gear: *Restore foodb.dev (2026-11-24)").contains("downloading");
        List<SlackApiServer.Call> carol = publishes(CAROL);
        for (int i = 1; i < carol.size(); i++) {
            assertThat(carol.get(i).atMillis() - carol.get(i - 1).atMillis()).as("time between two publishes to one viewer")
                    .isGreaterThanOrEqualTo(HomeRefresher.INTERVAL.toMillis() - 100);
        }
    }

    @Test
    void nobodyWhoDidNotOpenTheTabGetsIt() throws Exception {
        opens(BOB, "messages"); // the Messages tab: no Home to show
        opens(ALICE, "home");
        api.await("views.publish", c -> ALICE.equals(c.param("user_id")), WAIT);
        submitted(ALICE);
        api.await("views.publish", c -> ALICE.equals(c.param("user_id")) && c.param("view").contains("Awaiting approval"), WAIT);
        assertThat(publishes(BOB)).isEmpty();
        assertThat(publishes("U0GRACE")).isEmpty();
    }

    /** Whose tab a stored view is. */
    private static String viewer(JsonObject view) {
        for (String user : List.of(ALICE, BOB, CAROL)) {
            JsonObject home = api.home(user);
            if (home != null && home.get("id").equals(view.get("id"))) return user;
        }
        return null;
    }
}
