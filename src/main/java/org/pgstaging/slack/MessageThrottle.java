package org.pgstaging.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.methods.SlackApiException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits edits of each message to one per interval while always delivering the newest state:
 * progress arrives many times a second but chat.update is Tier 3 (about 50 a minute per workspace).
 * Intermediate states are dropped, the last one is never lost. A 429 holds back every message for
 * the Retry-After the server asked for (the limit is per method, not per message) and resends the
 * newest state afterwards.
 */
public final class MessageThrottle {
    /** Sends one edit; throws what the Slack client throws. */
    @FunctionalInterface
    public interface Sender {
        void send(String channel, String ts, Rendered message) throws IOException, SlackApiException;
    }

    private static final Logger log = LoggerFactory.getLogger(MessageThrottle.class);
    private static final int MAX_ATTEMPTS = 5;

    private final Sender sender;
    private final long intervalMillis;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final AtomicLong blockedUntil = new AtomicLong();
    /** Null: not measured. */
    private final SlackMetrics metrics;
    /** Slots outlive their last send long enough to keep the interval; then they go. */
    private final Cache<String, Slot> slots = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).build();

    public MessageThrottle(Sender sender, Duration interval, ScheduledExecutorService scheduler, Clock clock) {
        this(sender, interval, scheduler, clock, null);
    }

    MessageThrottle(Sender sender, Duration interval, ScheduledExecutorService scheduler, Clock clock, SlackMetrics metrics) {
        this.metrics = metrics;
        this.sender = sender;
        this.intervalMillis = interval.toMillis();
        this.scheduler = scheduler;
        this.clock = clock;
    }

    private static final class Slot {
        final String channel;
        final String ts;
        Rendered pending;
        /** The log context of whoever asked for the newest edit: a job's, so its sending logs as the job. */
        java.util.Map<String, String> context;
        boolean scheduled;
        boolean sending;
        long nextAllowed;
        int attempts;

        Slot(String channel, String ts) {
            this.channel = channel;
            this.ts = ts;
        }
    }

    /** Replaces whatever was waiting for this message; sends now if the interval allows, else later. */
    public void update(String channel, String ts, Rendered message) {
        Slot slot = slots.get(channel + ":" + ts, k -> new Slot(channel, ts));
        synchronized (slot) {
            slot.pending = message;
            slot.context = org.slf4j.MDC.getCopyOfContextMap();
            slot.attempts = 0;
            scheduleIfIdle(slot);
        }
    }

    private void scheduleIfIdle(Slot slot) {
        if (slot.scheduled || slot.sending || slot.pending == null) return;
        slot.scheduled = true;
        long at = Math.max(slot.nextAllowed, blockedUntil.get());
        long delay = Math.max(0, at - clock.millis());
        scheduler.schedule(LogContextExecutor.carrying(slot.context, () -> drain(slot)), delay, TimeUnit.MILLISECONDS);
    }

    private void drain(Slot slot) {
        Rendered message;
        synchronized (slot) {
            slot.scheduled = false;
            long wait = Math.max(slot.nextAllowed, blockedUntil.get()) - clock.millis();
            if (wait > 0) { // a 429 on another message arrived after this one was scheduled
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
        } catch (SlackApiException e) {
            if (e.getResponse() != null && e.getResponse().code() == 429) {
                pause = Math.max(intervalMillis, retryAfterMillis(e));
                blockedUntil.accumulateAndGet(clock.millis() + pause, Math::max);
                resend = true;
                log.info("chat.update rate limited; waiting {} ms before editing again", pause);
                if (metrics != null) metrics.heldBack("chat.update", Duration.ofMillis(pause));
            } else {
                log.warn("Could not edit message {} in {}: {}", slot.ts, slot.channel,
                        e.getError() != null ? e.getError().getError() : e.getResponse() == null ? e.toString() : "HTTP " + e.getResponse().code());
            }
        } catch (IOException e) {
            pause = intervalMillis * 2;
            resend = true;
            log.warn("Could not reach Slack to edit message {}: {}", slot.ts, e.toString());
        } catch (RuntimeException e) {
            log.warn("Could not edit message {}: {}", slot.ts, e.toString());
        } finally {
            synchronized (slot) {
                slot.sending = false;
                slot.nextAllowed = clock.millis() + pause;
                if (resend && slot.pending == null && ++slot.attempts < MAX_ATTEMPTS) {
                    slot.pending = message; // nothing newer came: the failed state is still the newest
                }
                scheduleIfIdle(slot);
            }
        }
    }

    private static long retryAfterMillis(SlackApiException e) {
        String h = e.getResponse().header("Retry-After");
        try {
            return h == null ? 1000 : Math.min(300, Long.parseLong(h.trim())) * 1000;
        } catch (NumberFormatException nfe) {
            return 1000;
        }
    }
}
