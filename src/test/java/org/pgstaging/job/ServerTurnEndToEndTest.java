package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.postgres.PostgresServerAddress;
import org.pgstaging.postgres.ServerLock;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.RestoreSampler;
import org.pgstaging.testkit.StagingSandbox;

/**
 * One change at a time per database server across processes, and copies a crash leaves behind:
 * consoles are separate JVMs (as users run them), held at a known point by a gate (pre SQL waiting
 * for a role), never by timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerTurnEndToEndTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    private static final LocalDate OLD = LocalDate.of(2026, 11, 20);
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private StagingSandbox sandbox;
    private Path ini;

    @BeforeAll
    void start() throws Exception {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
        for (String db : List.of("turna", "turnb", "crashed", "race1", "race2", "race3", "slowlog")) {
            sandbox.publishDump(db, DAY);
            sandbox.publishDump(db, OLD);
        }
        ini = sandbox.writeConfig("turna", section("turnb"), section("crashed"), section("race1"), section("race2"),
                section("race3"), section("slowlog"));
    }

    @AfterAll
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private String section(String dbname) {
        return "\n[" + dbname + ".dev]\nbackup_base_url = /" + dbname + "/\ndbname = " + dbname + "\ndbowner = postgres\n"
                + "schemas = public, app, billing, Sales Data, données, audit\nsql_path = " + sandbox.sqlPath + "\n";
    }

    private void gate(String section, String role) throws Exception {
        Path pre = Files.createDirectories(sandbox.sqlPath.resolve(section).resolve("pre"));
        Files.writeString(pre.resolve("00-gate.sql"), Gate.sql(role, 120), StandardCharsets.UTF_8);
        org.pgstaging.testkit.Unprivileged.makeReadable(sandbox.sqlPath.resolve(section));
        org.pgstaging.testkit.Unprivileged.makeReadable(pre);
    }

    private void ungate(String section) throws Exception {
        Files.deleteIfExists(sandbox.sqlPath.resolve(section).resolve("pre/00-gate.sql"));
    }

    private Process console(Path log, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("java", "-cp", System.getProperty("java.class.path"),
                "org.pgstaging.cli.Main", "-c", ini.toString()));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private StagingService service() {
        return new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), null);
    }

    @Test
    void aChangeDoesNotWaitForItsHistoryToOpenAndOneWithoutHistoryStillRuns() throws Exception {
        var config = ConfigLoader.load(ini);
        java.util.concurrent.CountDownLatch opening = new java.util.concurrent.CountDownLatch(1);
        java.time.Instant[] firstEvent = {null};
        StagingService slow = service().recordingTo(() -> {
            try {
                opening.await(); // the history opens only once the restore is under way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return org.pgstaging.job.store.ChangeLog.shared(org.pgstaging.job.store.StateLocation.directory(config.stateDir()));
        });
        java.time.Instant before = java.time.Instant.now();
        RestoreResult r = slow.restore("slowlog.dev", DateSpec.latest(), e -> {
            if (firstEvent[0] == null) firstEvent[0] = java.time.Instant.now();
            if (e instanceof org.pgstaging.restore.RestoreEvent.StepFinished f && f.step() == org.pgstaging.restore.Step.PG_RESTORE) {
                opening.countDown();
            }
        });
        assertThat(r.switched()).isTrue();
        org.pgstaging.job.model.Change c = slow.history("slowlog.dev", null, 1).get(0);
        assertThat(c.outcome().code()).isEqualTo("done");
        assertThat(c.started()).as("recorded with the time it started, not when its history opened")
                .isBetween(before, firstEvent[0]);
        assertThat(c.steps()).extracting(org.pgstaging.job.model.Change.StepTime::step).contains("PG_RESTORE");

        StagingService without = service().recordingTo(() -> {
            throw new org.pgstaging.job.store.JobStoreException("state_dir is not writable", "fix it");
        });
        // an audit, not the change: without a history the restore still runs
        assertThat(without.restore("slowlog.dev", DateSpec.of(OLD), null).database()).isEqualTo("slowlog_20261120");
        assertThat(sandbox.aliasTarget("slowlog")).isEqualTo("slowlog_20261120");
    }

    @Test
    void twoConsolesTakeTurnsOnOneServerAndNoWaitSaysWhoHoldsIt() throws Exception {
        // one restore of turna.dev in the history: waiters behind the next one get an estimated start
        var config = ConfigLoader.load(ini);
        service().recordingTo(() -> org.pgstaging.job.store.ChangeLog.shared(org.pgstaging.job.store.StateLocation.directory(config.stateDir())))
                .restore("turna.dev", DateSpec.parse(OLD.toString()), null);
        gate("turna.dev", "turn_gate");
        Path logA = sandbox.dir.resolve("turna.log");
        Path logB = sandbox.dir.resolve("turnb.log");
        Process a = console(logA, "restore", "turna.dev", "latest");
        Gate.await("console A at its gate", PATIENCE, () -> Gate.reached(sandbox.pg, "turna_20261124"));

        Process b = console(logB, "restore", "turnb.dev", "latest");
        Gate.await("console B waiting behind A", PATIENCE, () -> read(logB).contains("waiting for the server behind restore turna.dev"));
        assertThat(read(logB)).contains("(" + System.getProperty("user.name") + "@").containsPattern("estimated start \\d\\d:\\d\\d");
        assertThat(sandbox.databaseExists("turnb_20261124")).as("B does nothing while A holds the server").isFalse();

        // any other process sees the same queue, read from the server's lock
        Path logQ = sandbox.dir.resolve("turnq.log");
        Process q = console(logQ, "--json", "queue", "turnb.dev");
        assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(q.exitValue()).as(read(logQ)).isZero();
        String queue = read(logQ);
        JsonArray servers = JsonParser.parseString(queue.substring(queue.indexOf('['))).getAsJsonArray();
        assertThat(servers).hasSize(1);
        JsonArray turns = servers.get(0).getAsJsonObject().getAsJsonArray("turns");
        assertThat(turns).hasSize(2);
        assertThat(turns.get(0).getAsJsonObject().get("what").getAsString()).isEqualTo("restore turna.dev latest");
        assertThat(turns.get(0).getAsJsonObject().get("running").getAsBoolean()).isTrue();
        assertThat(turns.get(1).getAsJsonObject().get("what").getAsString()).isEqualTo("restore turnb.dev latest");
        assertThat(turns.get(1).getAsJsonObject().get("by").getAsString()).endsWith("(console)");
        assertThat(turns.get(1).getAsJsonObject().get("estimated_start").isJsonNull()).isFalse();

        // --no-wait: fails at once, naming what runs and who started it; nothing done
        Path logC = sandbox.dir.resolve("turnc.log");
        Process c = console(logC, "--no-wait", "drop", "turna.dev", "oldest");
        assertThat(c.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(c.exitValue()).isEqualTo(4);
        assertThat(read(logC)).contains("is busy: restore turna.dev").contains("(console)");
        assertThatThrownBy(() -> service().actingFor("bob@elsewhere (console)", true).switchTo("turnb.dev", DateSpec.latest()))
                .isInstanceOf(PgStagingException.class);

        Gate.open(sandbox.pg, "turn_gate");
        assertThat(a.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(a.exitValue()).as(read(logA)).isZero();
        assertThat(b.exitValue()).as(read(logB)).isZero();
        assertThat(read(logB)).containsPattern("waiting for the server behind restore turna\\.dev.* ...\\s+\\S+");
        assertThat(sandbox.aliasTarget("turna")).isEqualTo("turna_20261124");
        assertThat(sandbox.aliasTarget("turnb")).isEqualTo("turnb_20261124");
        ungate("turna.dev");
    }

    @Test
    void threeConsolesRacingForOneServerRestoreOneAfterAnother() throws Exception {
        List<String> dbs = List.of("race1", "race2", "race3");
        for (String db : dbs) gate(db + ".dev", "race_gate");
        List<Process> consoles = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        ServerLock lock = new ServerLock(new PostgresServerAddress("127.0.0.1", sandbox.pg.port(), "postgres"), "postgres");
        try (RestoreSampler sampler = RestoreSampler.start(sandbox.pg)) {
            for (String db : dbs) {
                Path log = sandbox.dir.resolve(db + ".log");
                logs.add(log);
                consoles.add(console(log, "restore", db + ".dev", DAY.toString()));
            }
            // all three asked: one holds the server (held at its gate), two wait in line
            Gate.await("one console at its gate and two waiting", PATIENCE, () -> lock.queue().size() == 3
                    && dbs.stream().anyMatch(db -> Gate.reached(sandbox.pg, db + "_20261124")));
            assertThat(dbs.stream().filter(db -> sandbox.databaseExists(db + "_20261124")).count())
                    .as("copies made while one console holds the server").isEqualTo(1);
            Gate.open(sandbox.pg, "race_gate");
            for (int i = 0; i < consoles.size(); i++) {
                assertThat(consoles.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(consoles.get(i).exitValue()).as(read(logs.get(i))).isZero();
            }
            assertThat(sampler.busySamples()).as("the sampler saw the restores").isPositive();
            assertThat(sampler.mostAtOnce()).as("copies restored at one instant").isEqualTo(1);
        } finally {
            for (String db : dbs) ungate(db + ".dev");
        }
        assertThat(logs.stream().filter(l -> read(l).contains("waiting for the server behind")).count())
                .as("two of them said they waited their turn").isEqualTo(2);
        for (String db : dbs) assertThat(sandbox.aliasTarget(db)).isEqualTo(db + "_20261124");
    }

    @Test
    void aRestoreKilledMidwayLeavesAnIncompleteCopyThatNothingSwitchesToAndTheNextRestoreReplaces() throws Exception {
        StagingService s = service();
        s.restore("crashed.dev", DateSpec.parse(OLD.toString()), null);
        gate("crashed.dev", "crashed_gate_never");
        Path log = sandbox.dir.resolve("crashed.log");
        Process killed = console(log, "restore", "crashed.dev", "latest");
        Gate.await("the restore at its gate", PATIENCE, () -> Gate.reached(sandbox.pg, "crashed_20261124"));
        killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);   // SIGKILL: no cleanup of its own
        assertThat(sandbox.databaseExists("crashed_20261124")).isTrue();
        ungate("crashed.dev");

        var config = ConfigLoader.load(ini);
        StagingService next = service().recordingTo(() -> org.pgstaging.job.store.ChangeLog.shared(org.pgstaging.job.store.StateLocation.directory(config.stateDir())));
        assertThat(next.history("crashed.dev", null, 10)).first().satisfies(c -> {
            assertThat(c.outcome()).as("the killed console's change, until the next change of the server").isEqualTo(
                    org.pgstaging.job.model.Change.Outcome.RUNNING);
            assertThat(c.by()).endsWith("(console)");
        });
        assertThat(next.databases("crashed.dev")).extracting(DatabaseInfo::database, DatabaseInfo::incomplete)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("crashed_20261120", false),
                        org.assertj.core.groups.Tuple.tuple("crashed_20261124", true));
        assertThat(next.dbsizes(List.of("crashed.dev"))).filteredOn(DatabaseSize::incomplete)
                .extracting(DatabaseSize::database).containsExactly("crashed_20261124");
        assertThatThrownBy(() -> next.switchTo("crashed.dev", DateSpec.latest())).isInstanceOf(PgStagingException.class)
                .hasMessageContaining("refusing to point crashed at crashed_20261124: its restore did not complete")
                .hasMessageContaining("pgstaging: incomplete (restore of crashed.2026-11-24.dump started");
        assertThat(sandbox.aliasTarget("crashed")).isEqualTo("crashed_20261120");

        List<org.pgstaging.restore.RestoreEvent> events = new ArrayList<>();
        RestoreResult r = next.restore("crashed.dev", DateSpec.latest(), events::add);
        assertThat(r.switched()).isTrue();
        assertThat(sandbox.aliasTarget("crashed")).isEqualTo("crashed_20261124");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(org.pgstaging.restore.RestoreEvent.StepStarted.class,
                st -> assertThat(st.detail()).startsWith("replacing crashed_20261124: a restore that died left it incomplete")));
        assertThat(next.databases("crashed.dev")).noneMatch(DatabaseInfo::incomplete);
        // the history says what happened: the killed restore died, the next one replaced its copy
        List<org.pgstaging.job.model.Change> history = next.history("crashed.dev", null, 10);
        assertThat(history).extracting(c -> c.kind() + " " + c.outcome().code()).startsWith(
                "restore done", "switch failed", "restore died");
        assertThat(history.get(1).error()).contains("its restore did not complete");
        assertThat(history.get(0).steps()).extracting(org.pgstaging.job.model.Change.StepTime::step).contains("CLEANUP", "PG_RESTORE");
    }

    @Test
    void purgeDropsIncompleteCopiesFirstAndKeepsKeepBasesCompleteOnes() throws Exception {
        StagingService s = service();
        s.restore("turnb.dev", DateSpec.parse(OLD.toString()), null);
        sandbox.pg.execute("postgres", "CREATE DATABASE turnb_20261122");
        sandbox.pg.execute("postgres", "COMMENT ON DATABASE turnb_20261122 IS 'pgstaging: incomplete (restore of turnb.2026-11-22.dump"
                + " started 2026-11-30T10:00:00Z by x@y pid 1)'");
        assertThat(s.purge("turnb.dev")).containsExactly("turnb_20261122");
        assertThat(sandbox.databaseExists("turnb_20261120")).as("keep_bases = 2 complete copies kept").isTrue();
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
