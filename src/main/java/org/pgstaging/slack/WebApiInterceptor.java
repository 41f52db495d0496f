package org.pgstaging.slack;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import okhttp3.FormBody;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The Slack client's HTTP hook, seeing every Web API call the bot makes (Bolt's own included): a call
 * to a method that is rate limited waits for it when the wait is short, and is answered 429 here,
 * without reaching Slack, when it is not (whoever called retries later, as after Slack's own 429).
 * Each answer then goes to the {@link ApiRateLimits}, the {@link SlackMetrics} and the
 * {@link SlackHealth}. The SDK's response listeners would not do: they are not told of a non-200
 * answer, which it throws first.
 */
final class WebApiInterceptor implements Interceptor {
    /** Longer than this, a caller is better off told "rate limited" than kept waiting (a handler's 3 s, a worker). */
    static final long MAX_WAIT_MILLIS = 2_000;
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final ApiRateLimits limits;
    /** Null: not measured. */
    private final SlackMetrics metrics;
    /** Null: nobody asks (a client of its own, as the job policy's). */
    private final SlackHealth health;

    WebApiInterceptor(ApiRateLimits limits, SlackMetrics metrics, SlackHealth health) {
        this.limits = limits;
        this.metrics = metrics;
        this.health = health;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String method = ApiAnswer.method(request.url());
        if (method == null) return chain.proceed(request);
        long wait = limits.reserve(method, channel(request), MAX_WAIT_MILLIS);
        if (wait > MAX_WAIT_MILLIS) return heldBack(request, wait);
        if (wait > 0) {
            pause(wait);
            if (metrics != null) metrics.heldBack(method, Duration.ofMillis(wait));
        }
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            if (health != null) health.unreachable(method, e);
            throw e;
        }
        ApiAnswer answer;
        try {
            answer = ApiAnswer.read(response);
        } catch (IOException | RuntimeException e) {
            return response; // reading it for ourselves must never cost the caller its answer
        }
        if (health != null) health.answered(method, answer);
        if (answer.rateLimited()) limits.limited(method, answer.retryAfterOrDefault());
        if (metrics != null && !answer.ok()) metrics.apiError(method, answer);
        return response;
    }

    /** The answer Slack would give, with the seconds left to wait, so the SDK throws its usual 429. */
    private static Response heldBack(Request request, long waitMillis) {
        return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(429).message("Too Many Requests")
                .header("Retry-After", Long.toString((waitMillis + 999) / 1000))
                .body(ResponseBody.create("{\"ok\":false,\"error\":\"ratelimited\"}", JSON))
                .build();
    }

    /** The channel of a chat.postMessage (its per-channel pace); null for other calls. */
    private static String channel(Request request) {
        if (request.body() instanceof FormBody form) {
            for (int i = 0; i < form.size(); i++) {
                if (form.name(i).equals("channel")) return form.value(i);
            }
        }
        return null;
    }

    private static void pause(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting out a Slack rate limit");
        }
    }
}
