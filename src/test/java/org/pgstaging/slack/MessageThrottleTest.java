package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.SlackApiServer;

/** The throttle against a real loopback chat.update, including 429s with Retry-After and server errors. */
class MessageThrottleTest {
    @RegisterExtension
    static final LoopbackSlack slack = new LoopbackSlack();

    /** A poster and a throttle sharing their rate limits, as in the bot. */
    record Edits(SlackPoster poster, MessageThrottle throttle) { }

    static Edits edits(SlackApiServer api, Duration interval) {
        ApiRateLimits limits = new ApiRateLimits(Clock.systemUTC());
        SlackPoster poster = PostQueueTest.poster(api, limits);
        return new Edits(poster, new MessageThrottle(poster::update, interval, slack.scheduler, Clock.systemUTC(), limits, null));
    }

    @Test
    void burstsCollapseToFewEditsEndingWithTheLastState() throws Exception {
        Edits e = edits(slack.api, Duration.ofMillis(500));
        String ts = e.poster().post("C0THROTTLE", null, false, Messages.plain("state 0"));
        for (int i = 1; i <= 50; i++) e.throttle().update("C0THROTTLE", ts, Messages.plain("state " + i));
        slack.api.await("chat.update", c -> ts.equals(c.param("ts")) && "state 50".equals(c.param("text")));
        List<SlackApiServer.Call> edits = slack.api.calls("chat.update").stream().filter(c -> ts.equals(c.param("ts"))).toList();
        assertThat(edits.size()).isBetween(1, 5);
        assertThat(edits.get(edits.size() - 1).param("text")).isEqualTo("state 50");
        for (int i = 1; i < edits.size(); i++) {
            assertThat(edits.get(i).atMillis() - edits.get(i - 1).atMillis()).as("interval between edits").isGreaterThanOrEqualTo(450);
        }
        Gate.await("the throttle to have nothing left to send", Duration.ofSeconds(5), e.throttle()::idle);
    }

    @Test
    void rateLimitIsHonouredAndTheNewestStateIsResent() {
        Edits e = edits(slack.api, Duration.ofMillis(100));
        String ts = e.poster().post("C0LIMITED", null, false, Messages.plain("start"));
        slack.api.rateLimit("chat.update", 2, 1);
        e.throttle().update("C0LIMITED", ts, Messages.plain("first"));
        var limited = slack.api.await("chat.update", c -> ts.equals(c.param("ts")) && "first".equals(c.param("text")));
        e.throttle().update("C0LIMITED", ts, Messages.plain("second"));
        var delivered = slack.api.await("chat.update", c -> ts.equals(c.param("ts")) && "second".equals(c.param("text")));
        assertThat(limited.rateLimited()).isTrue();
        assertThat(delivered.atMillis() - limited.atMillis()).as("waited for Retry-After").isGreaterThanOrEqualTo(2000);
        assertThat(slack.api.message("C0LIMITED", ts).get("text").getAsString()).isEqualTo("second");
    }

    /** Rate limits are waited out however many come in a row: the last state is never given up for them. */
    @Test
    void theLastStateOutlastsRateLimitsInARow() {
        Edits e = edits(slack.api, Duration.ofMillis(100));
        String ts = e.poster().post("C0STUBBORN", null, false, Messages.plain("start"));
        slack.api.rateLimit("chat.update", 1, 6);
        e.throttle().update("C0STUBBORN", ts, Messages.plain("final"));
        slack.api.awaitMessage(p -> p.ts().equals(ts) && p.text().startsWith("final"), Duration.ofSeconds(20));
        List<SlackApiServer.Call> tries = slack.api.calls("chat.update").stream().filter(c -> ts.equals(c.param("ts"))).toList();
        assertThat(tries).hasSize(7);
        assertThat(tries.subList(0, 6)).allMatch(SlackApiServer.Call::rateLimited);
        for (int i = 1; i < tries.size(); i++) {
            assertThat(tries.get(i).atMillis()).as("try %d after the Retry-After of the one before", i)
                    .isGreaterThanOrEqualTo(tries.get(i - 1).atMillis() + tries.get(i - 1).retryAfter() * 1000L);
        }
    }

    @Test
    void aFailedEditIsRetriedWhenNothingNewerCame() {
        Edits e = edits(slack.api, Duration.ofMillis(100));
        String ts = e.poster().post("C0RETRY", null, false, Messages.plain("start"));
        slack.api.rateLimit("chat.update", 1, 1);
        e.throttle().update("C0RETRY", ts, Messages.plain("only"));
        slack.api.awaitMessage(p -> p.ts().equals(ts) && p.text().startsWith("only"), Duration.ofSeconds(10));
        assertThat(slack.api.calls("chat.update").stream().filter(c -> ts.equals(c.param("ts"))).count()).isEqualTo(2);
    }

    /** Slack's own trouble (internal_error, HTTP 200) is tried again after a pause; the edit arrives. */
    @Test
    void serverErrorsAreTriedAgain() {
        Edits e = edits(slack.api, Duration.ofMillis(100));
        String ts = e.poster().post("C0FLAKY", null, false, Messages.plain("start"));
        slack.api.failNext("chat.update", "internal_error", "service_unavailable");
        e.throttle().update("C0FLAKY", ts, Messages.plain("through"));
        slack.api.awaitMessage(p -> p.ts().equals(ts) && p.text().startsWith("through"), Duration.ofSeconds(10));
        List<SlackApiServer.Call> tries = slack.api.calls("chat.update").stream().filter(c -> ts.equals(c.param("ts"))).toList();
        assertThat(tries).hasSize(3);
        assertThat(tries.get(2).atMillis() - tries.get(1).atMillis()).as("the pause doubles: 200-400 ms after the second").isGreaterThanOrEqualTo(200);
    }

    /** An edit Slack refuses (the message is gone) is not tried again. */
    @Test
    void aRefusedEditIsDropped() throws Exception {
        Edits e = edits(slack.api, Duration.ofMillis(50));
        e.throttle().update("C0GONE", "1700000000.999999", Messages.plain("nowhere"));
        slack.api.await("chat.update", c -> "1700000000.999999".equals(c.param("ts")));
        Gate.await("the refused edit to be dropped", Duration.ofSeconds(5), e.throttle()::idle);
        Thread.sleep(300);
        assertThat(slack.api.calls("chat.update").stream().filter(c -> "1700000000.999999".equals(c.param("ts")))).hasSize(1);
    }
}
