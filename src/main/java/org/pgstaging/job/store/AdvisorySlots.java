package org.pgstaging.job.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.pgstaging.job.model.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server slots on the PostgreSQL state: a session-level advisory lock per server, each on a
 * connection of its own, so the lock ends with the session when its replica dies. Keys are the
 * two-integer form (class {@value #CLASS_KEY}, "pgst", and a hash of the server key): a hash
 * collision only makes two servers take turns, never lets two replicas run one server.
 */
final class AdvisorySlots implements ServerSlots {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisorySlots.class);
    static final int CLASS_KEY = 0x70677374;

    private final DataSource connections;
    private final StateLocation where;
    /** One session per server, kept between attempts: a replica retries every few seconds. */
    private final Map<String, Connection> sessions = new HashMap<>();
    private boolean closed;

    AdvisorySlots(DataSource connections, StateLocation where) {
        this.connections = connections;
        this.where = where;
    }

    static int key(String serverKey) {
        return serverKey.hashCode() & 0x7fffffff;
    }

    @Override
    public Optional<Slot> tryTake(String serverKey) {
        Connection c;
        synchronized (this) {
            if (closed) return Optional.empty();
            c = sessions.remove(serverKey);
        }
        try {
            if (c == null || c.isClosed()) c = open();
            boolean taken;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                ps.setInt(1, CLASS_KEY);
                ps.setInt(2, key(serverKey));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    taken = rs.getBoolean(1);
                }
            }
            if (!taken) {
                keep(serverKey, c);
                return Optional.empty();
            }
            return Optional.of(new Held(serverKey, c));
        } catch (SQLException e) {
            closeQuietly(c);
            throw new JobStoreException("cannot take the turn of " + serverKey + " in the " + where + ": "
                    + where.mask(e.getMessage()), where.troubleHint(), e);
        }
    }

    @Override
    public boolean breakStale(String serverKey, Duration silentFor) {
        try (Connection c = open();
             PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(l.pid), l.pid FROM pg_locks l "
                     + "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
                     + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                     + "AND l.classid::bigint = ? AND l.objid::bigint = ? "
                     + "AND EXISTS (SELECT 1 FROM jobs j WHERE j.state = ? AND j.server_key = ? "
                     + "AND (j.heartbeat_at IS NULL OR j.heartbeat_at < CURRENT_TIMESTAMP - make_interval(secs => ?)))")) {
            ps.setLong(1, CLASS_KEY);
            ps.setLong(2, key(serverKey));
            ps.setString(3, JobState.RUNNING.name());
            ps.setString(4, serverKey);
            ps.setDouble(5, silentFor.toMillis() / 1000.0);
            boolean ended = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LOG.warn("the replica running {} has not shown a heartbeat for {}: its state session {} {}", serverKey,
                            silentFor, rs.getInt(2), rs.getBoolean(1) ? "was ended" : "could not be ended");
                    ended |= rs.getBoolean(1);
                }
            }
            return ended;
        } catch (SQLException e) {
            throw new JobStoreException("cannot check the replica running " + serverKey + " in the " + where + ": "
                    + where.mask(e.getMessage()), where.troubleHint(), e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        sessions.values().forEach(AdvisorySlots::closeQuietly);
        sessions.clear();
    }

    private Connection open() throws SQLException {
        Connection c = connections.getConnection();
        c.setAutoCommit(true);
        return c;
    }

    private synchronized void keep(String serverKey, Connection c) {
        if (closed) {
            closeQuietly(c);
        } else {
            Connection old = sessions.put(serverKey, c);
            if (old != null && old != c) closeQuietly(old);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // a broken session is being dropped
        }
    }

    /** A slot held on its own session: giving it back unlocks and keeps the session for the next turn. */
    private final class Held implements Slot {
        private final String serverKey;
        private final Connection session;
        private boolean released;

        Held(String serverKey, Connection session) {
            this.serverKey = serverKey;
            this.session = session;
        }

        @Override
        public synchronized Heartbeat beat(long jobId, String owner) {
            try {
                return Heartbeat.write(session, jobId, owner);
            } catch (SQLException e) {
                throw new JobStoreException("lost the turn of " + serverKey + " in the " + where + ": "
                        + where.mask(e.getMessage()), where.troubleHint(), e);
            }
        }

        @Override
        public synchronized void close() {
            if (released) return;
            released = true;
            try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, CLASS_KEY);
                ps.setInt(2, key(serverKey));
                ps.execute();
                keep(serverKey, session);
            } catch (SQLException e) {
                closeQuietly(session); // a dead session holds nothing any more
            }
        }
    }
}
