package org.pgstaging.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.Version;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.config.Section;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.StagingService;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreFailedException;
import org.pgstaging.restore.Step;
import org.pgstaging.restore.TargetRestoreRequest;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.RemoteStaging;
import org.pgstaging.testkit.Unprivileged;

/**
 * A restore on the database server ({@code restore_on = target}) that does not end well: a broken
 * dump, a cancel, the SSH connection lost, the console killed, the client killed. Every time the
 * alias keeps pointing where it did, the half-made database is dropped (by the client, by the
 * console, or by the next pgstaging to use the section) and no run record stays behind. Slow
 * steps are held by a "gate" (pre SQL waiting for a role to exist), so nothing depends on timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TargetRestoreFailuresIT {
    private static final LocalDate OLD = LocalDate.of(2026, 11, 20);
    private static final LocalDate NEW = LocalDate.of(2026, 11, 24);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private RemoteStaging env;

    @BeforeAll
    void start() {
        assumeTrue(Unprivileged.isRoot(), "remote servers need root: dpkg -i of the package, sshd");
        env = RemoteStaging.shared();
    }

    /** A section of {@code dbname} on server b restoring there, its pre SQL waiting for role {@code gate}. */
    private Path config(String dbname, String gate, String... extra) throws Exception {
        env.publishDump(dbname, OLD);
        env.publishDump(dbname, NEW);
        Path sql = env.sqlPath.resolve(dbname);
        Path pre = Files.createDirectories(sql.resolve("pre"));
        Files.writeString(pre.resolve("00-gate.sql"), Gate.sql(gate, 120));
        Unprivileged.makeReadable(sql);
        Unprivileged.makeReadable(pre);
        List<String> lines = new ArrayList<>(List.of("restore_on = target", "sql_path = " + sql));
        lines.addAll(List.of(extra));
        return env.writeConfig(dbname + ".ini", env.defaults() + env.section(dbname + ".b", env.b, dbname, lines.toArray(String[]::new)));
    }

    private void openGate(String gate) {
        Gate.open(env.b.pg(), gate);
    }

    /** A first copy the alias points to, restored with the gate already open. */
    private StagingService withOldCopy(Path ini, String dbname, String gate, List<RestoreEvent> events) {
        StagingService s = new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), events == null ? null : events::add);
        openGate(gate + "_first");
        try {
            Files.writeString(env.sqlPath.resolve(dbname).resolve("pre/00-gate.sql"), Gate.sql(gate + "_first", 120));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        s.restore(dbname + ".b", DateSpec.parse(OLD.toString()), null);
        try {
            Files.writeString(env.sqlPath.resolve(dbname).resolve("pre/00-gate.sql"), Gate.sql(gate, 120));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(env.b.aliasTarget(dbname)).isEqualTo(dbname + "_20261120");
        return s;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Gate.await(what, PATIENCE, condition);
    }

    private void assertCleanedUp(String dbname) throws Exception {
        String fresh = dbname + "_20261124";
        await(fresh + " dropped", () -> !env.b.databaseExists(fresh));
        await("no run record of " + dbname, () -> env.runRecords(dbname).isEmpty());
        assertThat(env.b.aliasTarget(dbname)).isEqualTo(dbname + "_20261120");
        assertThat(env.b.pgbouncerIni()).doesNotContain(fresh);
    }

    @Test
    void aBrokenDumpFailsOnTheServerAndNothingIsSwitched() throws Exception {
        Path ini = config("tbroken", "tbroken_gate");
        StagingService s = withOldCopy(ini, "tbroken", "tbroken_gate", null);
        openGate("tbroken_gate");
        Path dump = env.docroot.resolve("tbroken/tbroken.2026-11-24.dump");
        byte[] all = Files.readAllBytes(dump);
        Files.write(dump, java.util.Arrays.copyOf(all, all.length / 2));
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());

        assertThatThrownBy(() -> s.restore("tbroken.b", DateSpec.latest(), events::add))
                .isInstanceOfSatisfying(RestoreFailedException.class, e -> {
                    // the fixture's dump is mostly catalog: cut in half, it ends inside it, and the
                    // catalog is read before anything is created
                    assertThat(e.step()).isEqualTo(Step.CATALOG);
                    assertThat(e.getMessage()).contains("the archive ends inside its catalog");
                    assertThat(e.cleanup()).contains("nothing to clean up");
                });
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(RestoreEvent.Failed.class));
        assertThat(events).noneMatch(e -> e instanceof RestoreEvent.Completed);
        assertCleanedUp("tbroken");
    }

    @Test
    void aCancelStopsTheRestoreOnTheServerWhichCleansUp() throws Exception {
        Path ini = config("tcancel", "tcancel_gate");
        StagingService s = withOldCopy(ini, "tcancel", "tcancel_gate", null);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread restore = new Thread(() -> {
            try {
                s.restore("tcancel.b", DateSpec.latest(), null);
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        restore.start();
        await("the restore at its gate", () -> Gate.reached(env.b.pg(), "tcancel_20261124"));
        restore.interrupt();
        Throwable t = failure.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(t).isInstanceOfSatisfying(RestoreFailedException.class,
                e -> assertThat(e.cleanup()).contains("dropped database tcancel_20261124"));
        assertCleanedUp("tcancel");
    }

    @Test
    void aLostConnectionFailsTheRestoreOnBothSides() throws Exception {
        Path ini = config("tlost", "tlost_gate");
        StagingService s = withOldCopy(ini, "tlost", "tlost_gate", null);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        new Thread(() -> {
            try {
                s.restore("tlost.b", DateSpec.latest(), null);
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        }).start();
        await("the restore at its gate", () -> Gate.reached(env.b.pg(), "tlost_20261124"));
        // the console's shared connection to 127.0.0.3 dies (as on a network cut): every session over it ends
        Unprivileged.run(List.of("pkill", "-KILL", "-f", "ControlMaster=yes.*127\\.0\\.0\\.3"), null, 30);
        Throwable t = failure.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(t).isInstanceOfSatisfying(RestoreFailedException.class, e -> {
            assertThat(e.getMessage()).contains("stopped without a result");
            assertThat(e.cleanup()).containsPattern("dropped database tlost_20261124|tlost_20261124 was already gone");
        });
        assertCleanedUp("tlost");
    }

    @Test
    void aConsoleKilledMidRestoreLeavesTheServerToCleanUp() throws Exception {
        Path ini = config("tkilled", "tkilled_gate");
        withOldCopy(ini, "tkilled", "tkilled_gate", null);
        Process console = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), "org.pgstaging.cli.Main",
                "-c", ini.toString(), "restore", "tkilled.b", "latest").redirectErrorStream(true)
                .redirectOutput(env.dir.resolve("tkilled-console.log").toFile()).start();
        try {
            await("the restore at its gate", () -> Gate.reached(env.b.pg(), "tkilled_20261124"));
            console.descendants().forEach(ProcessHandle::destroyForcibly);   // as if the machine died: ssh too
            console.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertCleanedUp("tkilled");
        } finally {
            console.destroyForcibly();
        }
    }

    @Test
    void aClientKilledOnTheServerIsCleanedUpByTheNextUseOfTheSection() throws Exception {
        Path ini = config("tdead", "tdead_gate");
        withOldCopy(ini, "tdead", "tdead_gate", null);
        Section section = ConfigLoader.load(ini).section("tdead.b");
        String gate = Files.readString(env.sqlPath.resolve("tdead/pre/00-gate.sql"));
        TargetRestoreRequest request = new TargetRestoreRequest(section.name(), section.values(), NEW, "tdead_20261124",
                List.of(new TargetRestoreRequest.SqlFile("00-gate.sql", gate)), List.of(), null);
        // the client as a console starts it, then killed as by the OOM killer or a reboot: no cleanup of its own
        Process client = new ProcessBuilder("runuser", "-u", RemoteStaging.LOGIN, "--", "/usr/bin/pgstaging-client", "restore",
                "--console-version", Version.current()).redirectErrorStream(true)
                .redirectOutput(env.dir.resolve("tdead-client.log").toFile()).start();
        OutputStream stdin = client.getOutputStream();
        stdin.write((request.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        try {
            await("the restore at its gate", () -> Gate.reached(env.b.pg(), "tdead_20261124"));
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(env.runRecords("tdead")).hasSize(1);
            assertThat(env.b.databaseExists("tdead_20261124")).isTrue();

            List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
            StagingService next = new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), events::add);
            assertThat(next.databases("tdead.b")).extracting(d -> d.database()).containsExactly("tdead_20261120");
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RestoreEvent.StepStarted.class,
                    st -> assertThat(st.detail()).contains("a restore of tdead_20261124 on pgstaging@127.0.0.3")
                            .contains("died before it finished")));
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RestoreEvent.Detail.class,
                    d -> assertThat(d.line()).isEqualTo("dropped database tdead_20261124")));
            assertCleanedUp("tdead");
        } finally {
            client.destroyForcibly();
        }
    }
}
