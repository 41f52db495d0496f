package org.pgstaging.job.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
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
    /** SQLSTATE of a unique violation, on H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

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
        return db.transaction("recording a Slack request", c -> insertOnce(c, key, now));
    }

    /**
     * INSERT under a savepoint: on PostgreSQL a unique violation aborts the whole transaction, so it is
     * rolled back to the savepoint and the transaction commits nothing. A concurrent insert of the same
     * key waits for the other transaction and then violates the key: exactly one wins.
     */
    private static boolean insertOnce(Connection c, String key, Instant now) throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            Rows.update(c, "INSERT INTO slack_requests (request_key, first_seen) VALUES (?, ?)", key, now);
            return true;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
            c.rollback(before);
            return false;
        }
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
