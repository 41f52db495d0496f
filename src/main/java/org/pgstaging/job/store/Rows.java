package org.pgstaging.job.store;

import org.pgstaging.job.model.JobState;
import org.pgstaging.job.model.JobKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Row mapping and parameter binding shared by the store's statements. */
final class Rows {
    static final String JOB_COLUMNS = "id, kind, section, date_spec, target_database, server_key, state, "
            + "requested_by, requested_at, approved_by, approved_at, denied_by, deny_reason, started_at, "
            + "finished_at, error, cleanup, channel, message_ts, thread_ts, approval_channel, approval_ts, attempt, "
            + "queue_seq, last_progress_at, progress, dump_bytes, duration_ms, retry_of, cancel_requested_by, "
            + "failure_hint, failed_step, owner, heartbeat_at";
    /** SQLSTATE of a unique violation, on H2 and PostgreSQL alike. */
    static final String UNIQUE_VIOLATION = "23505";
    static final String SELECT_JOBS = "SELECT " + JOB_COLUMNS + " FROM jobs ";
    static final String SELECT_HISTORY = "SELECT id, at, actor, action, job_id, section, detail FROM history ";

    private Rows() {
    }

    static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getLong(1), JobKind.parse(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), JobState.valueOf(rs.getString(7)), rs.getString(8), instant(rs, 9),
                rs.getString(10), instant(rs, 11), rs.getString(12), rs.getString(13), instant(rs, 14),
                instant(rs, 15), rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19),
                rs.getString(20), rs.getString(21), rs.getString(22), rs.getInt(23), longOrNull(rs, 24),
                instant(rs, 25), rs.getString(26), longOrNull(rs, 27), longOrNull(rs, 28), longOrNull(rs, 29),
                rs.getString(30), rs.getString(31), rs.getString(32), rs.getString(33), instant(rs, 34));
    }

    static HistoryEntry history(ResultSet rs) throws SQLException {
        return new HistoryEntry(rs.getLong(1), instant(rs, 2), rs.getString(3), HistoryAction.parse(rs.getString(4)),
                longOrNull(rs, 5), rs.getString(6), rs.getString(7));
    }

    static List<Job> jobs(Connection c, String where, Object... params) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, SELECT_JOBS + where, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(job(rs));
        }
        return out;
    }

    static Optional<Job> findJob(Connection c, long id) throws SQLException {
        List<Job> found = jobs(c, "WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    static List<HistoryEntry> historyEntries(Connection c, String where, Object... params) throws SQLException {
        List<HistoryEntry> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, SELECT_HISTORY + where, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(history(rs));
        }
        return out;
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Inserts one row and returns its generated id. */
    static long insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < params.length; i++) bind(ps, i + 1, params[i]);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * INSERT under a savepoint; false when a row with its key exists. On PostgreSQL a unique violation
     * aborts the whole transaction, so it is rolled back to the savepoint and the transaction goes on.
     * A concurrent insert of the same key waits for the other transaction, then violates the key:
     * exactly one wins.
     */
    static boolean insertOnce(Connection c, String sql, Object... params) throws SQLException {
        java.sql.Savepoint before = c.setSavepoint();
        try {
            update(c, sql, params);
            return true;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
            c.rollback(before);
            return false;
        }
    }

    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) bind(ps, i + 1, params[i]);
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
        return ps;
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof Instant at) {
            ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        } else if (value instanceof Enum<?> e) {
            ps.setString(index, e.name());
        } else {
            ps.setObject(index, value);
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** Free text (errors, progress) is cut to what its column holds rather than failing the write. */
    static String clip(String text, int max) {
        if (text == null) return null;
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
