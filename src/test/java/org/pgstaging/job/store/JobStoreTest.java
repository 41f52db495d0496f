package org.pgstaging.job.store;

import org.pgstaging.job.model.JobState;
import org.pgstaging.job.model.JobKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.Section;

/** The job store, on H2 files and on PostgreSQL alike. */
@ParameterizedClass
@EnumSource(StateBackend.class)
class JobStoreTest {
    @Parameter
    StateBackend backend;
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2024-03-01T08:00:00Z"));
    StateLocation where;
    JobStore store;

    @BeforeEach
    void open() {
        where = backend.fresh(dir);
        store = JobStore.open(where, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static JobRequest restore(String section, boolean approval) {
        return new JobRequest(JobKind.RESTORE, section, "latest", null, "db1:5432", "alice", approval, "C1", "100.1");
    }

    @Test
    void requestAwaitsApprovalAndSurvivesReopening() {
        Job job = store.create(restore("foodb.dev", true));
        assertThat(job.state()).isEqualTo(JobState.AWAITING_APPROVAL);
        assertThat(job.requestedAt()).isEqualTo(clock.instant());
        assertThat(job.queueSeq()).isNull();

        store.close();
        store = JobStore.open(where, clock);
        Job again = store.get(job.id());
        assertThat(again).isEqualTo(job);
        assertThat(store.history().forJob(job.id())).extracting(HistoryEntry::action, HistoryEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(HistoryAction.REQUEST, "alice"));
    }

    @Test
    void approvalNoneQueuesAtOnceAndSaysWhy() {
        Section section = new Section("foodb.dev", Map.of("host", "db9", "postgres_port", "5544", "approval", "None"));
        Job job = store.create(JobRequest.of(section, JobKind.RESTORE, DateSpec.parse("2024-02-29"), "bob"));
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.serverKey()).isEqualTo("db9:5544");
        assertThat(job.targetDatabase()).isEqualTo("foodb_20240229");
        assertThat(job.approvedBy()).isEqualTo(JobStore.AUTO_APPROVER);
        assertThat(job.queueSeq()).isNotNull();
        assertThat(store.history().forJob(job.id())).extracting(HistoryEntry::action)
                .containsExactly(HistoryAction.REQUEST, HistoryAction.APPROVE);

        Section guarded = new Section("bardb.dev", Map.of("approval", "dba"));
        assertThat(JobRequest.approvalRequired(guarded)).isTrue();
        assertThat(JobRequest.approvalRequired(new Section("x", Map.of()))).isTrue();
    }

    @Test
    void queueOrderIsApprovalOrder() {
        Job a = store.create(restore("a.dev", true));
        Job b = store.create(restore("b.dev", true));
        Job c = store.create(restore("c.dev", true));
        store.approve(c.id(), "dba");
        store.approve(a.id(), "dba");
        store.approve(b.id(), "dba");
        assertThat(store.queued("db1:5432")).extracting(Job::id).containsExactly(c.id(), a.id(), b.id());
        assertThat(store.nextQueued("db1:5432")).map(Job::id).contains(c.id());
        assertThat(store.queued("other:5432")).isEmpty();
    }

    @Test
    void fullRunRecordsWhoAndWhenAndDuration() {
        Job job = store.create(restore("foodb.dev", true));
        clock.advance(Duration.ofMinutes(1));
        Job approved = store.approve(job.id(), "dba-carol");
        assertThat(approved.approvedBy()).isEqualTo("dba-carol");
        assertThat(approved.approvedAt()).isEqualTo(clock.instant());
        clock.advance(Duration.ofMinutes(1));
        store.start(job.id());
        clock.advance(Duration.ofSeconds(30));
        assertThat(store.progress(job.id(), "restoring table users")).map(Job::progress).contains("restoring table users");
        store.targetDatabase(job.id(), "foodb_20240301");
        clock.advance(Duration.ofSeconds(90));
        Job done = store.finish(job.id(), new Completion(JobState.DONE, JobStore.SYSTEM, null, null, null, 123456L));
        assertThat(done.state()).isEqualTo(JobState.DONE);
        assertThat(done.durationMs()).isEqualTo(120_000L);
        assertThat(done.dumpBytes()).isEqualTo(123456L);
        assertThat(done.targetDatabase()).isEqualTo("foodb_20240301");
        assertThat(store.progress(job.id(), "late")).isEmpty();
        assertThat(store.history().forJob(job.id())).extracting(HistoryEntry::action).containsExactly(
                HistoryAction.REQUEST, HistoryAction.APPROVE, HistoryAction.START, HistoryAction.DONE);
        assertThat(store.done("foodb.dev", JobKind.RESTORE, 5)).extracting(Job::id).containsExactly(job.id());
    }

    @Test
    void illegalTransitionsAreRejectedAndChangeNothing() {
        Job job = store.create(restore("foodb.dev", false));
        store.start(job.id());
        store.finish(job.id(), new Completion(JobState.DONE, JobStore.SYSTEM, null, null, null, null));
        int historyBefore = store.history().forJob(job.id()).size();

        assertThatThrownBy(() -> store.approve(job.id(), "dba"))
                .isInstanceOf(IllegalJobTransitionException.class)
                .hasMessageContaining("job #" + job.id() + " is DONE: cannot approve it")
                .extracting(e -> ((PgStagingException) e).hint()).asString().contains("AWAITING_APPROVAL");
        assertThatThrownBy(() -> store.deny(job.id(), "dba", "no")).isInstanceOf(IllegalJobTransitionException.class);
        assertThatThrownBy(() -> store.cancel(job.id(), "dba")).isInstanceOf(IllegalJobTransitionException.class);
        assertThatThrownBy(() -> store.start(job.id())).isInstanceOf(IllegalJobTransitionException.class);
        assertThatThrownBy(() -> store.retry(job.id(), "dba")).isInstanceOf(IllegalJobTransitionException.class)
                .hasMessageContaining("cannot retry");

        Job waiting = store.create(restore("foodb.dev", true));
        assertThatThrownBy(() -> store.start(waiting.id())).isInstanceOf(IllegalJobTransitionException.class);
        assertThatThrownBy(() -> store.finish(waiting.id(),
                new Completion(JobState.FAILED, JobStore.SYSTEM, "x", null, null, null)))
                .isInstanceOf(IllegalJobTransitionException.class);
        store.approve(waiting.id(), "dba");
        assertThatThrownBy(() -> store.approve(waiting.id(), "dba")).hasMessageContaining("is QUEUED: cannot approve");
        assertThatThrownBy(() -> store.approve(9999, "dba")).isInstanceOf(JobStoreException.class)
                .hasMessageContaining("no job #9999");

        assertThat(store.get(job.id()).state()).isEqualTo(JobState.DONE);
        assertThat(store.history().forJob(job.id())).hasSize(historyBefore);
    }

    @Test
    void retryOfAJobNobodyApprovedWaitsForApprovalAgain() {
        Job job = store.create(restore("foodb.dev", true));
        store.cancel(job.id(), "alice");
        Job retry = store.retry(job.id(), "alice");
        assertThat(retry.state()).isEqualTo(JobState.AWAITING_APPROVAL);
        assertThat(retry.approvedBy()).isNull();
        assertThat(retry.queueSeq()).isNull();
        assertThat(store.approve(retry.id(), "dba").state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void retryMakesOneLinkedQueuedJob() {
        Job job = store.create(restore("foodb.dev", false));
        store.start(job.id());
        store.finish(job.id(), new Completion(JobState.FAILED, JobStore.SYSTEM, "disk full", "dropped foodb_x", null, null));
        Job retry = store.retry(job.id(), "dba");
        assertThat(retry.id()).isNotEqualTo(job.id());
        assertThat(retry.state()).isEqualTo(JobState.QUEUED);
        assertThat(retry.retryOf()).isEqualTo(job.id());
        assertThat(retry.requestedBy()).isEqualTo("alice");
        assertThat(retry.approvedBy()).as("the approval carries over").isEqualTo(JobStore.AUTO_APPROVER);
        assertThat(retry.threadTs()).isEqualTo("100.1");
        assertThat(store.history().forJob(retry.id())).anyMatch(h -> h.actor().equals("dba"));
        assertThat(store.retryOf(job.id())).map(Job::id).contains(retry.id());
        assertThatThrownBy(() -> store.retry(job.id(), "dba")).isInstanceOf(JobStoreException.class)
                .hasMessageContaining("already retried as job #" + retry.id());
    }

    @Test
    void cancelOfRunningJobIsOnlyARequestUntilTheRunnerEnds() {
        Job job = store.create(restore("foodb.dev", false));
        store.start(job.id());
        Job asked = store.cancel(job.id(), "carol");
        assertThat(asked.state()).isEqualTo(JobState.RUNNING);
        assertThat(asked.cancelRequestedBy()).isEqualTo("carol");
        Job ended = store.finish(job.id(), new Completion(JobState.CANCELLED, "carol", null, "dropped foodb_20240301", null, null));
        assertThat(ended.state()).isEqualTo(JobState.CANCELLED);
        assertThat(ended.cleanup()).isEqualTo("dropped foodb_20240301");
        assertThat(store.history().forJob(job.id())).extracting(HistoryEntry::action, HistoryEntry::actor)
                .endsWith(org.assertj.core.groups.Tuple.tuple(HistoryAction.CANCEL, "carol"),
                        org.assertj.core.groups.Tuple.tuple(HistoryAction.CANCEL, "carol"));
    }

    @Test
    void historyQueries() {
        Job a = store.create(restore("a.dev", true));
        Job b = store.create(restore("b.dev", true));
        store.deny(a.id(), "dba", "not during the release");
        store.record("dave", HistoryAction.SWITCH, null, "b.dev", "b -> b_20240301");
        List<HistoryEntry> recent = store.history().recent(2);
        assertThat(recent).extracting(HistoryEntry::action).containsExactly(HistoryAction.SWITCH, HistoryAction.DENY);
        assertThat(recent.get(1).detail()).isEqualTo("not during the release");
        assertThat(store.history().forSection("b.dev", 10)).extracting(HistoryEntry::action)
                .containsExactly(HistoryAction.SWITCH, HistoryAction.REQUEST);
        assertThat(store.history().forJob(b.id())).hasSize(1);
        assertThatThrownBy(() -> store.history().recent(0)).isInstanceOf(JobStoreException.class);
        Job denied = store.get(a.id());
        assertThat(denied.deniedBy()).isEqualTo("dba");
        assertThat(denied.denyReason()).isEqualTo("not during the release");
    }

    @Test
    void theRequestsOfOnePersonComeNewestFirstWhateverTheirState() {
        Job first = store.create(restore("a.dev", true));
        store.create(new JobRequest(JobKind.RESTORE, "b.dev", "latest", null, "db1:5432", "bob", true, "C1", "100.2"));
        Job second = store.create(restore("c.dev", false));
        store.deny(first.id(), "dba", "not now");
        Job third = store.create(restore("d.dev", true));
        assertThat(store.requestedBy("alice", 10)).extracting(Job::id).containsExactly(third.id(), second.id(), first.id());
        assertThat(store.requestedBy("alice", 2)).extracting(Job::id).containsExactly(third.id(), second.id());
        assertThat(store.requestedBy("bob", 10)).extracting(Job::section).containsExactly("b.dev");
        assertThat(store.requestedBy("carol", 10)).isEmpty();
    }

    @Test
    void malformedRequestsAreRejectedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> new JobRequest(JobKind.RESTORE, "foodb.dev", "2024-02-30", null, "db1:5432",
                "alice", true, null, null)).isInstanceOf(PgStagingException.class).hasMessageContaining("2024-02-30");
        assertThatThrownBy(() -> new JobRequest(JobKind.RESTORE, "foodb.dev", "latest", null, "db1:5432",
                " ", true, null, null)).hasMessageContaining("requester");
        assertThatThrownBy(() -> new JobRequest(null, "foodb.dev", null, null, "db1:5432", "a", true, null, null))
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> store.approve(store.create(restore("x", true)).id(), " "))
                .isInstanceOf(JobStoreException.class).hasMessageContaining("approver");
        assertThat(store.recent(10)).hasSize(1);
        assertThat(JobKind.parse("VacuumDB")).isEqualTo(JobKind.VACUUMDB);
        assertThatThrownBy(() -> JobKind.parse("reboot")).isInstanceOf(PgStagingException.class)
                .extracting(e -> ((PgStagingException) e).hint()).asString().contains("restore");
    }

    @Test
    void interruptedCallerNeitherBreaksTheDatabaseNorLosesItsFlag() throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                Job job = store.create(restore("foodb.dev", true));
                result.set(Thread.currentThread().isInterrupted() ? job : "flag lost");
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        t.start();
        t.join();
        assertThat(result.get()).isInstanceOf(Job.class);
        Job after = store.create(restore("foodb.dev", true));
        assertThat(store.get(after.id()).state()).isEqualTo(JobState.AWAITING_APPROVAL);
        store.close();
        store = JobStore.open(where, clock);
        assertThat(store.recent(10)).hasSize(2);
    }

    @Test
    void unusableStateDirIsNamed() throws Exception {
        assumeTrue(backend == StateBackend.H2, "a state_dir is H2's");
        assertThatThrownBy(() -> JobStore.open(dir.resolve("x;MODE=MySQL"), clock))
                .isInstanceOf(JobStoreException.class).hasMessageContaining("contains ';'");
        Path file = java.nio.file.Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> JobStore.open(file.resolve("sub"), clock))
                .isInstanceOf(JobStoreException.class).hasMessageContaining("cannot create state_dir")
                .extracting(e -> ((PgStagingException) e).hint()).asString().contains("state_dir");
    }

    @Test
    void aSecondProcessIsToldWhyOnH2AndSharesTheStateOnPostgres() throws Exception {
        store.close();
        Process holder = child(where, "hold");
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertThat(line).isEqualTo("open");
            if (backend == StateBackend.H2) {
                assertThatThrownBy(() -> JobStore.open(where, clock)).isInstanceOf(JobStoreException.class)
                        .extracting(e -> ((PgStagingException) e).hint()).asString()
                        .contains("another pgstaging process uses this state_dir");
            } else {
                try (JobStore replica = JobStore.open(where, clock)) {
                    assertThat(replica.recent(1)).as("replicas share the state database").isNotNull();
                }
            }
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            holder.destroy();
        }
        store = JobStore.open(where, clock); // free again once the other process is gone
    }

    @Test
    void aRequestIsOnDiskOnceCreateReturnsEvenIfTheProcessIsKilled() throws Exception {
        store.close();
        Process p = child(where, "request-and-die");
        String id = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // on PostgreSQL the dead bot's lock died with its session: the next bot is not refused
        try (JobStore reopened = JobStore.open(where, clock)) {
            Job job = reopened.get(Long.parseLong(id));
            assertThat(job.state()).isEqualTo(JobState.QUEUED);
            assertThat(job.approvedBy()).isEqualTo("dba");
        }
    }

    private static Process child(StateLocation where, String mode) throws java.io.IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldStateDir.class.getName(), StateBackend.argument(where), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void databaseFromANewerVersionIsRefused() throws Exception {
        store.close();
        try (Connection c = StateBackend.rawConnection(where, "pgstaging"); Statement st = c.createStatement()) {
            // Flyway quotes its names: lower case on H2 as on PostgreSQL
            st.execute("INSERT INTO \"flyway_jobs_history\" (\"installed_rank\", \"version\", \"description\", "
                    + "\"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") "
                    + "VALUES (99, '99', 'from the future', 'SQL', 'V99__future.sql', 0, 'a newer pgstaging', 0, TRUE)");
        }
        assertThatThrownBy(() -> JobStore.open(where, clock)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining("has jobs schema version 99 but this pgstaging knows only up to " + Migrations.JOBS.newest)
                .extracting(e -> ((PgStagingException) e).hint()).asString()
                .contains(backend == StateBackend.H2 ? "point state_dir elsewhere" : "point state_url elsewhere");
        store = JobStore.open(backend.fresh(dir.resolve("fresh")), clock);
    }

    @Test
    void aFailureIsKeptAsItsParts() {
        Job job = store.create(restore("foodb.dev", false));
        store.start(job.id());
        Job failed = store.finish(job.id(), new Completion(JobState.FAILED, JobStore.SYSTEM, "pg_restore exited with status 1",
                "dropped foodb_20261124", null, null, "free space in /var/lib/postgresql", "RESTORE"));
        assertThat(failed.error()).isEqualTo("pg_restore exited with status 1");
        assertThat(failed.failureHint()).isEqualTo("free space in /var/lib/postgresql");
        assertThat(failed.failedStep()).isEqualTo("RESTORE");
        assertThat(failed.cleanup()).isEqualTo("dropped foodb_20261124");
    }

    @Test
    void aStateDatabaseOfTheFirstVersionIsMigrated() throws Exception {
        store.close();
        StateLocation old = backend.fresh(dir.resolve("v1"));
        JobStore.open(old, clock, "1").close();
        try (Connection c = StateBackend.rawConnection(old, "pgstaging"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT failed_step FROM jobs")).as("made at version 1")
                    .isInstanceOf(java.sql.SQLException.class);
        }
        store = JobStore.open(old, clock);
        Job job = store.create(restore("foodb.dev", false));
        store.start(job.id());
        assertThat(store.finish(job.id(), new Completion(JobState.FAILED, JobStore.SYSTEM, "x", null, null, null, "y", "VACUUM"))
                .failedStep()).isEqualTo("VACUUM");
    }
}
