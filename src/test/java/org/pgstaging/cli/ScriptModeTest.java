package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.PgStagingException;
import org.pgstaging.config.Section;

/** Commands read from standard input: comments, first failure, --keep-going, quit, session state. */
class ScriptModeTest {
    @TempDir Path dir;
    CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(dir);
    }

    @Test
    void nonTerminalStdinWithoutCommandIsAScript() {
        cli.stdin = "# nightly\n\n   \ncreatedb foodb.dev   # inline comment\n  drop 'foodb.dev' \"2026-11-20\"\n";
        CliHarness.Result r = cli.run();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(cli.ops.calls).containsExactly("createdb foodb.dev -", "drop foodb.dev 2026-11-20");
        assertThat(r.out()).isEqualTo("created database foodb_20261124 and added it to pgbouncer\n"
                + "dropped database foodb_20261120\n");
    }

    @Test
    void stopsAtFirstFailureWithItsExitCodeAndLine() {
        cli.stdin = "createdb foodb.dev\n# a comment\nrestore foodb.dev 2026-02-30\ncreatedb bardb.dev\n";
        CliHarness.Result r = cli.run("-");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("pgstaging: error: line 3: invalid date '2026-02-30'");
        assertThat(cli.ops.calls).containsExactly("createdb foodb.dev -");
    }

    @Test
    void keepGoingRunsEverythingAndReturnsTheFirstFailure() {
        cli.ops.failure = new PgStagingException("cannot reach pgbouncer", "is it running?");
        cli.ops.failWhen = call -> call.startsWith("purge");
        cli.stdin = "purge foodb.dev\nrestor foodb.dev\ncreatedb bardb.dev\n";
        CliHarness.Result r = cli.run("--keep-going", "-");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.ops.calls).containsExactly("purge foodb.dev", "createdb bardb.dev -");
        assertThat(r.err()).contains("line 1: cannot reach pgbouncer").contains("line 2: unknown command 'restor'")
                .contains("did you mean 'restore'");
    }

    @Test
    void quitStopsReading() {
        cli.stdin = "createdb foodb.dev\nquit\ncreatedb bardb.dev\n";
        CliHarness.Result r = cli.run("-");
        assertThat(r.code()).isZero();
        assertThat(cli.ops.calls).containsExactly("createdb foodb.dev -");
    }

    @Test
    void setLastsForTheSessionAndRebuildsTheEngine() {
        cli.stdin = "createdb foodb.dev\nset foodb.dev keep_bases 5\nget foodb.dev keep_bases\npurge foodb.dev\n"
                + "set foodb.dev search_path '\"$user\",' public\nget foodb.dev search_path\n";
        CliHarness.Result r = cli.run("-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("[foodb.dev] keep_bases = 5 (this session only)\n5\n")
                .contains("[foodb.dev] search_path = \"$user\", public (this session only)\n\"$user\", public\n");
        assertThat(cli.engineConfigs).hasSize(2);
        Section after = cli.engineConfigs.get(1).sections().stream().filter(s -> s.name().equals("foodb.dev"))
                .findFirst().orElseThrow();
        assertThat(after.keepBases()).isEqualTo(5);
        // the file itself is untouched
        CliHarness.Result again = cli.line("get foodb.dev keep_bases");
        assertThat(again.out()).isEqualTo("2\n");
    }

    @Test
    void setRejectsUnknownOptions() {
        cli.stdin = "set foodb.dev keep_base 5\n";
        CliHarness.Result r = cli.run("-");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown option 'keep_base'").contains("did you mean 'keep_bases'");
    }

    @Test
    void lineOptionsApplyToThatLineOnly() {
        cli.stdin = "--json createdb foodb.dev\ncreatedb foodb.dev\n-n drop foodb.dev\ndrop foodb.dev\n"
                + "databases -q\n";
        CliHarness.Result r = cli.run("-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("{\"database\":\"foodb_20261124\"}",
                "created database foodb_20261124 and added it to pgbouncer", "dropped database foodb_20261120",
                "dropped database foodb_20261120", "foodb.dev", "foodb.preprod", "bardb.dev");
        assertThat(cli.engineOptions).extracting(o -> o.dryRun()).containsExactly(false, true, false);
    }

    @Test
    void verboseEchoesLinesToStderr() {
        cli.stdin = "createdb foodb.dev\n";
        CliHarness.Result r = cli.run("-v", "-");
        assertThat(r.err()).isEqualTo("+ createdb foodb.dev\n");
    }

    @Test
    void configLoadsAnotherFileAndKeepsTheOldOneOnError() throws IOException {
        Path other = Files.writeString(dir.resolve("other.ini"),
                "[other.dev]\nbackup_base_url = /nightly/\nhost = localhost\n");
        cli.stdin = "config " + dir.resolve("missing.ini") + "\ndatabases -q\nconfig " + other + "\ndatabases -q\n"
                + "config\n";
        CliHarness.Result r = cli.run("--keep-going", "-");
        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.out()).startsWith("foodb.dev\nfoodb.preprod\nbardb.dev\n" + other + "\n")
                .contains("other.dev\n" + other + "\n1 section: other.dev\n");
    }

    @Test
    void unterminatedQuoteIsAUsageError() {
        cli.stdin = "show foodb.dev 'search_path\n";
        CliHarness.Result r = cli.run("-");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("line 1: unterminated single quote");
    }

    @Test
    void lineSplitting() {
        assertThat(LineSplitter.split("  a  'b c'  \"d \\\"e\\\"\" f\\ g # h")).containsExactly("a", "b c", "d \"e\"",
                "f g");
        assertThat(LineSplitter.split("a#b 'c#d'")).containsExactly("a#b", "c#d");
        assertThat(LineSplitter.split("# all comment")).isEmpty();
        assertThat(LineSplitter.split("x ''")).containsExactly("x", "");
    }

    @Test
    void credentialsAreMaskedWhenShown() {
        assertThat(SessionCommands.shown("slack_bot_token", "xoxb-1234")).isEqualTo("********");
        assertThat(SessionCommands.shown("dbpassword", "hunter2")).isEqualTo("********");
        assertThat(SessionCommands.shown("keep_bases", "2")).isEqualTo("2");
    }
}
