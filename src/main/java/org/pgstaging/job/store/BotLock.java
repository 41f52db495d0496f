package org.pgstaging.job.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One bot per state database on PostgreSQL, as H2's file lock gives one bot per state_dir: a
 * session-level advisory lock held by the bot's store connection. It ends with that session
 * (a crash, a network cut), so a bot that died never blocks the next one; the store takes it again
 * whenever it replaces its connection. Two bots picking jobs from one queue is the next step of
 * multi-replica, not this one: until then the second is refused.
 */
final class BotLock {
    /** The advisory lock key, in the state database: "pgstagin" in ASCII, unlikely to be anyone else's. */
    static final long KEY = 0x7067_7374_6167_696EL;

    private BotLock() {
    }

    /** Takes the lock for the session of {@code c}, or closes {@code c} and says who holds it. */
    static void take(Connection c, StateLocation where) {
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) return;
                }
            }
            String holder = holder(c);
            closeQuietly(c);
            throw new JobStoreException("another bot holds the " + where + holder
                    + "; a second bot on the same state database cannot run jobs yet (multi-replica is coming)",
                    "stop the other bot first, or give this one another state_url");
        } catch (SQLException e) {
            closeQuietly(c);
            throw new JobStoreException("cannot lock the " + where + " for this bot: " + where.mask(e.getMessage()),
                    where.troubleHint(), e);
        }
    }

    /** " (session 123 from 10.0.0.5)" when PostgreSQL lets this user see the holder, else "". */
    private static String holder(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT l.pid, host(a.client_addr) FROM pg_locks l "
                + "LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = ?")) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return "";
                String from = rs.getString(2);
                return " (session " + rs.getInt(1) + (from == null ? "" : " from " + from) + ")";
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the refusal is what matters
        }
    }
}
