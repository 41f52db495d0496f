package org.pgstaging.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.job.store.HeldRequests;
import org.pgstaging.job.store.Replica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this replica's acknowledged chat requests alive in the state store (a heartbeat every
 * {@link #HEARTBEAT_EVERY}) and, once a face asks for them, takes over the requests of replicas that
 * stopped heartbeating for {@link #TAKEOVER_AFTER} and hands them to it: a request acknowledged by a
 * replica that died before answering it is answered by another one.
 */
final class HeldRequestKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeldRequestKeeper.class);
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
    /** Longer than a request's answer takes (a listing and a catalog), and than a heartbeat's hiccups. */
    static final Duration TAKEOVER_AFTER = Duration.ofSeconds(30);

    private final HeldRequests store;
    private final Replica replica;
    private volatile Consumer<HeldRequest> onOrphaned;
    /** A stopping replica takes over nothing more, and keeps heartbeating for what it still holds. */
    private volatile boolean stopping;
    private Duration heartbeatEvery = HEARTBEAT_EVERY;
    private Duration takeoverAfter = TAKEOVER_AFTER;
    private ScheduledExecutorService ticks;

    HeldRequestKeeper(HeldRequests store, Replica replica) {
        this.store = store;
        this.replica = replica;
    }

    /** Shorter periods, for tests; before {@link #start()}. */
    void timing(Duration heartbeat, Duration takeover) {
        this.heartbeatEvery = heartbeat;
        this.takeoverAfter = takeover;
    }

    boolean hold(HeldRequest r) {
        return store.hold(r, replica);
    }

    void release(String key) {
        store.release(key);
    }

    /** From now on, requests left by a stopped replica are taken over and given to {@code handler}. */
    void onOrphaned(Consumer<HeldRequest> handler) {
        this.onOrphaned = handler;
    }

    synchronized void start() {
        if (ticks != null) return;
        ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgstaging-held-requests");
            t.setDaemon(true);
            return t;
        });
        // the first round at once: a bot started again answers what it left unanswered without waiting
        ticks.scheduleWithFixedDelay(this::round, 0, heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            store.heartbeat(replica);
            Consumer<HeldRequest> handler = onOrphaned;
            if (handler == null || stopping) return;
            List<HeldRequest> taken = store.takeOver(replica, takeoverAfter);
            for (HeldRequest r : taken) {
                LOG.warn("taking over chat request {} of {} (received {}, takeover {}): the replica that acknowledged it stopped",
                        r.key(), r.userId(), r.receivedAt(), r.takeovers());
                try {
                    handler.accept(r);
                } catch (RuntimeException e) {
                    // held by a live replica, it would never be taken again: given back, it comes round with one more takeover
                    LOG.error("could not hand over chat request {}; it is given back", r.key(), e);
                    store.abandon(r.key());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot keep the held chat requests: {}", e.getMessage());
        }
    }

    /**
     * The start of a shutdown: no more requests taken over, while the heartbeat goes on until
     * {@link #close()}, so that a request this replica is still answering (the face drains them
     * after the jobs have stopped, up to 40 s) is not taken over meanwhile and answered twice.
     */
    void stopTakingOver() {
        stopping = true;
    }

    @Override
    public synchronized void close() {
        if (ticks != null) ticks.shutdownNow();
        ticks = null;
    }
}
