package org.pgstaging.job.store;

import java.util.List;

/** Read side of the audit trail kept by {@link JobStore}. */
public final class History {
    private final StoreThread db;

    History(StoreThread db) {
        this.db = db;
    }

    /** The id of the newest entry (0: none): it changes whenever any process sharing the store records something. */
    public long newestId() {
        return db.transaction("reading history", c -> {
            try (java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM history")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The {@code limit} most recent entries, newest first. */
    public List<HistoryEntry> recent(int limit) {
        int n = checkLimit(limit);
        return db.transaction("reading history",
                c -> Rows.historyEntries(c, "ORDER BY id DESC FETCH FIRST ? ROWS ONLY", n));
    }

    /** Everything that happened to one job, oldest first. */
    public List<HistoryEntry> forJob(long jobId) {
        return db.transaction("reading history of job #" + jobId,
                c -> Rows.historyEntries(c, "WHERE job_id = ? ORDER BY id", jobId));
    }

    /** The {@code limit} most recent entries about a section, newest first. */
    public List<HistoryEntry> forSection(String section, int limit) {
        int n = checkLimit(limit);
        return db.transaction("reading history of [" + section + "]",
                c -> Rows.historyEntries(c, "WHERE section = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY", section, n));
    }

    private static int checkLimit(int limit) {
        if (limit < 1) {
            throw new JobStoreException("history limit must be at least 1, got " + limit, "ask for 1 or more entries");
        }
        return limit;
    }
}
