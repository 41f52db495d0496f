package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.config.StagingConfig;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobRequest;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.StagingSandbox;
import org.pgstaging.testkit.Unprivileged;

/**
 * Jobs on the real parts, as the bot runs them: how a failing job's failure is stored (and read
 * back by the next process), and what the recovery after a crash may drop: only a copy the dead
 * restore left incomplete, never a complete one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobRecoveryEndToEndTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final JobPolicy ANYONE = new JobPolicy(List.of(), List.of(), false, (group, user) -> false);

    private StagingSandbox sandbox;
    private StagingConfig config;

    @BeforeAll
    void start() throws Exception {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
        sandbox.publishDump("jobfail", DAY);
        sandbox.publishDump("jobkeep", DAY);
        sandbox.publishDump("jobdone", DAY);
        Path pre = Files.createDirectories(sandbox.sqlPath.resolve("jobfail.dev/pre"));
        Files.writeString(pre.resolve("00-broken.sql"), "SELECT 1 / 0;\n", StandardCharsets.UTF_8);
        Unprivileged.makeReadable(sandbox.sqlPath.resolve("jobfail.dev"));
        Unprivileged.makeReadable(pre);
        Path ini = sandbox.writeConfig("jobfail", "approval = none",
                "\n[jobkeep.dev]\nbackup_base_url = /jobkeep/\ndbname = jobkeep\ndbowner = postgres\napproval = none\n",
                "\n[jobdone.dev]\nbackup_base_url = /jobdone/\ndbname = jobdone\ndbowner = postgres\napproval = none\n");
        config = ConfigLoader.load(ini);
    }

    @AfterAll
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private StagingService staging() {
        return new StagingService(config, EngineOptions.defaults(), RestoreListener.NONE);
    }

    @Test
    void aFailedJobKeepsItsStepHintAndCleanupAcrossARestart() throws Exception {
        Path state = org.pgstaging.testkit.TempDirs.create("pgstaging-jobfail");
        String id;
        try (QueuedJobService jobs = QueuedJobService.open(staging(), org.pgstaging.job.store.StateLocation.directory(state), Duration.ofMinutes(10), ANYONE)) {
            jobs.start();
            id = jobs.submit(new JobSubmission(JobKind.RESTORE, "jobfail.dev", DateSpec.of(DAY), "U0ALICE01", "C0STAGING")).id();
            Gate.await("the job to fail", PATIENCE, () -> jobs.job(id).map(JobView::finished).orElse(false));
            assertFailure(jobs.job(id).orElseThrow());
        }
        assertThat(sandbox.databaseExists("jobfail_20261123")).as("the failed copy is dropped").isFalse();
        try (QueuedJobService again = QueuedJobService.open(staging(), org.pgstaging.job.store.StateLocation.directory(state), Duration.ofMinutes(10), ANYONE)) {
            assertFailure(again.job(id).orElseThrow());
        } finally {
            Unprivileged.deleteTree(state);
        }
    }

    private static void assertFailure(JobView job) {
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.failure().step()).isEqualTo(Step.PRE_SQL.label());
        assertThat(job.failure().message()).contains("division by zero").doesNotContain("hint:");
        assertThat(job.failure().cleanup()).contains("jobfail_20261123");
    }

    @Test
    void recoveryAfterACrashLeavesCompleteCopiesAlone() throws Exception {
        String copy = "jobkeep_20261123";
        staging().restore("jobkeep.dev", DateSpec.of(DAY), RestoreListener.NONE);
        assertThat(sandbox.databaseExists(copy)).isTrue();
        staging().createdb("jobkeep.dev", DateSpec.of(DAY.plusDays(1)));   // the alias stays on the 23rd
        staging().switchTo("jobkeep.dev", DateSpec.of(DAY.plusDays(1)));

        // a bot died while it ran a vacuumdb of the complete copy, and a restore of the same date
        // (that would have failed: the copy exists) before it created anything
        Path state = org.pgstaging.testkit.TempDirs.create("pgstaging-jobkeep");
        long vacuum;
        long restore;
        try (JobStore store = JobStore.open(state)) {
            var section = config.section("jobkeep.dev");
            vacuum = store.create(JobRequest.of(section, JobKind.VACUUMDB, DateSpec.of(DAY), "U0ALICE01")).id();
            restore = store.create(JobRequest.of(section, JobKind.RESTORE, DateSpec.of(DAY), "U0ALICE01")).id();
            store.start(vacuum);
            Job running = store.start(restore);
            assertThat(running.targetDatabase()).isEqualTo(copy);
        }
        try (QueuedJobService jobs = QueuedJobService.open(staging(), org.pgstaging.job.store.StateLocation.directory(state), Duration.ofMinutes(10), ANYONE)) {
            jobs.start();
            Gate.await("both jobs to end after their second run", PATIENCE, () ->
                    jobs.job(Long.toString(vacuum)).map(JobView::finished).orElse(false)
                            && jobs.job(Long.toString(restore)).map(JobView::finished).orElse(false));
            assertThat(jobs.job(Long.toString(vacuum)).orElseThrow().state()).isEqualTo(JobState.DONE);
            JobView again = jobs.job(Long.toString(restore)).orElseThrow();
            assertThat(again.state()).isEqualTo(JobState.FAILED);
            assertThat(again.failure().message()).contains("already exists");
        } finally {
            Unprivileged.deleteTree(state);
        }
        assertThat(sandbox.databaseExists(copy)).as("a complete copy survives the recovery").isTrue();
    }

    /**
     * The bot died after its restore had completed the copy but before it recorded the job done:
     * the recovery finds the copy completed since the job started, keeps it, and ends the job DONE
     * instead of running it again into "already exists".
     */
    @Test
    void aRestoreThatHadFinishedBeforeTheCrashEndsDoneWithItsCopy() throws Exception {
        String copy = "jobdone_20261123";
        Path state = org.pgstaging.testkit.TempDirs.create("pgstaging-jobdone");
        long id;
        try (JobStore store = JobStore.open(state)) {
            id = store.create(JobRequest.of(config.section("jobdone.dev"), JobKind.RESTORE, DateSpec.of(DAY), "U0ALICE01")).id();
            store.start(id);
        }
        staging().restore("jobdone.dev", DateSpec.of(DAY), RestoreListener.NONE); // the dead run's work
        try (QueuedJobService jobs = QueuedJobService.open(staging(), org.pgstaging.job.store.StateLocation.directory(state), Duration.ofMinutes(10), ANYONE)) {
            jobs.start();
            Gate.await("the job to be settled", PATIENCE, () -> jobs.job(Long.toString(id)).map(JobView::finished).orElse(false));
            JobView done = jobs.job(Long.toString(id)).orElseThrow();
            assertThat(done.state()).isEqualTo(JobState.DONE);
        } finally {
            try (JobStore store = JobStore.open(state)) {
                Job job = store.get(id);
                assertThat(job.attempt()).as("not run again").isZero();
                assertThat(job.cleanup()).contains(copy + " was completed by the interrupted run");
            }
            Unprivileged.deleteTree(state);
        }
        assertThat(sandbox.databaseExists(copy)).isTrue();
        assertThat(Files.readString(sandbox.bouncer.configFile())).contains(copy);
    }
}
