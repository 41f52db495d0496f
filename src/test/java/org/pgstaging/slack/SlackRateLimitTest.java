package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.job.JobView;
import org.pgstaging.job.model.JobState;
import org.pgstaging.metrics.Metrics;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.PrometheusText;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackApiServer.Posted;
import org.pgstaging.testkit.SlackRequests;

/**
 * A restore through the bot while the Web API rate limits chat.postMessage and chat.update for a
 * while (429 with Retry-After): every message arrives, the last ones included, no call comes before
 * the Retry-After of the 429 before it, a message is edited at most about once a second, and the
 * job's events never wait for Slack.
 */
class SlackRateLimitTest {
    static final Duration LONG = Duration.ofSeconds(30);
    static SlackApiServer api;
    static RecordingBackend backend;
    static SlackBot bot;
    static Metrics metrics;
    static URI events;
    static SlackRequests slack = new SlackRequests(SlackHttpBotTest.SECRET);

    @BeforeAll
    static void start() throws Exception {
        api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, "xapp-1-unused");
        SlackSettings settings = new SlackSettings(SlackHttpBotTest.settings(api.apiUrl(), org.pgstaging.testkit.TempDirs.create("pgstaging-ratelimit"),
                false), Map.of());
        backend = new RecordingBackend(SlackBot.jobPolicy(settings));
        metrics = Metrics.ownOnly();
        bot = new SlackBot(settings, backend, Clock.systemUTC(), metrics);
        events = bot.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventsUri();
    }

    @AfterAll
    static void stop() {
        if (bot != null) bot.close();
        if (metrics != null) metrics.close();
        if (api != null) api.close();
    }

    static String threadTs(Posted p) {
        return p.message().has("thread_ts") ? p.message().get("thread_ts").getAsString() : null;
    }

    @Test
    void everyMessageArrivesThroughRateLimitsAndNoCallComesBeforeItsRetryAfter() throws Exception {
        long from = System.currentTimeMillis();
        // the request's own messages meet the limit: the request waits it out instead of failing
        api.rateLimitFor("chat.postMessage", Duration.ofSeconds(3));
        String url = api.responseUrl();
        assertThat(slack.send(events, slack.signForm(slack.slashCommand(SlackHttpBotTest.ALICE, SlackHttpBotTest.CHANNEL, "/pgstaging",
                "restore foodb.dev 2026-11-24", url))).body()).contains("working");
        assertThat(api.await("response_url", c -> c.param("path").equals(URI.create(url).getPath()), LONG).allText())
                .contains("posted").contains("waits for an approver");
        JobView job;
        synchronized (backend.jobs) {
            job = backend.jobs.values().stream().reduce((a, b) -> b).orElseThrow();
        }
        Posted request = api.awaitMessage(p -> p.text().contains("job `" + job.id() + "`"));
        Posted card = api.awaitMessage(p -> p.text().contains("job_approve") && p.text().contains("\"" + job.id() + "\""));
        assertThat(threadTs(card)).isEqualTo(request.ts());

        // the whole run, while both methods are limited: the job's events are handed over, nothing waits
        api.rateLimitFor("chat.update", Duration.ofSeconds(4));
        api.rateLimitFor("chat.postMessage", Duration.ofSeconds(4));
        JobView.Decision approved = new JobView.Decision(SlackHttpBotTest.CAROL, true, Instant.now(), null);
        JobView running = new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), job.requesterId(), JobState.RUNNING,
                0, null, null, approved, null, job.submittedAt(), null);
        backend.publish(running);
        backend.progress(running, new RestoreEvent.StepStarted(job.database(), Step.DOWNLOAD, null));
        for (int i = 1; i <= 40; i++) {
            backend.progress(running, new RestoreEvent.StepProgress(job.database(), Step.DOWNLOAD, i * 100_000_000L, 4_000_000_000L,
                    "bytes", 50_000_000));
        }
        backend.progress(running, new RestoreEvent.Detail(job.database(), Step.DOWNLOAD, "curl: 4.0 GB in 80 s"));
        backend.progress(running, new RestoreEvent.StepFinished(job.database(), Step.DOWNLOAD, Duration.ofSeconds(80), null));
        backend.publish(new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), job.requesterId(), JobState.DONE,
                0, null, null, approved, null, job.submittedAt(), Instant.now()));
        assertThat(api.calls("chat.postMessage")).as("the job's events came back before Slack took its messages")
                .noneMatch(c -> c.allText().contains("is ready"));

        Posted done = api.awaitMessage(p -> p.ts().equals(request.ts()) && p.text().contains(":white_check_mark: Done"), LONG);
        assertThat(done.text()).doesNotContain("Awaiting").doesNotContain("Running");
        api.awaitMessage(p -> p.ts().equals(card.ts()) && p.text().contains(": approved"), LONG);
        api.awaitMessage(p -> request.ts().equals(threadTs(p)) && p.text().contains("*Details*") && p.text().contains("curl: 4.0 GB"), LONG);
        Posted completion = api.awaitMessage(p -> request.ts().equals(threadTs(p)) && p.text().contains("is ready"), LONG);
        assertThat(completion.text()).contains("<@U0ALICE>").contains("Switch foodb to foodb_20261124");

        List<SlackApiServer.Call> calls = api.allCalls().stream().filter(c -> c.atMillis() >= from).toList();
        assertThat(calls).as("chat.postMessage was answered 429")
                .anyMatch(c -> c.method().equals("chat.postMessage") && c.rateLimited());
        assertThat(calls).as("chat.update was answered 429").anyMatch(c -> c.method().equals("chat.update") && c.rateLimited());
        PostQueueTest.assertRetryAfterHonoured(calls);
        Map<String, List<SlackApiServer.Call>> editsByMessage = calls.stream().filter(c -> c.method().equals("chat.update"))
                .collect(Collectors.groupingBy(c -> c.param("ts")));
        editsByMessage.forEach((ts, edits) -> {
            for (int i = 1; i < edits.size(); i++) {
                assertThat(edits.get(i).atMillis() - edits.get(i - 1).atMillis()).as("edits of %s a second apart at least", ts)
                        .isGreaterThanOrEqualTo(1000);
            }
        });
        long posts = calls.stream().filter(c -> c.method().equals("chat.postMessage") && !c.rateLimited()).count();
        assertThat(posts).as("request, card, details, completion: each posted once").isEqualTo(4);

        PrometheusText scrape = PrometheusText.scrape(events.resolve("/metrics"));
        for (String method : List.of("chat.postMessage", "chat.update")) {
            assertThat(scrape.value("pgstaging_slack_api_rate_limited_total", "method", method)).as(method)
                    .isEqualTo((double) calls.stream().filter(c -> c.method().equals(method) && c.rateLimited()).count());
            assertThat(scrape.value("pgstaging_slack_rate_limit_wait_seconds_count", "method", method)).as(method).isGreaterThanOrEqualTo(1);
        }
    }
}
