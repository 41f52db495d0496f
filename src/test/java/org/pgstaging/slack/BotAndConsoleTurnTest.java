package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.pgstaging.job.store.ChangeLog;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.RestoreSampler;
import org.pgstaging.testkit.StagingSandbox;
import org.pgstaging.testkit.Unprivileged;

/**
 * The bot and a console on one database server, sharing nothing but the server: while the bot's
 * restore holds it, a console restore (another JVM) waits its turn saying it waits for the Slack
 * user's job, then runs; never two restores on the server at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BotAndConsoleTurnTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private StagingSandbox sandbox;
    private Path ini;
    private Path stateDir;
    private JobStore store;
    private QueuedJobService backend;

    @BeforeAll
    void start() throws Exception {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
        sandbox.publishDump("botturn", DAY);
        sandbox.publishDump("conturn", DAY);
        Path pre = Files.createDirectories(sandbox.sqlPath.resolve("botturn.dev/pre"));
        Files.writeString(pre.resolve("00-gate.sql"), Gate.sql("botturn_gate", 120), StandardCharsets.UTF_8);
        Unprivileged.makeReadable(sandbox.sqlPath.resolve("botturn.dev"));
        Unprivileged.makeReadable(pre);
        ini = sandbox.writeConfig("botturn", "approval = none",
                "\n[conturn.dev]\nbackup_base_url = /conturn/\ndbname = conturn\ndbowner = postgres\n");
        stateDir = org.pgstaging.testkit.TempDirs.create("pgstaging-turn-bot");
        store = JobStore.open(stateDir);
        var config = ConfigLoader.load(ini);
        // as the bot command does: its jobs go into the history of the state_dir consoles share
        backend = new QueuedJobService(new StagingService(config, EngineOptions.defaults(), RestoreListener.NONE)
                .recordingTo(() -> ChangeLog.shared(org.pgstaging.job.store.StateLocation.directory(config.stateDir()))), store, java.time.Duration.ofMinutes(10),
                RecordingBackend.ANYONE);
        backend.start();
    }

    @AfterAll
    void stop() {
        if (backend != null) backend.close();
        if (store != null) store.close();
        if (stateDir != null) Unprivileged.deleteTree(stateDir);
        if (sandbox != null) sandbox.close();
    }

    @Test
    void aConsoleRestoreWaitsForTheBotsRestoreOnTheSameServer() throws Exception {
        RestoreSampler sampler = RestoreSampler.start(sandbox.pg);
        JobView job = backend.submit(new JobSubmission(JobKind.RESTORE, "botturn.dev", DateSpec.parse(DAY.toString()), "U0ALICE", "C0STAGING"));
        long id = Long.parseLong(job.id());
        Gate.await("the bot's restore at its gate", PATIENCE, () -> store.get(id).state() == JobState.RUNNING
                && sandbox.databaseExists("botturn_20261124"));

        Path log = sandbox.dir.resolve("conturn.log");
        List<String> argv = new ArrayList<>(List.of("java", "-cp", System.getProperty("java.class.path"), "org.pgstaging.cli.Main",
                "-c", ini.toString(), "restore", "conturn.dev", "latest"));
        Process console = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Gate.await("the console waiting behind the bot", PATIENCE, () -> read(log).contains("waiting for the server behind restore botturn.dev"));
        assertThat(read(log)).contains("Slack user U0ALICE, job #" + id);
        assertThat(sandbox.databaseExists("conturn_20261124")).as("nothing done while the bot holds the server").isFalse();

        Gate.open(sandbox.pg, "botturn_gate");
        assertThat(console.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(console.exitValue()).as(read(log)).isZero();
        Gate.await("the bot's job done", PATIENCE, () -> store.get(id).state() == JobState.DONE);
        sampler.close();
        assertThat(sampler.busySamples()).as("the sampler saw the restores").isPositive();
        assertThat(sampler.mostAtOnce()).as("copies restored at one instant on the server").isEqualTo(1);
        assertThat(sandbox.aliasTarget("conturn")).isEqualTo("conturn_20261124");
        assertThat(sandbox.aliasTarget("botturn")).isEqualTo("botturn_20261124");

        // one history for both, read by another console (another process, while the bot has it open)
        Process history = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), "org.pgstaging.cli.Main",
                "-c", ini.toString(), "--json", "history").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(history.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(history.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var changes = com.google.gson.JsonParser.parseString(json).getAsJsonArray();
        assertThat(changes).hasSize(2);
        var byConsole = changes.get(0).getAsJsonObject();
        var bot = changes.get(1).getAsJsonObject();
        assertThat(byConsole.get("kind").getAsString()).isEqualTo("restore");
        assertThat(byConsole.get("section").getAsString()).isEqualTo("conturn.dev");
        assertThat(byConsole.get("by").getAsString()).endsWith("(console)");
        assertThat(byConsole.get("outcome").getAsString()).isEqualTo("done");
        assertThat(byConsole.get("database").getAsString()).isEqualTo("conturn_20261124");
        assertThat(bot.get("by").getAsString()).isEqualTo("Slack user U0ALICE, job #" + id);
        assertThat(bot.get("outcome").getAsString()).isEqualTo("done");
        assertThat(bot.getAsJsonArray("steps")).extracting(s -> s.getAsJsonObject().get("step").getAsString())
                .contains("create_database", "pre_sql", "pg_restore", "switch");
        assertThat(bot.get("dump_bytes").getAsLong()).isPositive();
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
