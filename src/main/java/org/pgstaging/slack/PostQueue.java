package org.pgstaging.slack;

import com.slack.api.methods.Methods;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Posts messages channel by channel in the order they were given, each tried until Slack takes it:
 * a rate limit is waited out (never calling before its Retry-After is over, however long it lasts),
 * a network or server error is tried again with growing pauses for {@link Backoff#GIVE_UP_AFTER}, a
 * refusal (not_in_channel, invalid_blocks...) is logged and the next message goes. Whoever posts gets
 * a future of the new message's ts and never waits for Slack unless it asks to: a job's messages are
 * posted this way, so a restore is never held up by Slack and its last message is not lost to a
 * rate limit. One message at a time per channel keeps a thread in order (the details before the
 * completion notice) and matches chat.postMessage's limit, which is per channel.
 */
final class PostQueue {
    private static final Logger log = LoggerFactory.getLogger(PostQueue.class);
    private static final String METHOD = Methods.CHAT_POST_MESSAGE;

    /** A message on its way. */
    private record Post(String channel, String threadTs, boolean broadcast, Rendered message, Map<String, String> context,
                        CompletableFuture<String> ts) { }

    /** The messages waiting for one channel, the first being sent or waiting for its next try. */
    private static final class Lane {
        final Deque<Post> posts = new ArrayDeque<>();
        int failures;
        long failingSince;
    }

    private final SlackPoster poster;
    private final ApiRateLimits limits;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    /** Null: not measured. */
    private final SlackMetrics metrics;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    /** Channels with messages waiting; guarded by itself. */
    private final Map<String, Lane> lanes = new HashMap<>();

    PostQueue(SlackPoster poster, ApiRateLimits limits, ScheduledExecutorService scheduler, Clock clock, SlackMetrics metrics) {
        this.poster = poster;
        this.limits = limits;
        this.scheduler = scheduler;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Queues a message for {@code channel} (in the thread of {@code threadTs} when set); the future
     * completes with its ts once posted, or with the {@link SlackCallFailed} that made it give up.
     * Cancelling the future takes the message back if it has not been sent yet.
     */
    CompletableFuture<String> post(String channel, String threadTs, boolean broadcast, Rendered message) {
        Post post = new Post(channel, threadTs, broadcast, message, MDC.getCopyOfContextMap(), new CompletableFuture<>());
        synchronized (lanes) {
            Lane lane = lanes.get(channel);
            if (lane != null) {
                lane.posts.addLast(post); // the lane's own turn comes to it
                return post.ts();
            }
            lane = new Lane();
            lane.posts.addLast(post);
            lanes.put(channel, lane);
        }
        schedule(channel, limits.waitMillis(METHOD, channel));
        return post.ts();
    }

    /** Whether every message given has been posted or given up: what a stopping bot waits for. */
    boolean idle() {
        synchronized (lanes) {
            return lanes.isEmpty();
        }
    }

    private void schedule(String channel, long delayMillis) {
        try {
            scheduler.schedule(() -> send(channel), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            giveUpAll(channel, "the bot stopped");
        }
    }

    /** Sends the first message of the channel's lane, then schedules the lane's next turn. */
    private void send(String channel) {
        Post post;
        synchronized (lanes) {
            Lane lane = lanes.get(channel);
            if (lane == null) return;
            while (!lane.posts.isEmpty() && lane.posts.peekFirst().ts().isCancelled()) lane.posts.removeFirst();
            if (lane.posts.isEmpty()) {
                lanes.remove(channel);
                return;
            }
            post = lane.posts.peekFirst();
        }
        long wait = limits.waitMillis(METHOD, channel);
        if (wait > 0) { // another call hit the limit since this turn was scheduled
            schedule(channel, wait);
            return;
        }
        long next = LogContextExecutor.within(post.context(), () -> attempt(channel, post));
        schedule(channel, next);
    }

    /** One try at the lane's first message; returns when the lane may go on. */
    private long attempt(String channel, Post post) {
        try {
            String ts = poster.post(post.channel(), post.threadTs(), post.broadcast(), post.message());
            done(channel);
            post.ts().complete(ts);
            return limits.waitMillis(METHOD, channel);
        } catch (SlackCallFailed e) {
            return failed(channel, post, e);
        } catch (RuntimeException e) {
            log.warn("Could not post to {}: {}", channel, e.toString());
            done(channel);
            post.ts().completeExceptionally(e);
            return 0;
        }
    }

    private long failed(String channel, Post post, SlackCallFailed e) {
        switch (e.retry()) {
            case RATE_LIMITED -> {
                long held = Math.max(limits.waitMillis(METHOD, channel), ApiAnswer.DEFAULT_RETRY_AFTER.toMillis());
                log.info("chat.postMessage rate limited; posting to {} again in {} ms", channel, held);
                if (metrics != null) metrics.heldBack(METHOD, Duration.ofMillis(held));
                return held;
            }
            case LATER -> {
                long pause;
                boolean again;
                synchronized (lanes) {
                    Lane lane = lanes.get(channel);
                    if (lane.failures++ == 0) lane.failingSince = clock.millis();
                    pause = backoff.millis(lane.failures);
                    again = clock.millis() - lane.failingSince < Backoff.GIVE_UP_AFTER.toMillis();
                }
                if (again) {
                    log.warn("Could not post to {} ({}); trying again in {} ms", channel, e.getMessage(), pause);
                    return pause;
                }
                log.warn("Could not post to {} ({}); giving up after {}", channel, e.getMessage(), Human.duration(Backoff.GIVE_UP_AFTER));
            }
            case NEVER -> log.warn("Could not post to {}: {}{}", channel, e.getMessage(), e.hint() == null ? "" : " (" + e.hint() + ")");
        }
        done(channel);
        post.ts().completeExceptionally(e);
        return 0;
    }

    /** The lane's first message is through (posted or given up): the next one is first. */
    private void done(String channel) {
        synchronized (lanes) {
            Lane lane = lanes.get(channel);
            lane.posts.removeFirst();
            lane.failures = 0;
        }
    }

    private void giveUpAll(String channel, String why) {
        Deque<Post> left;
        synchronized (lanes) {
            Lane lane = lanes.remove(channel);
            left = lane == null ? new ArrayDeque<>() : lane.posts;
        }
        if (!left.isEmpty()) log.warn("{} messages to {} not posted: {}", left.size(), channel, why);
        left.forEach(p -> p.ts().completeExceptionally(new SlackCallFailed(METHOD, ApiAnswer.Retry.NEVER,
                "not posted: " + why, null, null)));
    }
}
