package org.pgstaging.job.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The keys of the chat requests already handled (table {@code slack_requests}): {@link #first} is
 * true once per key, however many processes on the same state ask at the same time, because the
 * table's primary key decides, not this process. Keys older than {@link #KEEP} are pruned now and
 * then: Slack retries within minutes.
 */
public final class Deliveries {
    /** How long a key is remembered. */
    static final Duration KEEP = Duration.ofDays(1);
    /** How often pruning runs, at most. */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final int KEY_MAX = 255;

    private final StoreThread db;
    private final Clock clock;
    /** Null until the first prune of this process. */
    private volatile Instant lastPruned;

    Deliveries(StoreThread db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** True the first time {@code key} is seen on this state, false for every later delivery of it. */
    public boolean first(String key) {
        if (key == null || key.isBlank() || key.length() > KEY_MAX) {
            throw new JobStoreException("request key must be 1 to " + KEY_MAX + " characters, got "
                    + (key == null ? "none" : key.length() + ""), "build it from the request's event_id or trigger_id");
        }
        Instant now = clock.instant();
        pruneNowAndThen(now);
        return db.transaction("recording a Slack request",
                c -> Rows.insertOnce(c, "INSERT INTO slack_requests (request_key, first_seen) VALUES (?, ?)", key, now));
    }

    /** Forgets the keys first seen before {@code cutoff}; returns how many. */
    public int forgetBefore(Instant cutoff) {
        return db.transaction("pruning old Slack requests",
                c -> Rows.update(c, "DELETE FROM slack_requests WHERE first_seen < ?", cutoff));
    }

    private void pruneNowAndThen(Instant now) {
        if (lastPruned != null && Duration.between(lastPruned, now).compareTo(PRUNE_EVERY) < 0) return;
        lastPruned = now;
        forgetBefore(now.minus(KEEP));
    }
}
