package org.pgstaging.job.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Optional;
import org.pgstaging.job.model.JobMessages;

/**
 * Which Slack messages belong to which job (table {@code slack_messages}), so that after a restart,
 * or on another bot sharing the state, the right message is edited and replies in a job's thread
 * are recognised. Holds the newest {@value #MAX_ENTRIES} jobs; older ones are finished and forgotten.
 */
public final class SlackMessages {
    static final int MAX_ENTRIES = 2000;
    private static final String UNIQUE_VIOLATION = "23505";

    private final StoreThread db;
    private final int maxEntries;

    SlackMessages(StoreThread db, int maxEntries) {
        this.db = db;
        this.maxEntries = maxEntries;
    }

    /** Records (or replaces) the messages of {@code jobId}; it becomes the newest entry. */
    public void put(String jobId, JobMessages m) {
        db.transaction("recording the Slack messages of job " + jobId, c -> {
            Object[] values = {m.channel(), m.ts(), m.cardChannel(), m.cardTs(), m.completionTs(), jobId};
            if (Rows.update(c, "UPDATE slack_messages SET channel = ?, ts = ?, card_channel = ?, card_ts = ?, "
                    + "completion_ts = ?, seq = nextval('slack_messages_seq_gen') WHERE job_id = ?", values) == 0) {
                insertOrUpdate(c, values);
            }
            // keep the newest maxEntries: everything older than the oldest of them goes
            Rows.update(c, "DELETE FROM slack_messages WHERE seq < (SELECT MIN(seq) FROM (SELECT seq FROM slack_messages "
                    + "ORDER BY seq DESC FETCH FIRST ? ROWS ONLY) newest)", maxEntries);
            return null;
        });
    }

    /** Another bot may insert the same job's row between our UPDATE and INSERT: then ours updates it. */
    private static void insertOrUpdate(Connection c, Object[] values) throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            Rows.update(c, "INSERT INTO slack_messages (channel, ts, card_channel, card_ts, completion_ts, job_id, seq) "
                    + "VALUES (?, ?, ?, ?, ?, ?, nextval('slack_messages_seq_gen'))", values);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
            c.rollback(before);
            Rows.update(c, "UPDATE slack_messages SET channel = ?, ts = ?, card_channel = ?, card_ts = ?, "
                    + "completion_ts = ?, seq = nextval('slack_messages_seq_gen') WHERE job_id = ?", values);
        }
    }

    public Optional<JobMessages> find(String jobId) {
        return db.transaction("reading the Slack messages of job " + jobId, c -> {
            try (PreparedStatement ps = Rows.prepare(c, "SELECT channel, ts, card_channel, card_ts, completion_ts "
                    + "FROM slack_messages WHERE job_id = ?", jobId); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new JobMessages(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5))) : Optional.empty();
            }
        });
    }

    /** The job whose request message is {@code ts} in {@code channel}: replies carry it as thread_ts. */
    public Optional<String> jobOfThread(String channel, String ts) {
        return db.transaction("finding the job of a Slack thread", c -> {
            try (PreparedStatement ps = Rows.prepare(c, "SELECT job_id FROM slack_messages WHERE channel = ? AND ts = ? "
                    + "ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY", channel, ts); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }
}
