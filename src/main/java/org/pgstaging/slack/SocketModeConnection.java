package org.pgstaging.slack;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.methods.Methods;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.queue.SocketModeMessageQueue;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Socket Mode WebSocket up. Bolt's client has a session monitor that pings every 5 s and
 * reconnects, but at a fixed pace, and it stops for good the first time apps.connections.open answers
 * {@code ok:false} (the exception escapes its scheduled task). So that monitor is switched off and
 * this class watches instead: a ping every {@value #CHECK_EVERY_MILLIS} ms and at once when the socket
 * closes or Slack says hello, reconnecting with growing pauses, never before a Retry-After of
 * apps.connections.open. Slack's {@code disconnect} message (refresh_requested, warning...) is still
 * answered by Bolt, which opens the new connection at once; it is logged here. Work already
 * acknowledged does not depend on the socket: it runs on the bot's workers and answers through the
 * Web API or the response_url. Envelopes not acknowledged when the socket went are delivered again by
 * Slack, and {@link DeliveredOnce} keeps them from running twice.
 */
final class SocketModeConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketModeConnection.class);
    static final long CHECK_EVERY_MILLIS = 5_000;
    private static final long TICK_MILLIS = 200;
    /** Time the first connection gets to say hello before it is tried again. */
    private static final long FIRST_HELLO_MILLIS = 10_000;

    private final SocketModeApp socket;
    private final SlackHealth health;
    private final ApiRateLimits limits;
    /** Null: not measured. */
    private final SlackMetrics metrics;
    private final Clock clock;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgstaging-socket-mode-watch");
        t.setDaemon(true);
        return t;
    });
    /** A hello or a close since the last look: look now. */
    private final AtomicBoolean news = new AtomicBoolean();
    private volatile String lastClose;
    private SocketModeClient client;
    // the watch thread's own
    private boolean connected;
    private long lastCheck;
    private int attempts;
    private long nextAttempt;

    SocketModeConnection(SocketModeApp socket, SlackHealth health, ApiRateLimits limits, SlackMetrics metrics, Clock clock) {
        this.socket = socket;
        this.health = health;
        this.limits = limits;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Opens the connection (apps.connections.open must answer: a bad app token fails here) and starts watching it. */
    void start() throws Exception {
        health.socketStarting();
        socket.startAsync();
        client = socket.getClient();
        client.getSessionMonitorExecutor().ifPresent(ExecutorService::shutdownNow);
        client.setSessionMonitorEnabled(false);
        client.setMessageQueue(new Watched(client.getMessageQueue()));
        client.addWebSocketCloseListener((code, reason) -> {
            lastClose = "closed with code " + code + (reason == null || reason.isBlank() ? "" : ": " + reason);
            news.set(true);
        });
        nextAttempt = clock.millis() + FIRST_HELLO_MILLIS;
        news.set(true); // the first hello may have come before the watch
        watch.scheduleWithFixedDelay(this::look, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops watching, then closes the socket. */
    @Override
    public void close() {
        watch.shutdownNow();
        try {
            watch.awaitTermination(5, TimeUnit.SECONDS);
            socket.close();
            if (client != null) client.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Closing Socket Mode: {}", e.toString());
        }
    }

    private void look() {
        try {
            long now = clock.millis();
            boolean due = news.getAndSet(false) || (connected ? now - lastCheck >= CHECK_EVERY_MILLIS : now >= nextAttempt);
            if (!due) return;
            lastCheck = now;
            if (client.verifyConnection()) {
                if (!connected) {
                    connected = true;
                    attempts = 0;
                    health.socketConnected();
                }
            } else if (connected) {
                connected = false;
                health.socketDisconnected(lastClose == null ? "no answer to a ping" : lastClose);
                // a connection Bolt is opening (Slack asked to refresh) has a moment to say hello first
                nextAttempt = now + backoff.millis(1);
            } else if (now >= nextAttempt) {
                reconnect();
            }
        } catch (RuntimeException e) {
            log.warn("Socket Mode watch: {}", e.toString(), e); // and on: this watch must not die as Bolt's does
        }
    }

    private void reconnect() {
        attempts++;
        if (metrics != null) metrics.reconnecting();
        String failure = null;
        try {
            client.connectToNewEndpoint();
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage();
        }
        long pause = Math.max(backoff.millis(attempts), limits.waitMillis(Methods.APPS_CONNECTIONS_OPEN, null));
        nextAttempt = clock.millis() + pause;
        String state = "reconnection attempt " + attempts + (failure == null ? " connecting" : " failed: " + failure)
                + String.format(java.util.Locale.ROOT, ", next in %.1f s", pause / 1000.0);
        health.socketDisconnected(state);
        if (failure == null) log.info("Socket Mode {}", state); else log.warn("Socket Mode {}", state);
    }

    /** What Slack sends that Bolt does not pass on: hello, and the reason of a disconnect. */
    private void heard(String message) {
        if (!message.contains("\"hello\"") && !message.contains("\"disconnect\"")) return;
        JsonObject o;
        try {
            JsonElement json = JsonParser.parseString(message);
            if (!json.isJsonObject()) return;
            o = json.getAsJsonObject();
        } catch (JsonParseException e) {
            return;
        }
        String type = o.has("type") && o.get("type").isJsonPrimitive() ? o.get("type").getAsString() : "";
        if (type.equals("hello")) {
            news.set(true);
        } else if (type.equals("disconnect")) {
            String reason = o.has("reason") && o.get("reason").isJsonPrimitive() ? o.get("reason").getAsString() : "none given";
            if (reason.equals("link_disabled")) {
                log.warn("Slack turned Socket Mode off for this app (disconnect: link_disabled): turn it on again in the app's"
                        + " settings; the bot keeps trying to reconnect");
            } else {
                log.info("Slack asks for a new Socket Mode connection (disconnect: {}); opening one", reason);
            }
        }
    }

    /** Bolt's message queue, with every message from Slack seen on its way in. */
    private final class Watched implements SocketModeMessageQueue {
        private final SocketModeMessageQueue queue;

        Watched(SocketModeMessageQueue queue) {
            this.queue = queue;
        }

        @Override
        public void add(String message) {
            try {
                heard(message);
            } finally {
                queue.add(message);
            }
        }

        @Override
        public String poll() {
            return queue.poll();
        }
    }
}
