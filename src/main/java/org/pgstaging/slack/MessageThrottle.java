package org.pgstaging.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.methods.Methods;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits edits of each message to one per interval while always delivering the newest state:
 * progress arrives many times a second but chat.update is Tier 3 (about 50 a minute per workspace).
 * Intermediate states are dropped, the last one is never lost to a rate limit: while
 * {@link ApiRateLimits} holds chat.update back (a 429's Retry-After, the tier's pace) every message
 * waits, then gets its newest state. Network and server errors are retried with growing pauses for
 * {@link Backoff#GIVE_UP_AFTER}; an edit Slack refuses (message_not_found...) is dropped.
 */
public final class MessageThrottle {
    /** Sends one edit; throws {@link SlackCallFailed} when Slack does not take it. */
    @FunctionalInterface
    public interface Sender {
        void send(String channel, String ts, Rendered message);
    }

    private static final Logger log = LoggerFactory.getLogger(MessageThrottle.class);
    private static final String METHOD = Methods.CHAT_UPDATE;

    private final Sender sender;
    private final long intervalMillis;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final ApiRateLimits limits;
    /** Null: not measured. */
    private final SlackMetrics metrics;
    /** Slots outlive their last send long enough to keep the interval; then they go. */
    private final Cache<String, Slot> slots = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).build();

    MessageThrottle(Sender sender, Duration interval, ScheduledExecutorService scheduler, Clock clock, ApiRateLimits limits,
                    SlackMetrics metrics) {
        this.metrics = metrics;
        this.sender = sender;
        this.intervalMillis = interval.toMillis();
        this.backoff = new Backoff(interval.multipliedBy(2), Duration.ofMinutes(1));
        this.scheduler = scheduler;
        this.clock = clock;
        this.limits = limits;
    }

    private static final class Slot {
        final String channel;
        final String ts;
        Rendered pending;
        /** The log context of whoever asked for the newest edit: a job's, so its sending logs as the job. */
        Map<String, String> context;
        boolean scheduled;
        boolean sending;
        long nextAllowed;
        /** Network or server errors in a row, and since when: retried for a while, then given up. */
        int failures;
        long failingSince;

        Slot(String channel, String ts) {
            this.channel = channel;
            this.ts = ts;
        }

        boolean busy() {
            return pending != null || scheduled || sending;
        }
    }

    /** Replaces whatever was waiting for this message; sends now if the interval allows, else later. */
    public void update(String channel, String ts, Rendered message) {
        Slot slot = slots.get(channel + ":" + ts, k -> new Slot(channel, ts));
        synchronized (slot) {
            slot.pending = message;
            slot.context = org.slf4j.MDC.getCopyOfContextMap();
            scheduleIfIdle(slot);
        }
    }

    /** Whether every edit asked for has been sent (or given up): what a stopping bot waits for. */
    boolean idle() {
        for (Slot slot : slots.asMap().values()) {
            synchronized (slot) {
                if (slot.busy()) return false;
            }
        }
        return true;
    }

    private void scheduleIfIdle(Slot slot) {
        if (slot.scheduled || slot.sending || slot.pending == null) return;
        slot.scheduled = true;
        scheduler.schedule(LogContextExecutor.carrying(slot.context, () -> drain(slot)), waitMillis(slot), TimeUnit.MILLISECONDS);
    }

    private long waitMillis(Slot slot) {
        return Math.max(slot.nextAllowed - clock.millis(), limits.waitMillis(METHOD, null));
    }

    private void drain(Slot slot) {
        Rendered message;
        synchronized (slot) {
            slot.scheduled = false;
            if (waitMillis(slot) > 0) { // a rate limit came after this one was scheduled
                scheduleIfIdle(slot);
                return;
            }
            message = slot.pending;
            slot.pending = null;
            if (message == null) return;
            slot.sending = true;
        }
        long pause = intervalMillis;
        boolean resend = false;
        try {
            sender.send(slot.channel, slot.ts, message);
            synchronized (slot) {
                slot.failures = 0;
            }
        } catch (SlackCallFailed e) {
            switch (e.retry()) {
                case RATE_LIMITED -> {
                    resend = true;
                    long held = Math.max(intervalMillis, limits.waitMillis(METHOD, null));
                    log.info("chat.update rate limited; editing again in {} ms", held);
                    if (metrics != null) metrics.heldBack(METHOD, Duration.ofMillis(held));
                }
                case LATER -> {
                    synchronized (slot) {
                        if (slot.failures++ == 0) slot.failingSince = clock.millis();
                        resend = clock.millis() - slot.failingSince < Backoff.GIVE_UP_AFTER.toMillis();
                        pause = backoff.millis(slot.failures);
                    }
                    log.warn("Could not edit message {} in {} ({}); {}", slot.ts, slot.channel, e.getMessage(),
                            resend ? "trying again in " + pause + " ms" : "giving up after " + Human.duration(Backoff.GIVE_UP_AFTER));
                }
                case NEVER -> log.warn("Could not edit message {} in {}: {}", slot.ts, slot.channel, e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("Could not edit message {}: {}", slot.ts, e.toString());
        } finally {
            synchronized (slot) {
                slot.sending = false;
                slot.nextAllowed = clock.millis() + pause;
                if (resend && slot.pending == null) {
                    slot.pending = message; // nothing newer came: the failed state is still the newest
                }
                scheduleIfIdle(slot);
            }
        }
    }
}
