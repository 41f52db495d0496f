package org.pgstaging.slack;

import com.slack.api.methods.Methods;
import com.slack.api.methods.MethodsRateLimitTier;
import com.slack.api.methods.MethodsRateLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each Web API method may be called next. A rate-limited answer closes its method for the
 * Retry-After Slack gave (the whole method: a 429 does not say whether a channel's or the
 * workspace's limit was hit). Calls are also paced to the method's tier, as the SDK's table gives it
 * (chat.update 50 a minute, chat.postMessage 60 a minute per channel...), so bursts of edits and
 * posts stay under Slack's limits instead of running into them. Tier 1 methods are left to
 * Retry-After alone: the only one the bot calls is apps.connections.open, and one a minute would
 * keep a dropped socket down for that minute.
 */
final class ApiRateLimits {
    private static final long WINDOW_MILLIS = 60_000;

    private final Clock clock;
    /** Method -> epoch millis before which it must not be called. */
    private final Map<String, Long> closedUntil = new HashMap<>();
    /** Method (chat.postMessage: and channel) -> times of the calls made or booked in the last minute, in order. */
    private final Map<String, List<Long>> calls = new HashMap<>();

    ApiRateLimits(Clock clock) {
        this.clock = clock;
    }

    /** Milliseconds until {@code method} may be called ({@code channel}: where chat.postMessage posts, else null). */
    synchronized long waitMillis(String method, String channel) {
        long now = clock.millis();
        return Math.max(0, Math.max(closedUntil.getOrDefault(method, 0L), paceAt(key(method, channel), method, now)) - now);
    }

    /**
     * Books a call at the earliest time allowed if that is at most {@code maxWaitMillis} away, and
     * returns its wait; a longer wait is returned and nothing booked.
     */
    synchronized long reserve(String method, String channel, long maxWaitMillis) {
        long wait = waitMillis(method, channel);
        if (wait <= maxWaitMillis) {
            List<Long> times = calls.computeIfAbsent(key(method, channel), k -> new ArrayList<>());
            long at = clock.millis() + wait;
            int i = times.size();
            while (i > 0 && times.get(i - 1) > at) i--;
            times.add(i, at);
        }
        return wait;
    }

    /** Slack answered {@code method} with a rate limit: nobody calls it before {@code retryAfter} is over. */
    synchronized void limited(String method, Duration retryAfter) {
        closedUntil.merge(method, clock.millis() + retryAfter.toMillis(), Math::max);
    }

    /** The time from which one more call keeps the method's last minute within its tier. */
    private long paceAt(String key, String method, long now) {
        int perMinute = perMinute(method);
        List<Long> times = calls.get(key);
        if (perMinute <= 0 || times == null) return 0;
        times.removeIf(t -> t <= now - WINDOW_MILLIS);
        if (times.isEmpty()) calls.remove(key);
        if (times.size() < perMinute) return 0;
        return times.get(times.size() - perMinute) + WINDOW_MILLIS;
    }

    /** Calls a minute the method's tier allows; 0: not paced. */
    private static int perMinute(String method) {
        MethodsRateLimitTier tier = MethodsRateLimits.lookupRateLimitTier(method);
        if (tier == null || tier == MethodsRateLimitTier.Tier1) return 0;
        return MethodsRateLimitTier.getAllowedRequestsPerMinute(tier);
    }

    private static String key(String method, String channel) {
        return Methods.CHAT_POST_MESSAGE.equals(method) && channel != null ? method + ":" + channel : method;
    }
}
