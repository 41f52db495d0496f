package org.pgstaging.job.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pgstaging.job.model.HeldRequest;

/**
 * The chat requests acknowledged and not answered yet (table {@code held_requests}), each owned by
 * the replica handling it, which shows it is alive with {@link #heartbeat}. A replica that stops
 * heartbeating leaves its requests to whichever replica {@linkplain #takeOver takes them over}; on H2
 * files only one process ever uses the state, so every request another process left is its own at once.
 */
public final class HeldRequests {
    /** The owner of a request given back by {@link #abandon}: no replica has this name. */
    static final String ABANDONED = "(abandoned)";
    private static final int KEY_MAX = 255;
    private static final int TEXT_MAX = 4000;
    private static final int URL_MAX = 2048;
    private static final String COLUMNS = "request_key, command_text, user_id, channel_id, response_url, received_at, takeovers, "
            + "thread_ts";

    private final StoreThread db;
    private final boolean shared;

    HeldRequests(StoreThread db, boolean shared) {
        this.db = db;
        this.shared = shared;
    }

    /**
     * Keeps {@code r} as {@code owner}'s until {@link #release}; false when a request with its key is
     * held already (the same request delivered twice: the first holder answers it).
     */
    public boolean hold(HeldRequest r, Replica owner) {
        check(r.key(), KEY_MAX, "request key");
        check(r.text(), TEXT_MAX, "command text");
        check(r.userId(), KEY_MAX, "user id");
        check(r.channelId(), KEY_MAX, "channel id");
        if (r.responseUrl() != null) check(r.responseUrl(), URL_MAX, "response_url");
        if (r.threadTs() != null) check(r.threadTs(), 64, "thread ts");
        return db.transaction("holding a chat request", c -> Rows.insertOnce(c, "INSERT INTO held_requests (request_key, "
                        + "command_text, user_id, channel_id, response_url, thread_ts, received_at, owner, heartbeat_at, takeovers) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, 0)",
                r.key(), r.text(), r.userId(), r.channelId(), r.responseUrl(), r.threadTs(), r.receivedAt(), owner.name()));
    }

    /** Forgets the request: it was answered (or could not be, and the user was told). */
    public void release(String key) {
        db.transaction("releasing a chat request", c -> Rows.update(c, "DELETE FROM held_requests WHERE request_key = ?", key));
    }

    /**
     * Gives the request back as if its holder had died: the next {@link #takeOver}, by any replica
     * (this one included), takes it with one more takeover, so one that keeps failing ends answered
     * as such rather than held for ever by a live replica.
     */
    public void abandon(String key) {
        db.transaction("abandoning a chat request", c -> Rows.update(c,
                "UPDATE held_requests SET owner = ?, heartbeat_at = ? WHERE request_key = ?", ABANDONED, Instant.EPOCH, key));
    }

    /** Shows that {@code owner} is alive: its requests are not taken over. Returns how many it holds. */
    public int heartbeat(Replica owner) {
        return db.transaction("heartbeat of held chat requests",
                c -> Rows.update(c, "UPDATE held_requests SET heartbeat_at = CURRENT_TIMESTAMP WHERE owner = ?", owner.name()));
    }

    /**
     * Makes {@code owner} the holder of every request whose holder has not shown it was alive for
     * {@code silentFor} (on H2: of every request another process left), and returns them, each
     * with one more takeover. Two replicas taking over at once each get different requests: the rows
     * are read {@code FOR UPDATE SKIP LOCKED}, and taken only while still silent.
     */
    public List<HeldRequest> takeOver(Replica owner, Duration silentFor) {
        return db.transaction("taking over chat requests", c -> {
            Instant cutoff = now(c).minus(shared ? silentFor : Duration.ZERO);
            List<String> keys = new ArrayList<>();
            try (PreparedStatement ps = Rows.prepare(c, "SELECT request_key FROM held_requests WHERE owner <> ? AND heartbeat_at <= ? "
                    + "ORDER BY received_at FOR UPDATE SKIP LOCKED", owner.name(), cutoff); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) keys.add(rs.getString(1));
            }
            List<HeldRequest> taken = new ArrayList<>();
            for (String key : keys) {
                int n = Rows.update(c, "UPDATE held_requests SET owner = ?, heartbeat_at = CURRENT_TIMESTAMP, takeovers = takeovers + 1 "
                        + "WHERE request_key = ? AND owner <> ? AND heartbeat_at <= ?", owner.name(), key, owner.name(), cutoff);
                if (n == 1) find(c, key).ifPresent(taken::add);
            }
            return taken;
        });
    }

    /** Every request held, oldest first (for tests and tools). */
    public List<HeldRequest> all() {
        return db.transaction("listing held chat requests", c -> {
            List<HeldRequest> out = new ArrayList<>();
            try (PreparedStatement ps = Rows.prepare(c, "SELECT " + COLUMNS + " FROM held_requests ORDER BY received_at");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        });
    }

    private static java.util.Optional<HeldRequest> find(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = Rows.prepare(c, "SELECT " + COLUMNS + " FROM held_requests WHERE request_key = ?", key);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? java.util.Optional.of(read(rs)) : java.util.Optional.empty();
        }
    }

    private static HeldRequest read(ResultSet rs) throws SQLException {
        return new HeldRequest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Rows.instant(rs, 6), rs.getInt(7), rs.getString(8));
    }

    /** The state database's clock, which every replica's heartbeat is written in. */
    private static Instant now(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Rows.instant(rs, 1);
        }
    }

    private static void check(String value, int max, String what) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw new JobStoreException(what + " must be 1 to " + max + " characters, got "
                    + (value == null ? "none" : value.length() + ""), "a chat request is held with its key, text, user and channel");
        }
    }
}
