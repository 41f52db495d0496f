package org.pgstaging.slack;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Response;

/**
 * What Slack answered to one Web API call, read once from the HTTP response: its status, Slack's
 * error code (null when ok) and the Retry-After of a rate limit. Also the one place that says which
 * errors a later try can cure.
 */
record ApiAnswer(int status, String error, Duration retryAfter) {
    /** Whether trying the same call again can succeed, and when. */
    enum Retry {
        /** Slack is rate limiting the method: again after its Retry-After, as often as it takes. */
        RATE_LIMITED,
        /** Slack or the network failed this time: again after a pause, for a while. */
        LATER,
        /** Slack refused the call itself (not_in_channel, invalid_blocks...): the same call fails again. */
        NEVER
    }

    /** Slack's usual pause when a rate-limited answer carries no Retry-After. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** Retry-After is in seconds; more than this is a broken header, not a plan. */
    private static final long MAX_RETRY_AFTER_SECONDS = 3600;
    /** An error answer is a few dozen bytes; a long ok answer (a user list) need not be read whole to see it is ok. */
    private static final long MAX_PEEK = 64 * 1024;
    /** Web API methods are dotted names; anything else (a response_url, a file) is not a method. */
    private static final Pattern METHOD = Pattern.compile("[a-z]+(\\.[A-Za-z]+)+");
    /** Errors Slack documents as its own trouble rather than the request's. */
    private static final List<String> TRANSIENT = List.of("internal_error", "fatal_error", "service_unavailable",
            "request_timeout", "invalid_response");

    /** The Web API method a URL calls ({@code .../api/chat.update}), or null when it calls none. */
    static String method(HttpUrl url) {
        List<String> path = url.pathSegments();
        String last = path.isEmpty() ? "" : path.get(path.size() - 1);
        return METHOD.matcher(last).matches() ? last : null;
    }

    /** Reads the answer without consuming it: the SDK parses the same body after. */
    static ApiAnswer read(Response response) throws IOException {
        int status = response.code();
        String error = error(status, response.peekBody(MAX_PEEK).string());
        return new ApiAnswer(status, error, error == null ? null : retryAfter(response.header("Retry-After")));
    }

    boolean ok() {
        return error == null;
    }

    boolean rateLimited() {
        return retry(status, error) == Retry.RATE_LIMITED;
    }

    /** Retry-After when present, else Slack's usual second. */
    Duration retryAfterOrDefault() {
        return retryAfter == null ? DEFAULT_RETRY_AFTER : retryAfter;
    }

    /**
     * What a failed call with this HTTP status and Slack error may expect from a retry. Both of
     * Slack's rate-limit answers count: HTTP 429 ({@code ratelimited}) and chat.postMessage's
     * {@code rate_limited} ("posted too many messages"), which comes with status 200.
     */
    static Retry retry(int status, String error) {
        if (status == 429 || "ratelimited".equals(error) || "rate_limited".equals(error)) return Retry.RATE_LIMITED;
        if (status >= 500 || (error != null && TRANSIENT.contains(error))) return Retry.LATER;
        return Retry.NEVER;
    }

    /** Retry-After in seconds, as Slack sends it; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null) return null;
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER_SECONDS));
        } catch (NumberFormatException e) {
            return null;
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
}
