package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.testkit.SlackApiServer;

/** The throttle against a real loopback chat.update, including a 429 with Retry-After. */
class MessageThrottleTest {
    static SlackApiServer api;
    static SlackPoster poster;
    static ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @BeforeAll
    static void start() {
        api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, "xapp-unused");
        SlackSettings s = new SlackSettings(java.util.Map.of("bot_token", SlackHttpBotTest.BOT_TOKEN, "mode", "http",
                "signing_secret", SlackHttpBotTest.SECRET, "approvers", "U0CAROL", "api_url", api.apiUrl()), java.util.Map.of());
        poster = new SlackPoster(SlackAppFactory.slack(s).methods(s.botToken()));
    }

    @AfterAll
    static void stop() {
        scheduler.shutdownNow();
        api.close();
    }

    @Test
    void burstsCollapseToFewEditsEndingWithTheLastState() {
        String ts = poster.post("C0THROTTLE", null, false, Messages.plain("state 0"));
        MessageThrottle throttle = new MessageThrottle(poster::update, Duration.ofMillis(500), scheduler, Clock.systemUTC());
        for (int i = 1; i <= 50; i++) throttle.update("C0THROTTLE", ts, Messages.plain("state " + i));
        api.await("chat.update", c -> ts.equals(c.param("ts")) && "state 50".equals(c.param("text")));
        List<SlackApiServer.Call> edits = api.calls("chat.update").stream().filter(c -> ts.equals(c.param("ts"))).toList();
        assertThat(edits.size()).isBetween(1, 5);
        assertThat(edits.get(edits.size() - 1).param("text")).isEqualTo("state 50");
        for (int i = 1; i < edits.size(); i++) {
            assertThat(edits.get(i).atMillis() - edits.get(i - 1).atMillis()).as("interval between edits").isGreaterThanOrEqualTo(450);
        }
    }

    @Test
    void rateLimitIsHonouredAndTheNewestStateIsResent() {
        String ts = poster.post("C0LIMITED", null, false, Messages.plain("start"));
        api.rateLimit("chat.update", 2, 1);
        MessageThrottle throttle = new MessageThrottle(poster::update, Duration.ofMillis(100), scheduler, Clock.systemUTC());
        throttle.update("C0LIMITED", ts, Messages.plain("first"));
        var limited = api.await("chat.update", c -> ts.equals(c.param("ts")) && "first".equals(c.param("text")));
        throttle.update("C0LIMITED", ts, Messages.plain("second"));
        var delivered = api.await("chat.update", c -> ts.equals(c.param("ts")) && "second".equals(c.param("text")));
        assertThat(delivered.atMillis() - limited.atMillis()).as("waited for Retry-After").isGreaterThanOrEqualTo(1900);
        assertThat(api.message("C0LIMITED", ts).get("text").getAsString()).isEqualTo("second");
    }

    @Test
    void aFailedEditIsRetriedWhenNothingNewerCame() {
        String ts = poster.post("C0RETRY", null, false, Messages.plain("start"));
        api.rateLimit("chat.update", 1, 1);
        MessageThrottle throttle = new MessageThrottle(poster::update, Duration.ofMillis(100), scheduler, Clock.systemUTC());
        throttle.update("C0RETRY", ts, Messages.plain("only"));
        api.await("chat.update", c -> ts.equals(c.param("ts")) && "only".equals(c.param("text")));
        long attempts = 0;
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end && !"only".equals(api.message("C0RETRY", ts).get("text").getAsString())) {
            Thread.onSpinWait();
        }
        attempts = api.calls("chat.update").stream().filter(c -> ts.equals(c.param("ts"))).count();
        assertThat(api.message("C0RETRY", ts).get("text").getAsString()).isEqualTo("only");
        assertThat(attempts).isEqualTo(2);
    }
}
