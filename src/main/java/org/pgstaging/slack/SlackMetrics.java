package org.pgstaging.slack;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the Slack face measures: how fast requests are acknowledged (Slack gives up after 3 s), the
 * Web API's error answers and its rate limits, and how long edits were held back by them.
 */
final class SlackMetrics {
    private static final Duration[] ACK_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1000, 2000, 3000, 5000);
    private static final Duration[] WAIT_BUCKETS = millis(1000, 2000, 5000, 10000, 30000, 60000, 120000, 300000);
    /** Web API methods are dotted names; anything else (a response_url, a file) must not become a label. */
    /** An error answer is a few dozen bytes; a long ok answer (a user list) need not be read whole to see it is ok. */
    private static final long MAX_PEEK = 64 * 1024;
    private static final Pattern METHOD = Pattern.compile("[a-z]+(\\.[A-Za-z]+)+");

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

    /** Chat edits held back after a 429, for the Retry-After Slack asked. */
    void heldBack(String method, Duration wait) {
        Timer.builder("pgstaging.slack.rate.limit.wait").description("Time Web API calls were held back after a rate limit")
                .tag("method", method).serviceLevelObjectives(WAIT_BUCKETS).register(registry).record(wait);
    }

    /**
     * Sees every Web API answer on the HTTP client itself: counts those that are not ok, and the 429s
     * among them. (The SDK's response listeners are not told of a non-200 answer: it throws first.)
     */
    Interceptor apiAnswers() {
        return chain -> {
            Response response = chain.proceed(chain.request());
            try {
                seen(response);
            } catch (IOException | RuntimeException e) {
                // counting must never cost the call its answer
            }
            return response;
        };
    }

    private void seen(Response response) throws IOException {
        List<String> path = response.request().url().pathSegments();
        String method = path.isEmpty() ? "" : path.get(path.size() - 1);
        if (!METHOD.matcher(method).matches()) return;
        int status = response.code();
        String error = error(status, response.peekBody(MAX_PEEK).string());
        if (error == null) return;
        Counter.builder("pgstaging.slack.api.errors").description("Web API answers that were not ok, by method and error")
                .tag("method", method).tag("error", error).register(registry).increment();
        if (status == 429) {
            Counter.builder("pgstaging.slack.api.rate.limited").description("Web API calls answered 429 (rate limited)")
                    .tag("method", method).register(registry).increment();
        }
    }

    /** Slack's error code of an answer, or null when it is ok. */
    private static String error(int status, String body) {
        String code = null;
        try {
            JsonElement json = body == null || body.isBlank() ? null : JsonParser.parseString(body);
            if (json != null && json.isJsonObject()) {
                JsonObject o = json.getAsJsonObject();
                boolean ok = o.has("ok") && o.get("ok").isJsonPrimitive() && o.get("ok").getAsBoolean();
                if (ok && status == 200) return null;
                if (o.has("error") && o.get("error").isJsonPrimitive()) code = o.get("error").getAsString();
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            // not JSON: the status says it
        }
        if (code != null && code.matches("[a-z_]{1,64}")) return code;
        return status == 200 ? "invalid_response" : status == 429 ? "ratelimited" : "http_" + status;
    }

    private static Duration[] millis(long... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) d[i] = Duration.ofMillis(values[i]);
        return d;
    }
}
