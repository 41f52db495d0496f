package org.pgstaging.slack;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.pgstaging.metrics.Metrics;

/** The two GET answers every server of the bot gives: {@code /healthz} for probes, {@code /metrics} for Prometheus. */
final class Probes {
    static final String HEALTH_PATH = "/healthz";
    static final String METRICS_PATH = "/metrics";

    private Probes() {}

    /**
     * 200 "ok" while the bot runs, 503 while it starts or stops; then a line per link to Slack (Web
     * API, Socket Mode) saying whether it is up and since when. A link down does not fail the probe:
     * restarting the bot does not bring Slack back, and would cut short the restore under way.
     */
    static void health(HttpExchange ex, BooleanSupplier healthy, Supplier<String> links) throws IOException {
        try (ex) {
            boolean ok = healthy.getAsBoolean();
            SlackHttpServer.write(ex, ok ? 200 : 503, "text/plain; charset=utf-8", (ok ? "ok\n" : "starting\n") + links.get(), Map.of());
        }
    }

    static void metrics(HttpExchange ex, Supplier<String> scrape) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().add("Allow", "GET");
                SlackHttpServer.write(ex, 405, "text/plain; charset=utf-8", "GET only\n", Map.of());
                return;
            }
            SlackHttpServer.write(ex, 200, Metrics.CONTENT_TYPE, scrape.get(), Map.of());
        }
    }
}
