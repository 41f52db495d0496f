package org.pgstaging.job.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.pgstaging.job.model.JobState;

/**
 * What a replica learns when it says it still runs a job: whether the job is still its own (another
 * replica may have taken it over), and whether someone asked it to stop (on any replica).
 */
public record Heartbeat(boolean ours, String cancelRequestedBy) {

    /** Writes the heartbeat of {@code jobId} run by {@code owner}, in the state database's clock. */
    static Heartbeat write(Connection c, long jobId, String owner) throws SQLException {
        int n = Rows.update(c, "UPDATE jobs SET heartbeat_at = CURRENT_TIMESTAMP WHERE id = ? AND owner = ? AND state = ?",
                jobId, owner, JobState.RUNNING);
        if (n == 0) return new Heartbeat(false, null);
        try (PreparedStatement ps = Rows.prepare(c, "SELECT cancel_requested_by FROM jobs WHERE id = ?", jobId);
             ResultSet rs = ps.executeQuery()) {
            return new Heartbeat(true, rs.next() ? rs.getString(1) : null);
        }
    }
}
