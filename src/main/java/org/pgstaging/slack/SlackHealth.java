package org.pgstaging.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the bot is in touch with Slack, for /healthz, the log and the metrics: the Web API by the
 * outcome of its last call (an error or a rate limit is still an answer: Slack is reachable; an HTTP
 * 5xx or no answer is not), the
 * Socket Mode connection by what {@link SocketModeConnection} sees. Each change is logged once,
 * saying how long the previous state lasted.
 */
final class SlackHealth {
    private static final Logger log = LoggerFactory.getLogger(SlackHealth.class);

    /** One link to Slack: up or down since when, and the latest word on it. */
    private static final class Link {
        final String name;
        final String upWord;
        final String downWord;
        Boolean up; // null: nothing known yet
        Instant since;
        String detail;

        Link(String name, String upWord, String downWord) {
            this.name = name;
            this.upWord = upWord;
            this.downWord = downWord;
        }

        String line() {
            if (up == null) return name + ": " + (detail == null ? "no answer yet" : detail);
            return name + ": " + (up ? upWord : downWord) + " since " + since.truncatedTo(ChronoUnit.SECONDS)
                    + (detail == null ? "" : " (" + detail + ")");
        }
    }

    private final Clock clock;
    private final Link api = new Link("slack web api", "reachable", "unreachable");
    private final Link socket = new Link("slack socket mode", "connected", "disconnected");
    private volatile boolean socketMode;

    SlackHealth(Clock clock) {
        this.clock = clock;
    }

    /** Slack answered {@code method}: reachable, unless the answer is a server error (Slack itself is failing). */
    void answered(String method, ApiAnswer answer) {
        change(api, answer.status() < 500, "last call " + method + ": " + (answer.ok() ? "ok" : answer.error()));
    }

    /** {@code method} got no answer: the network or Slack is down. */
    void unreachable(String method, Exception e) {
        change(api, false, method + ": " + e);
    }

    /** The bot runs in Socket Mode: /healthz says how its connection is. */
    void socketStarting() {
        socketMode = true;
        synchronized (socket) {
            socket.detail = "connecting";
        }
    }

    void socketConnected() {
        change(socket, true, null);
    }

    void socketDisconnected(String why) {
        change(socket, false, why);
    }

    /** 1 up, 0 down, NaN not known yet: the gauge of {@link SlackMetrics}. */
    double apiUp() {
        return value(api);
    }

    double socketUp() {
        return value(socket);
    }

    boolean socketMode() {
        return socketMode;
    }

    /** What keeps the bot from Slack now, or null: the Web API's last call got no answer, or the socket is down. */
    String outOfReach() {
        synchronized (api) {
            if (Boolean.FALSE.equals(api.up)) return "the Slack Web API is unreachable";
        }
        if (socketMode) {
            synchronized (socket) {
                if (!Boolean.TRUE.equals(socket.up)) return "the Socket Mode connection is not up";
            }
        }
        return null;
    }

    /** The lines /healthz shows after its status. */
    String report() {
        String lines;
        synchronized (api) {
            lines = api.line() + "\n";
        }
        if (socketMode) {
            synchronized (socket) {
                lines += socket.line() + "\n";
            }
        }
        return lines;
    }

    private void change(Link link, boolean up, String detail) {
        Instant now = clock.instant();
        Boolean was;
        Instant before;
        synchronized (link) {
            was = link.up;
            before = link.since;
            link.detail = detail;
            if (was != null && was == up) return;
            link.up = up;
            link.since = now;
        }
        String lasted = before == null ? "" : Human.duration(Duration.between(before, now));
        if (up && was == null) {
            log.info("{} {}", link.name, link.upWord);
        } else if (up) { // the end of what was logged as a warning: said as loudly
            log.warn("{} {} again after {} {}", link.name, link.upWord, lasted, link.downWord);
        } else {
            log.warn("{} {}{}{}", link.name, link.downWord, detail == null ? "" : " (" + detail + ")",
                    before == null ? "" : "; " + link.upWord + " for " + lasted + " before");
        }
    }

    private static double value(Link link) {
        synchronized (link) {
            return link.up == null ? Double.NaN : link.up ? 1 : 0;
        }
    }
}
