package org.pgstaging.slack;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.pgstaging.metrics.Metrics;

/**
 * The GET answers every server of the bot gives: {@code /healthz} (liveness), {@code /readyz}
 * (readiness) and {@code /metrics} for Prometheus.
 */
final class Probes {
    static final String HEALTH_PATH = "/healthz";
    static final String READY_PATH = "/readyz";
    static final String METRICS_PATH = "/metrics";

    private Probes() {}

    /**
     * What the probes ask the bot.
     *
     * @param alive   /healthz: the bot runs (not starting, not stopping)
     * @param missing /readyz: what keeps it from serving a request now, or null
     * @param links   the lines saying how each link to Slack is, after either answer
     */
    record Checks(BooleanSupplier alive, Supplier<String> missing, Supplier<String> links) {
    }

    /** Adds /healthz and /readyz to {@code server}. */
    static void serve(com.sun.net.httpserver.HttpServer server, Checks checks) {
        server.createContext(HEALTH_PATH, ex -> health(ex, checks.alive(), checks.links()));
        server.createContext(READY_PATH, ex -> ready(ex, checks.missing(), checks.links()));
    }

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

    /**
     * 200 "ready" while the bot can serve a request end to end: it runs, its job state answers, and
     * Slack is within reach (the Web API answered its last call, the Socket Mode connection is up);
     * else 503 saying what is missing. Readiness only takes a replica out of the Service (or shows
     * it in Kubernetes): unlike /healthz it may fail while Slack or the state database is down.
     */
    static void ready(HttpExchange ex, Supplier<String> missing, Supplier<String> links) throws IOException {
        try (ex) {
            String why = missing.get();
            SlackHttpServer.write(ex, why == null ? 200 : 503, "text/plain; charset=utf-8",
                    (why == null ? "ready\n" : "not ready: " + why + "\n") + links.get(), Map.of());
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
