package org.pgstaging.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face for mode = http: one path, {@code /slack/events}, for slash commands, interactivity and
 * events (what Bolt's servlet adapters do, on the JDK's server since bolt-jetty does not exist at
 * 1.47), plus {@code GET /healthz} for Kubernetes probes and {@code GET /metrics} for Prometheus. The body is read as bytes and decoded as
 * UTF-8 explicitly, because Slack signs the UTF-8 bytes.
 */
public final class SlackHttpServer implements AutoCloseable {
    public static final String EVENTS_PATH = "/slack/events";
    public static final String HEALTH_PATH = Probes.HEALTH_PATH;
    public static final String METRICS_PATH = Probes.METRICS_PATH;
    /** Slack payloads are a few KB; a cap keeps a hostile client from filling memory. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(SlackHttpServer.class);

    private final App app;
    private final SlackRequestParser parser;
    private final HttpServer server;
    private final ExecutorService executor;
    private final SlackMetrics metrics;

    SlackHttpServer(App app, InetSocketAddress address, Probes.Checks checks,
                    SlackMetrics metrics, java.util.function.Supplier<String> scrape) throws IOException {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
        this.metrics = metrics;
        this.server = HttpServer.create(address, 64);
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "slack-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(EVENTS_PATH, this::events);
        Probes.serve(server, checks);
        server.createContext(METRICS_PATH, ex -> Probes.metrics(ex, scrape));
    }

    public SlackHttpServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI eventsUri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + EVENTS_PATH);
    }

    private void events(HttpExchange ex) throws IOException {
        long arrived = System.nanoTime();
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().add("Allow", "POST");
                write(ex, 405, "text/plain; charset=utf-8", "POST only\n", Map.of());
                return;
            }
            byte[] body = readCapped(ex.getRequestBody());
            if (body == null) {
                write(ex, 413, "text/plain; charset=utf-8", "request too large\n", Map.of());
                return;
            }
            Response resp = run(ex, new String(body, StandardCharsets.UTF_8));
            String ct = resp.getContentType() == null ? "text/plain; charset=utf-8" : resp.getContentType();
            write(ex, resp.getStatusCode(), ct, resp.getBody() == null ? "" : resp.getBody(), resp.getHeaders());
            metrics.acknowledged(false, System.nanoTime() - arrived);
        }
    }

    private Response run(HttpExchange ex, String body) {
        try {
            Map<String, List<String>> headers = new HashMap<>(ex.getRequestHeaders());
            Request<?> req = parser.parse(SlackRequestParser.HttpRequest.builder()
                    .requestUri(ex.getRequestURI().getRawPath())
                    .queryString(Map.of())
                    .requestBody(body)
                    .headers(new RequestHeaders(headers))
                    .remoteAddress(ex.getRemoteAddress().getAddress().getHostAddress())
                    .build());
            return app.run(req);
        } catch (Exception e) {
            log.error("Failed to handle a request from Slack: {}", e.toString(), e);
            return Response.json(500, "{\"error\":\"internal error\"}");
        }
    }

    private static byte[] readCapped(InputStream in) throws IOException {
        byte[] data = in.readNBytes(MAX_BODY_BYTES + 1);
        return data.length > MAX_BODY_BYTES ? null : data;
    }

    static void write(HttpExchange ex, int status, String contentType, String body,
                              Map<String, List<String>> extra) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (!k.equalsIgnoreCase("content-type") && !k.equalsIgnoreCase("content-length")) {
                    ex.getResponseHeaders().put(k, v);
                }
            });
        }
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
