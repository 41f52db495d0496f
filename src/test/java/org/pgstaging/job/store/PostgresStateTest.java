package org.pgstaging.job.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.PgStagingException;
import org.pgstaging.config.StateUrl;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.model.JobState;
import org.pgstaging.testkit.PostgresServer;

/** What only the PostgreSQL state has: its own schema, named sessions, server slots shared by replicas, connections that come back. */
class PostgresStateTest {
    private static final String PASSWORD = "Wr0ngButTrusted";
    @TempDir Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2024-03-01T08:00:00Z"));
    PostgresServer server = PostgresServer.shared();

    private String database(StateLocation where) {
        return where.url().display().substring(where.url().display().indexOf('/') + 1);
    }

    private List<String> strings(String db, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = server.connect(db); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The sessions pgstaging has open on the state database. */
    private List<String> sessions(String db) throws SQLException {
        return strings(db, "SELECT pid::text FROM pg_stat_activity WHERE datname = ? AND application_name = 'pgstaging'", db);
    }

    @Test
    void bothStoresLiveInTheirOwnSchemaWhicheverOpensFirstAndTheirSessionsAreNamed() throws Exception {
        StateLocation historyFirst = StateBackend.POSTGRES.fresh(dir);
        try (ChangeLog log = ChangeLog.open(historyFirst, clock); JobStore store = JobStore.open(historyFirst, clock)) {
            store.create(JobStoreTest.restore("foodb.dev", true));
            log.started("drop", "foodb.dev", "oldest", "db1:5432", "bob@c2 (console)", null);
            String db = database(historyFirst);
            assertThat(strings(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'pgstaging'"))
                    .contains("jobs", "history", "changes", "change_steps", "flyway_jobs_history", "flyway_changes_history");
            assertThat(strings(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).isEmpty();
            assertThat(sessions(db)).as("the store's and the history's connections").hasSize(2);
        }
        StateLocation jobsFirst = StateBackend.POSTGRES.fresh(dir);
        try (JobStore store = JobStore.open(jobsFirst, clock); ChangeLog log = ChangeLog.open(jobsFirst, clock)) {
            assertThat(log.read(null, null, 5)).isEmpty();
            assertThat(store.recent(5)).isEmpty();
        }
        try (JobStore store = JobStore.open(jobsFirst, clock); ChangeLog log = ChangeLog.open(jobsFirst, clock)) {
            assertThat(strings(database(jobsFirst), "SELECT \"version\" FROM pgstaging.\"flyway_changes_history\" "
                    + "WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")).as("a baseline at 0, then the migration")
                    .containsExactly("0", "1");
        }
    }

    @Test
    void replicasShareTheStoreAndEachServerSlotIsHeldByOneSessionAtATime() throws Exception {
        StateLocation where = StateBackend.POSTGRES.fresh(dir);
        String db = database(where);
        try (JobStore first = JobStore.open(where, clock); JobStore second = JobStore.open(where, clock);
             ChangeLog console = ChangeLog.open(where, clock)) {
            assertThat(console.read(null, null, 1)).isEmpty();
            ServerSlots.Slot held = first.slots().tryTake("db1:5432").orElseThrow();
            assertThat(second.slots().tryTake("db1:5432")).as("held by the first replica").isEmpty();
            second.slots().tryTake("db2:5432").orElseThrow().close();
            held.close();
            ServerSlots.Slot taken = second.slots().tryTake("db1:5432").orElseThrow();
            assertThat(first.slots().tryTake("db1:5432")).isEmpty();
            // the holder's session dies (a SIGKILLed replica, a cut connection): its slot is free at once
            assertThat(strings(db, "SELECT pg_terminate_backend(pid)::text FROM pg_locks WHERE locktype = 'advisory' "
                    + "AND classid::bigint = ? AND objid::bigint = ? AND granted", (long) AdvisorySlots.CLASS_KEY,
                    (long) AdvisorySlots.key("db1:5432"))).containsExactly("true");
            ServerSlots.Slot again = null;
            for (int i = 0; i < 100 && again == null; i++) {
                again = first.slots().tryTake("db1:5432").orElse(null);
                if (again == null) Thread.sleep(50);
            }
            assertThat(again).as("taken once the holder's session ended").isNotNull();
            assertThatThrownBy(() -> taken.beat(1, "r2")).as("the lost slot says so on its next heartbeat")
                    .isInstanceOf(JobStoreException.class).hasMessageStartingWith("lost the turn of db1:5432");
            again.close();
        }
    }

    @Test
    void aStaleHeartbeatLetsAnotherReplicaEndTheHoldersSession() throws Exception {
        StateLocation where = StateBackend.POSTGRES.fresh(dir);
        try (JobStore first = JobStore.open(where, clock); JobStore second = JobStore.open(where, clock)) {
            Job job = first.create(JobStoreTest.restore("foodb.dev", false));
            Replica one = Replica.named("pod-a/1/aaaaaa");
            ServerSlots.Slot held = first.slots().tryTake(job.serverKey()).orElseThrow();
            Job running = first.claim(job.serverKey(), one).orElseThrow();
            assertThat(running.owner()).isEqualTo(one.name());
            assertThat(held.beat(running.id(), one.name())).isEqualTo(new Heartbeat(true, null));
            assertThat(second.slots().breakStale(job.serverKey(), java.time.Duration.ofSeconds(60)))
                    .as("a heartbeat just written is not stale").isFalse();
            Thread.sleep(1100);
            assertThat(second.slots().breakStale(job.serverKey(), java.time.Duration.ofSeconds(1))).isTrue();
            ServerSlots.Slot taken = null;
            for (int i = 0; i < 100 && taken == null; i++) {
                taken = second.slots().tryTake(job.serverKey()).orElse(null);
                if (taken == null) Thread.sleep(50);
            }
            assertThat(taken).isNotNull();
            assertThatThrownBy(() -> held.beat(running.id(), one.name())).isInstanceOf(JobStoreException.class);
            // someone asks the job to stop through another replica: its runner hears it on its next heartbeat
            second.cancel(running.id(), "U0CAROL");
            assertThat(taken.beat(running.id(), one.name())).isEqualTo(new Heartbeat(true, "U0CAROL"));
            assertThat(taken.beat(running.id(), "pod-b/1/bbbbbb")).as("not its job").isEqualTo(new Heartbeat(false, null));
            taken.close();
        }
    }

    @Test
    void aBrokenConnectionIsReplacedOnTheNextStatementAndTheBotKeepsItsLock() throws Exception {
        StateLocation where = StateBackend.POSTGRES.fresh(dir);
        String db = database(where);
        try (JobStore store = JobStore.open(where, clock); ChangeLog log = ChangeLog.open(where, clock)) {
            Job before = store.create(JobStoreTest.restore("foodb.dev", true));
            List<String> killed = sessions(db);
            assertThat(killed).hasSize(2);
            assertThat(strings(db, "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity "
                    + "WHERE datname = ? AND application_name = 'pgstaging'", db)).containsExactly("true", "true");
            waitUntilGone(db, killed);

            Job after = store.approve(before.id(), "dba");
            assertThat(after.state()).isEqualTo(JobState.QUEUED);
            long change = log.started("restore", "foodb.dev", "latest", "db1:5432", "alice@c1 (console)", null);
            log.ended(change, Change.Outcome.DONE, null, null, null, null, null, List.of());
            assertThat(log.read(null, null, 5)).hasSize(1);

            assertThat(sessions(db)).hasSize(2).doesNotContainAnyElementsOf(killed);
        }
    }

    private void waitUntilGone(String db, List<String> pids) throws Exception {
        for (int i = 0; i < 100 && sessions(db).stream().anyMatch(pids::contains); i++) Thread.sleep(50);
        assertThat(sessions(db)).doesNotContainAnyElementsOf(pids);
    }

    /** What the bot's /healthz asks: a store whose database went away says so (and the bot is not ready). */
    @Test
    void aStoreWhoseDatabaseIsDownIsNotReachable() {
        PostgresServer own = PostgresServer.start();
        try {
            own.createDatabase("state");
            StateLocation where = StateLocation.postgres(StateUrl.parse(own.jdbcUrl("state") + "?user=" + own.superuser()
                    + "&connectTimeout=2"));
            try (JobStore store = JobStore.open(where, clock)) {
                assertThat(store.reachable()).isTrue();
                own.close();
                assertThat(store.reachable()).isFalse();
            }
        } finally {
            own.close();
        }
    }

    @Test
    void theStateUrlsPasswordIsNeverShown() {
        StateLocation base = StateBackend.POSTGRES.fresh(dir);
        // the test cluster trusts every local user, so a password in the URL is accepted and ignored
        StateLocation withPassword = StateLocation.postgres(StateUrl.parse(base.url().jdbcUrl() + "&password=" + PASSWORD));
        try (JobStore first = JobStore.open(withPassword, clock)) {
            assertThat(first.location().toString()).doesNotContain(PASSWORD);
        }
        StateLocation nowhere = StateLocation.postgres(StateUrl.parse("jdbc:postgresql://127.0.0.1:" + PostgresServer.freePort()
                + "/state?user=postgres&connectTimeout=2&password=" + PASSWORD));
        Throwable unreachable = org.assertj.core.api.Assertions.catchThrowable(() -> JobStore.open(nowhere, clock));
        assertThat(unreachable).isInstanceOf(JobStoreException.class).hasMessageContaining("cannot open the state database 127.0.0.1:");
        assertThat(unreachable.getMessage() + ((PgStagingException) unreachable).hint()).doesNotContain(PASSWORD)
                .contains("is up and reachable ([slack] state_url)");
        Throwable history = org.assertj.core.api.Assertions.catchThrowable(() -> ChangeLog.open(nowhere, clock));
        assertThat(history).isInstanceOf(JobStoreException.class).hasMessageContaining("cannot open the history in the state database");
        assertThat(history.getMessage()).doesNotContain(PASSWORD);
    }
}
