package org.pgstaging.job.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.model.JobState;

/** H2 files written by pgstaging before Flyway (schema_version, or the history's bare tables) keep working. */
class LegacyStateFilesTest {
    @TempDir Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2024-03-01T08:00:00Z"));

    /** A pgstaging.mv.db as the pgstaging of {@code version} left it, with one job approved on it. */
    private long legacyJobsFile(int version) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("pgstaging"));
             Statement st = c.createStatement()) {
            LegacySchema.migrateTo(c, version);
            st.executeUpdate("INSERT INTO jobs (kind, section, server_key, state, requested_by, requested_at, approved_by, "
                    + "queue_seq) VALUES ('restore', 'foodb.dev', 'db1:5432', 'QUEUED', 'alice', CURRENT_TIMESTAMP, 'dba', "
                    + "NEXT VALUE FOR queue_seq_gen)", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = st.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Version and type of each versioned row of a store's Flyway history, in order (Flyway also notes making its table). */
    private List<String> flywayHistory(String file, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve(file)
                + (file.equals("history") ? ";AUTO_SERVER=TRUE" : ""));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"version\", \"type\", \"success\" FROM \"" + table
                     + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) rows.add(rs.getString(1) + " " + rs.getString(2) + (rs.getBoolean(3) ? "" : " FAILED"));
        }
        return rows;
    }

    @Test
    void aFileOfTheFirstVersionIsAdoptedThenMigrated() throws Exception {
        long id = legacyJobsFile(1);
        try (JobStore store = JobStore.open(dir, clock)) {
            Job old = store.get(id);
            assertThat(old.state()).isEqualTo(JobState.QUEUED);
            assertThat(old.queueSeq()).isEqualTo(1L);
            store.start(id);
            assertThat(store.finish(id, new Completion(JobState.FAILED, JobStore.SYSTEM, "x", null, null, null, "y", "VACUUM"))
                    .failedStep()).as("version 2's column").isEqualTo("VACUUM");
            Job next = store.approve(store.create(LegacyStateFilesTest.restore()).id(), "dba");
            assertThat(next.queueSeq()).as("the old sequence goes on").isEqualTo(2L);
        }
        assertThat(flywayHistory("pgstaging", "flyway_jobs_history")).containsExactly("1 BASELINE", "2 SQL", "3 SQL", "4 SQL", "5 SQL", "6 SQL");
    }

    @Test
    void aFileOfTheLastVersionBeforeFlywayIsAdoptedAsItIs() throws Exception {
        long id = legacyJobsFile(2);
        try (JobStore store = JobStore.open(dir, clock)) {
            assertThat(store.get(id).approvedBy()).isEqualTo("dba");
        }
        try (JobStore again = JobStore.open(dir, clock)) {
            assertThat(again.get(id).state()).isEqualTo(JobState.QUEUED);
        }
        assertThat(flywayHistory("pgstaging", "flyway_jobs_history")).containsExactly("2 BASELINE", "3 SQL", "4 SQL", "5 SQL", "6 SQL");
    }

    @Test
    void aLegacyVersionFromTheFutureIsRefused() throws Exception {
        legacyJobsFile(2);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("pgstaging"));
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version VALUES (99, CURRENT_TIMESTAMP)");
        }
        assertThatThrownBy(() -> JobStore.open(dir, clock)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining("state_dir " + dir.toAbsolutePath().normalize())
                .hasMessageContaining("jobs schema version 99 but this pgstaging knows only up to 2")
                .extracting(e -> ((PgStagingException) e).hint()).asString().contains("point state_dir elsewhere");
        assertThat(Files.exists(dir.resolve("pgstaging.mv.db"))).isTrue();
    }

    @Test
    void aHistoryFileMadeBeforeFlywayIsAdoptedAsTheFirstVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("history") + ";AUTO_SERVER=TRUE");
             Statement st = c.createStatement()) {
            for (String sql : LegacySchema.CHANGE_LOG) st.execute(sql);
            st.execute("INSERT INTO changes (kind, section, server_key, started_by, started_at, outcome) "
                    + "VALUES ('drop', 'foodb.dev', 'db1:5432', 'bob@c2 (console)', CURRENT_TIMESTAMP, 'done')");
        }
        try (ChangeLog log = ChangeLog.open(dir)) {
            long id = log.started("restore", "foodb.dev", "latest", "db1:5432", "alice@c1 (console)", null);
            log.ended(id, Change.Outcome.DONE, "foodb_20240301", null, null, null, 10L, List.of(new Change.StepTime("PG_RESTORE", 5)));
            List<Change> all = log.read(null, null, 10);
            assertThat(all).extracting(Change::by).containsExactly("alice@c1 (console)", "bob@c2 (console)");
            assertThat(all.get(0).steps()).containsExactly(new Change.StepTime("PG_RESTORE", 5));
        }
        assertThat(flywayHistory("history", "flyway_changes_history")).containsExactly("1 BASELINE");
    }

    @Test
    void aNewStateDirGetsEveryMigration() throws Exception {
        JobStore.open(dir, clock).close();
        ChangeLog.open(dir).close();
        assertThat(flywayHistory("pgstaging", "flyway_jobs_history")).containsExactly("1 SQL", "2 SQL", "3 SQL", "4 SQL", "5 SQL", "6 SQL");
        assertThat(flywayHistory("history", "flyway_changes_history")).containsExactly("1 SQL");
    }

    private static JobRequest restore() {
        return JobStoreTest.restore("bardb.dev", true);
    }
}
