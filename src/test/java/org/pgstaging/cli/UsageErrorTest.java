package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pgstaging.PgStagingException;
import org.pgstaging.config.ConfigException;

/** Bad input gives exit 2 with a message and a hint, and never reaches the engine; failures map to 1, 3, 130. */
class UsageErrorTest {
    @TempDir Path dir;
    CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(dir);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "restore foodb.dev 2026-02-30 | invalid date '2026-02-30': no such day in the calendar | YYYY-MM-DD",
            "restore foodb.dev yesterday  | invalid date 'yesterday': not a date | today, latest or oldest",
            "drop foodb.dev 2026-1-5      | invalid date '2026-1-5'              | YYYYMMDD",
            "show foodb.dev 2026-13-01 work_mem | invalid date '2026-13-01'      | YYYY-MM-DD",
            "restore foodb.devv           | unknown section 'foodb.devv'         | did you mean 'foodb.dev'?",
            "purge fodb.preprod           | unknown section 'fodb.preprod'       | did you mean 'foodb.preprod'",
            "dbsizes foodb.dev nosuch     | unknown section 'nosuch'             | sections: foodb.dev, foodb.preprod, bardb.dev",
            "restor foodb.dev             | unknown command 'restor'             | did you mean 'restore'",
            "dbsise foodb.dev             | unknown command 'dbsise'             | did you mean 'dbsize'",
            "pgbounce foodb.dev           | unknown command 'pgbounce'           | did you mean 'pgbouncer'?",
            "restore                      | restore: missing SECTION              | usage: restore SECTION [DATE]",
            "load foodb.dev               | load: missing FILE                   | usage: load SECTION FILE",
            "restore foodb.dev today x    | restore: unexpected argument 'x'     | usage: restore SECTION [DATE]",
            "backups foodb.dev lastest    | invalid selection 'lastest'          | did you mean 'latest'?",
            "pgbouncer foodb.dev newest   | invalid selection 'newest'           | use one of: oldest, latest",
            "start londiste foodb.dev     | invalid service 'londiste'           | use one of: pgbouncer",
            "dbsizes                      | dbsizes needs sections               | dbsizes --all",
            "dbsizes --all foodb.dev      | dbsizes takes only one of             | --match RE",
            "dbsizes --match ([            | invalid regular expression '(['       | Java regular expression",
            "dbsizes --match ^zzz         | no section matches '^zzz'            | sections: foodb.dev",
            "load foodb.dev /no/such.dump | dump file '/no/such.dump' is not a readable file | check the path",
            "catalog foodb.dev /no/such.dump | dump file '/no/such.dump' is not a readable file | check the path",
            "show foodb.dev 'a;b'         | invalid setting name 'a;b'           | search_path",
            "get foodb.dev keep_base      | no option 'keep_base' in [foodb.dev] | did you mean 'keep_bases'?",
            "get foodb.dev frobnicate     | unknown option 'frobnicate'          | pgstaging.ini(5)",
            "get foodb.dev dumpall_url    | no option 'dumpall_url' in [foodb.dev] | built-in default applies",
            "set foodb.dev keep_bases 3   | 'set' only lasts for a console or script session | pgstaging - < FILE",
            "verbose                      | 'verbose' is a console command       | use -v",
            "frobnicate foodb.dev         | unknown command 'frobnicate'         | 'pgstaging help' lists the commands",
            "help restor                  | unknown command 'restor'             | did you mean 'restore'",
            "-v -q databases              | -v and -q contradict each other      | use one of them",
            "--tmpdir /no/such/dir fetch foodb.dev | --tmpdir /no/such/dir is not a writable directory | create it",
            "restore foodb.dev --frobnicate | restore: unknown option: '--frobnicate' | usage: restore SECTION [DATE]",
    })
    void usageErrorsExitTwoAndDoNothing(String line, String message, String hint) {
        CliHarness.Result r = cli.line(line);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("pgstaging: error: ").contains(message);
        assertThat(r.err()).containsPattern("(?m)^hint: .*" + java.util.regex.Pattern.quote(hint));
        assertThat(cli.ops.calls).isEmpty();
        assertThat(r.err()).doesNotContain("\tat ");  // no stack trace without --debug
    }

    @Test
    void unknownCommandWithoutSuggestionPointsToHelp() {
        CliHarness.Result r = cli.line("frobnicate foodb.dev");
        assertThat(r.err()).contains("\nhint: 'pgstaging help' lists the commands\n");
    }

    @Test
    void dateIsCheckedBeforeSection() {
        CliHarness.Result r = cli.line("restore nosuch 2026-99-99");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("invalid date");
        assertThat(cli.engineOptions).isEmpty();  // the engine was not even built
    }

    @Test
    void missingConfigurationExitsThree() {
        CliHarness.Result r = cli.runRaw("-c", dir.resolve("absent.ini").toString(), "restore", "foodb.dev");
        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("absent.ini").contains("hint: ");
    }

    @Test
    void engineFailureExitsOneWithItsHint() {
        cli.ops.failure = new PgStagingException("pg_restore failed on foodb_20261124: out of disk space",
                "free space in /var/lib/postgresql, then run restore again");
        CliHarness.Result r = cli.line("restore foodb.dev");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).isEqualTo("pgstaging: error: pg_restore failed on foodb_20261124: out of disk space\n"
                + "hint: free space in /var/lib/postgresql, then run restore again\n");
    }

    @Test
    void configurationErrorFromTheEngineExitsThree() {
        cli.ops.failure = new ConfigException("'x' is not an integer", null, "foodb.dev", "keep_bases", 0,
                "write a whole number");
        CliHarness.Result r = cli.line("purge foodb.dev");
        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("[foodb.dev] keep_bases: 'x' is not an integer");
    }

    @Test
    void unexpectedErrorsPointToDebugAndDebugPrintsTheTrace() {
        cli.ops.failure = new IllegalStateException("boom");
        CliHarness.Result r = cli.line("purge foodb.dev");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("unexpected IllegalStateException: boom").contains("--debug")
                .doesNotContain("\tat ");
        CliHarness.Result debug = cli.line("--debug purge foodb.dev");
        assertThat(debug.err()).contains("java.lang.IllegalStateException: boom").contains("\tat ");
    }

    @Test
    void suggestionsRankNearestFirst() {
        assertThat(Suggestions.nearest("restor", CommandRegistry.names())).first().isEqualTo("restore");
        assertThat(Suggestions.nearest("zzzzzzzz", CommandRegistry.names())).isEmpty();
        assertThat(Suggestions.didYouMean("swich", CommandRegistry.names())).startsWith("did you mean 'switch'");
    }
}
