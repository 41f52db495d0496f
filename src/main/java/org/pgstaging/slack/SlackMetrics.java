package org.pgstaging.slack;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What the Slack face measures: how fast requests are acknowledged (Slack gives up after 3 s), the
 * Web API's error answers and its rate limits, how long calls were held back by them, and whether
 * Slack is within reach.
 */
final class SlackMetrics {
    private static final Duration[] ACK_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1000, 2000, 3000, 5000);
    private static final Duration[] WAIT_BUCKETS = millis(1000, 2000, 5000, 10000, 30000, 60000, 120000, 300000);

    private final MeterRegistry registry;
    private final Timer httpAcks;
    private final Timer socketAcks;

    SlackMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.httpAcks = ackTimer("http");
        this.socketAcks = ackTimer("socket");
    }

    private Timer ackTimer(String mode) {
        return Timer.builder("pgstaging.slack.ack").description("From a request's arrival to its acknowledgement")
                .tag("mode", mode).serviceLevelObjectives(ACK_BUCKETS).register(registry);
    }

    void acknowledged(boolean socketMode, long nanos) {
        (socketMode ? socketAcks : httpAcks).record(Duration.ofNanos(nanos));
    }

    /** A Web API call (or a message's edits or posts) held back by a rate limit: a Retry-After, or the method's pace. */
    void heldBack(String method, Duration wait) {
        Timer.builder("pgstaging.slack.rate.limit.wait").description("Time Web API calls were held back by a rate limit")
                .tag("method", method).serviceLevelObjectives(WAIT_BUCKETS).register(registry).record(wait);
    }

    /** A Web API answer that was not ok ({@link WebApiInterceptor} reads them all). */
    void apiError(String method, ApiAnswer answer) {
        Counter.builder("pgstaging.slack.api.errors").description("Web API answers that were not ok, by method and error")
                .tag("method", method).tag("error", answer.error()).register(registry).increment();
        if (answer.status() == 429) {
            Counter.builder("pgstaging.slack.api.rate.limited").description("Web API calls answered 429 (rate limited)")
                    .tag("method", method).register(registry).increment();
        }
    }

    /** Whether the Web API is within reach, read when scraped: 1 yes, 0 no, NaN not known yet. */
    void health(SlackHealth health) {
        connected("web_api", health, SlackHealth::apiUp);
    }

    /** The same for the Socket Mode connection, for bots in that mode. */
    void socketHealth(SlackHealth health) {
        connected("socket_mode", health, SlackHealth::socketUp);
    }

    private void connected(String link, SlackHealth health, java.util.function.ToDoubleFunction<SlackHealth> value) {
        Gauge.builder("pgstaging.slack.connected", health, value)
                .description("1 while Slack is within reach (web_api: the last call got an answer; socket_mode: the WebSocket is up)")
                .tag("link", link).register(registry);
    }

    /** An attempt to open a new Socket Mode connection after the last one was lost. */
    void reconnecting() {
        Counter.builder("pgstaging.slack.socket.reconnects").description("Attempts to reopen the Socket Mode connection after it was lost")
                .register(registry).increment();
    }

    private static Duration[] millis(long... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) d[i] = Duration.ofMillis(values[i]);
        return d;
    }
}
