package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command line maps to exactly the engine call it should, with parsed dates and validated sections. */
class CommandParsingTest {
    @TempDir Path dir;
    CliHarness cli;
    Path dump;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliHarness(dir);
        dump = Files.writeString(dir.resolve("foodb.2026-11-20.dump"), "PGDMP");
    }

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("restore foodb.dev", "restore foodb.dev -"),
                Arguments.of("restore foodb.dev 2026-11-24", "restore foodb.dev 2026-11-24"),
                Arguments.of("restore foodb.dev 20261124", "restore foodb.dev 2026-11-24"),
                Arguments.of("restore foodb.dev latest", "restore foodb.dev latest"),
                Arguments.of("load foodb.dev {dump}", "load foodb.dev foodb.2026-11-20.dump"),
                Arguments.of("fetch foodb.preprod oldest", "fetch foodb.preprod oldest"),
                Arguments.of("fetch foodb.dev", "fetch foodb.dev -"),
                Arguments.of("createdb foodb.dev today", "createdb foodb.dev today"),
                Arguments.of("drop foodb.dev 2026-11-20", "drop foodb.dev 2026-11-20"),
                Arguments.of("drop foodb.dev", "drop foodb.dev -"),
                Arguments.of("switch bardb.dev 20261124", "switchTo bardb.dev 2026-11-24"),
                Arguments.of("purge foodb.dev", "purge foodb.dev"),
                Arguments.of("vacuumdb foodb.dev", "vacuumdb foodb.dev -"),
                Arguments.of("vacuumdb foodb.dev latest", "vacuumdb foodb.dev latest"),
                Arguments.of("presql foodb.dev", "sourceSql foodb.dev - true"),
                Arguments.of("postsql foodb.dev 2026-11-24", "sourceSql foodb.dev 2026-11-24 false"),
                Arguments.of("init foodb.dev", "initCluster foodb.dev"),
                Arguments.of("dump foodb.dev", "dump foodb.dev - - false"),
                Arguments.of("dump foodb.dev /tmp/x.dump", "dump foodb.dev - /tmp/x.dump false"),
                Arguments.of("redump foodb.dev /tmp/x.dump", "dump foodb.dev - /tmp/x.dump true"),
                Arguments.of("databases foodb.dev", "databases foodb.dev"),
                Arguments.of("backups foodb.dev", "backups foodb.dev false"),
                Arguments.of("backups foodb.dev remote", "backups foodb.dev false"),
                Arguments.of("backups foodb.dev local", "backups foodb.dev true"),
                Arguments.of("backups foodb.dev latest", "backups foodb.dev false"),
                Arguments.of("dbsize foodb.dev", "dbsize foodb.dev -"),
                Arguments.of("dbsize foodb.dev 2026-11-20", "dbsize foodb.dev 2026-11-20"),
                Arguments.of("dbsizes --all", "dbsizes foodb.dev,foodb.preprod,bardb.dev"),
                Arguments.of("dbsizes --match ^foodb", "dbsizes foodb.dev,foodb.preprod"),
                Arguments.of("dbsizes --match dev$", "dbsizes foodb.dev,bardb.dev"),
                Arguments.of("dbsizes bardb.dev foodb.dev", "dbsizes bardb.dev,foodb.dev"),
                Arguments.of("show foodb.dev search_path", "show foodb.dev - search_path"),
                Arguments.of("show foodb.dev oldest work_mem", "show foodb.dev oldest work_mem"),
                Arguments.of("pgbouncer foodb.dev", "pgbouncer foodb.dev"),
                Arguments.of("pgbouncer foodb.dev latest", "pgbouncer foodb.dev"),
                Arguments.of("pause foodb.dev", "pause foodb.dev -"),
                Arguments.of("pause foodb.dev 2026-11-24", "pause foodb.dev 2026-11-24"),
                Arguments.of("resume foodb.dev", "resume foodb.dev -"),
                Arguments.of("catalog foodb.dev", "catalog foodb.dev -"),
                Arguments.of("catalog foodb.dev {dump}", "catalog foodb.dev foodb.2026-11-20.dump"),
                Arguments.of("triggers foodb.dev {dump}", "triggers foodb.dev foodb.2026-11-20.dump"),
                Arguments.of("nodata foodb.dev", "nodata foodb.dev -"),
                Arguments.of("start pgbouncer foodb.dev", "service foodb.dev start"),
                Arguments.of("stop pgbouncer foodb.dev", "service foodb.dev stop"),
                Arguments.of("restart pgbouncer foodb.dev", "service foodb.dev restart"),
                Arguments.of("status pgbouncer foodb.dev", "service foodb.dev status"),
                // global options are accepted after the command too
                Arguments.of("restore foodb.dev -q 2026-11-24", "restore foodb.dev 2026-11-24"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void mapsToEngineCall(String line, String expectedCall) {
        CliHarness.Result r = cli.line(line.replace("{dump}", dump.toString()));
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(cli.ops.calls).containsExactly(expectedCall);
    }

    /** The whole set again, as one script on standard input: same parsing, same calls, in order. */
    @Test
    void sameCommandsInAScript() {
        StringBuilder script = new StringBuilder("# every command, one per line\n\n");
        List<String> expected = new ArrayList<>();
        commands().forEach(a -> {
            script.append(((String) a.get()[0]).replace("{dump}", dump.toString())).append('\n');
            expected.add((String) a.get()[1]);
        });
        cli.stdin = script.toString();
        CliHarness.Result r = cli.run("-");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(cli.ops.calls).containsExactlyElementsOf(expected);
    }

    @Test
    void dryRunAndTmpdirReachTheEngine() {
        CliHarness.Result r = cli.run("-n", "--tmpdir", dir.toString(), "restore", "foodb.dev");
        assertThat(r.code()).isZero();
        assertThat(cli.engineOptions).hasSize(1);
        assertThat(cli.engineOptions.get(0).dryRun()).isTrue();
        assertThat(cli.engineOptions.get(0).tmpdir()).contains(dir);
        // a dry run shows the engine's "would: ..." lines without -v
        assertThat(r.out()).contains("would: CREATE DATABASE \"foodb_20261124\"");
        // and does not report timings of work it did not do
        assertThat(r.out()).contains("dry run, nothing changed: the restore would create foodb_20261124 for [foodb.dev]")
                .doesNotContain("restored").doesNotContain("total");
    }

    @Test
    void withoutDryRunDetailsNeedVerbose() {
        CliHarness.Result quiet = cli.run("restore", "foodb.dev");
        assertThat(cli.engineOptions.get(0).dryRun()).isFalse();
        assertThat(cli.engineOptions.get(0).tmpdir()).isEmpty();
        assertThat(quiet.out()).doesNotContain("would:");
        CliHarness.Result verbose = cli.run("-v", "restore", "foodb.dev");
        assertThat(verbose.out()).contains("would: CREATE DATABASE");
    }

    @Test
    void configFileComesFromEnvironmentOrOption() {
        CliHarness.Result r = cli.run("config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith(cli.config.toString())
                .contains("3 sections: foodb.dev, foodb.preprod, bardb.dev");
    }
}
