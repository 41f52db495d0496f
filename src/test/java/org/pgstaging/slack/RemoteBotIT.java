package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.JobSubmission;
import org.pgstaging.job.JobView;
import org.pgstaging.job.QueuedJobService;
import org.pgstaging.job.StagingService;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.RemoteStaging;
import org.pgstaging.testkit.Unprivileged;

/**
 * The bot's queue with two remote database servers: restores on two servers run at the same time,
 * two on one server one after the other. Proved with gates (pre SQL waiting for a role), not timing:
 * both jobs are seen running at once while their gates are closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteBotIT {
    private static final String ALICE = "U0ALICE";
    private static final LocalDate OLD = LocalDate.of(2026, 11, 20);
    private static final LocalDate NEW = LocalDate.of(2026, 11, 24);
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private RemoteStaging env;
    private Path stateDir;
    private JobStore store;
    private QueuedJobService backend;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Unprivileged.isRoot(), "remote servers need root: dpkg -i of the package, sshd");
        env = RemoteStaging.shared();
        for (String db : List.of("bota", "botb")) {
            env.publishDump(db, OLD);
            env.publishDump(db, NEW);
            Path pre = Files.createDirectories(env.sqlPath.resolve("bot").resolve(db + ".dev").resolve("pre"));
            Files.writeString(pre.resolve("00-gate.sql"), Gate.sql(db + "_gate", 120), StandardCharsets.UTF_8);
        }
        Unprivileged.makeReadable(env.sqlPath);
        for (Path p : List.of(env.sqlPath.resolve("bot"), env.sqlPath.resolve("bot/bota.dev"), env.sqlPath.resolve("bot/botb.dev"))) {
            Unprivileged.makeReadable(p);
        }
        String sql = "sql_path = " + env.sqlPath.resolve("bot");
        String ini = env.defaults() + "approval = none\n"
                + env.section("bota.dev", env.a, "bota", sql)
                + env.section("botb.dev", env.b, "botb", sql, "restore_on = target");
        StagingService staging = new StagingService(ConfigLoader.load(env.writeConfig("bot.ini", ini)),
                EngineOptions.defaults(), RestoreListener.NONE);
        stateDir = org.pgstaging.testkit.TempDirs.create("pgstaging-remote-bot");
        store = JobStore.open(stateDir);
        backend = new QueuedJobService(staging, store, java.time.Duration.ofMinutes(10), RecordingBackend.ANYONE);
        backend.start();
    }

    @AfterAll
    void stop() {
        if (backend != null) backend.close();
        if (store != null) store.close();
        if (stateDir != null) Unprivileged.deleteTree(stateDir);
    }

    private JobView restore(String section, LocalDate date) {
        return backend.submit(new JobSubmission(JobKind.RESTORE, section, DateSpec.parse(date.toString()), ALICE, "C0STAGING"));
    }

    private Job job(JobView j) {
        return store.get(Long.parseLong(j.id()));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Gate.await(what, PATIENCE, condition);
    }

    @Test
    void restoresOnTwoServersRunTogetherAndOnOneServerOneAfterTheOther() throws Exception {
        JobView onA = restore("bota.dev", OLD);
        JobView onB = restore("botb.dev", OLD);
        JobView secondOnA = restore("bota.dev", NEW);
        assertThat(job(onA).serverKey()).isEqualTo("127.0.0.2:" + env.a.pg().port());
        assertThat(job(onB).serverKey()).isEqualTo("127.0.0.3:" + env.b.pg().port());

        await("both servers' first restores running at once", () ->
                job(onA).state() == JobState.RUNNING && job(onB).state() == JobState.RUNNING);
        assertThat(job(secondOnA).state()).as("a's second restore waits for its first").isEqualTo(JobState.QUEUED);

        Gate.open(env.b.pg(), "botb_gate");
        await("b's restore done", () -> job(onB).state() == JobState.DONE);
        assertThat(env.b.aliasTarget("botb")).isEqualTo("botb_20261120");
        assertThat(job(secondOnA).state()).as("b finishing does not start a's second").isEqualTo(JobState.QUEUED);

        Gate.open(env.a.pg(), "bota_gate");
        await("a's two restores done", () -> job(onA).state() == JobState.DONE && job(secondOnA).state() == JobState.DONE);
        assertThat(job(secondOnA).startedAt()).isAfterOrEqualTo(job(onA).finishedAt());
        assertThat(env.a.aliasTarget("bota")).isEqualTo("bota_20261124");
        assertThat(env.a.databaseExists("bota_20261120")).isTrue();
    }
}
