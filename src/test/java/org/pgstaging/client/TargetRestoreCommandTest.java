package org.pgstaging.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.PgStagingException;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.config.Section;
import org.pgstaging.host.LocalHost;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;
import org.pgstaging.restore.TargetProtocol;
import org.pgstaging.restore.TargetRestoreRequest;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.StagingSandbox;

/**
 * The server side of a restore next to the data, in-process against the test PostgreSQL and an
 * nginx: what it refuses, and that it stops and cleans up when the console falls silent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TargetRestoreCommandTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    private StagingSandbox sandbox;
    @TempDir Path runs;

    @BeforeAll
    void start() {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
        sandbox.publishDump("tgtcmd", DAY);
    }

    @AfterAll
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private Map<String, String> options() {
        Section s = ConfigLoader.load(sandbox.writeConfig("tgtcmd")).section("tgtcmd.dev");
        return new LinkedHashMap<>(s.values());
    }

    private TargetRestoreCommand command(InputStream in, ByteArrayOutputStream out, Duration silence) {
        return new TargetRestoreCommand(new LocalHost(), new RunRecords(runs), in, out, silence);
    }

    private static InputStream request(TargetRestoreRequest r) {
        return new ByteArrayInputStream((r.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSilentConsoleStopsTheRestoreWhichCleansUp() throws Exception {
        TargetRestoreRequest r = new TargetRestoreRequest("tgtcmd.dev", options(), DAY, "tgtcmd_20261124",
                List.of(new TargetRestoreRequest.SqlFile("00-gate.sql", Gate.sql("tgtcmd_never", 60))), List.of(), null);
        // the console sends its request, then nothing (no ping), and its end never closes
        PipedOutputStream console = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(console, 1 << 20);
        console.write((r.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        console.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = command(in, out, Duration.ofSeconds(2)).run();

        assertThat(exit).isEqualTo(1);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.stream().map(TargetProtocol::decode)).anySatisfy(o -> assertThat(o)
                .isInstanceOfSatisfying(RestoreEvent.StepStarted.class, s -> assertThat(s.step()).isEqualTo(Step.PRE_SQL)));
        assertThat(TargetProtocol.decode(lines.get(lines.size() - 1))).isInstanceOfSatisfying(TargetProtocol.Error.class,
                e -> assertThat(e.cleanup()).contains("dropped database tgtcmd_20261124"));
        assertThat(sandbox.databaseExists("tgtcmd_20261124")).isFalse();
        assertThat(new RunRecords(runs).list("tgtcmd")).isEmpty();
        console.close();
    }

    @Test
    void onlyHttpSourcesAndTheDatabaseOfTheDateAreAccepted() {
        Map<String, String> local = options();
        local.put("backup_host", "");
        local.put("backup_base_url", sandbox.docroot.resolve("tgtcmd").toString());
        TargetRestoreRequest fromDisk = new TargetRestoreRequest("tgtcmd.dev", local, DAY, "tgtcmd_20261124", List.of(), List.of(), null);
        assertThatThrownBy(() -> command(request(fromDisk), new ByteArrayOutputStream(), Duration.ofSeconds(60)).run())
                .isInstanceOf(ClientUsageException.class).hasMessageContaining("refusing backup_base_url");
        TargetRestoreRequest otherName = new TargetRestoreRequest("tgtcmd.dev", options(), DAY, "postgres", List.of(), List.of(), null);
        assertThatThrownBy(() -> command(request(otherName), new ByteArrayOutputStream(), Duration.ofSeconds(60)).run())
                .isInstanceOf(PgStagingException.class).hasMessageContaining("names database postgres but tgtcmd on 2026-11-24 is tgtcmd_20261124");
        Map<String, String> bad = options();
        bad.put("restore_jobs", "0");
        TargetRestoreRequest invalid = new TargetRestoreRequest("tgtcmd.dev", bad, DAY, "tgtcmd_20261124", List.of(), List.of(), null);
        assertThatThrownBy(() -> command(request(invalid), new ByteArrayOutputStream(), Duration.ofSeconds(60)).run())
                .isInstanceOf(PgStagingException.class).hasMessageContaining("restore_jobs");
        assertThat(sandbox.databaseExists("tgtcmd_20261124")).isFalse();
    }
}
