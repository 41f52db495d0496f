package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.job.StagingService;
import org.pgstaging.testkit.StagingSandbox;

/**
 * The real command line on the real engine: PostgreSQL, pgbouncer and nginx serving pg_dump files.
 * What a DBA types (a script on standard input), what they read back, and what it did to the cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {
    private static final LocalDate OLD = LocalDate.of(2026, 11, 20);
    private static final LocalDate NEW = LocalDate.of(2026, 11, 24);

    private StagingSandbox sandbox;

    record Result(int code, String out, String err) { }

    @BeforeAll
    void start() {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
    }

    @AfterAll
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli cli = new Cli(StagingService::new, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), () -> false, false);
        int code = cli.run(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void scriptRestoresListsSwitchesAndPurges() throws Exception {
        sandbox.publishDump("clidb", OLD);
        sandbox.publishDump("clidb", NEW);
        Path ini = sandbox.writeConfig("clidb", "keep_bases = 1");
        String script = """
                # nightly refresh of clidb
                backups clidb.dev
                restore clidb.dev oldest
                restore clidb.dev latest
                databases clidb.dev
                dbsizes clidb.dev
                switch clidb.dev oldest
                --json databases clidb.dev
                switch clidb.dev latest
                purge clidb.dev
                --json databases clidb.dev
                """;

        Result r = run(script, "-c", ini.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("error");
        List<String> lines = r.out().lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("2026-11-20 +\\S+ \\S+ +clidb\\.2026-11-20\\.dump"))
                .anyMatch(l -> l.matches("2026-11-24 +\\S+ \\S+ +clidb\\.2026-11-24\\.dump"));
        assertThat(lines).contains("restored clidb_20261124 for [clidb.dev]; the pgbouncer alias now points to it");
        // progress of a pipe: one line per step, completed with its time
        assertThat(lines).anyMatch(l -> l.matches("restoring \\d+ items \\.\\.\\. \\d+\\.\\ds"));
        // the human listing marks the active copy, and only it
        assertThat(lines).anyMatch(l -> l.matches("\\* +clidb_20261124 +2026-11-24 +yes +dbname=clidb_20261124 .*"))
                .anyMatch(l -> l.matches(" +clidb_20261120 +2026-11-20 +yes +dbname=clidb_20261120 .*"));
        // sizes of both copies, and their total
        List<String> sizes = lines.stream().filter(l -> l.matches("\\*? +clidb\\.dev +clidb_2026112[04] +[\\d.]+ MB"))
                .toList();
        assertThat(sizes).hasSize(2);
        double sum = sizes.stream().mapToDouble(CliEndToEndTest::megabytes).sum();
        String totalLine = lines.stream().filter(l -> l.strip().startsWith("Total")).findFirst().orElseThrow();
        assertThat(megabytes(totalLine)).isCloseTo(sum, org.assertj.core.data.Offset.offset(0.2));
        assertThat(lines).containsSubsequence("the pgbouncer alias clidb now points to clidb_20261120",
                "the pgbouncer alias clidb now points to clidb_20261124", "dropped database clidb_20261120");

        List<JsonArray> docs = lines.stream().filter(l -> l.startsWith("[")).map(l -> new Gson().fromJson(l,
                JsonArray.class)).toList();
        assertThat(docs).hasSize(2);
        assertThat(active(docs.get(0))).containsExactly("clidb_20261120");
        assertThat(docs.get(0)).hasSize(2);
        JsonObject after = docs.get(1).get(0).getAsJsonObject();
        assertThat(docs.get(1)).hasSize(1);
        assertThat(after.get("database").getAsString()).isEqualTo("clidb_20261124");
        assertThat(after.get("active").getAsBoolean()).isTrue();
        assertThat(after.get("exists_in_postgres").getAsBoolean()).isTrue();

        assertThat(sandbox.aliasTarget("clidb")).isEqualTo("clidb_20261124");
        assertThat(databases("clidb")).containsExactly("clidb_20261124");
        assertThat(Files.readString(sandbox.bouncer.configFile())).doesNotContain("clidb_20261120");
    }

    @Test
    void badInputStopsTheScriptWithItsExitCodeAndCreatesNothing() throws Exception {
        sandbox.publishDump("clibad", NEW);
        Path ini = sandbox.writeConfig("clibad");
        String bouncerBefore = Files.readString(sandbox.bouncer.configFile());

        Result r = run("databases clibad.dev\nrestore clibad.dev 2026-02-30\ncreatedb clibad.dev 2026-11-23\n",
                "-c", ini.toString());

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("pgstaging: error: line 2: invalid date '2026-02-30'")
                .contains("hint: use YYYY-MM-DD");
        // the line after the failure did not run, and nothing was created
        assertThat(databases("clibad")).isEmpty();
        assertThat(Files.readString(sandbox.bouncer.configFile())).isEqualTo(bouncerBefore);

        Result missing = run("", "-c", ini.toString(), "restore", "clibad.dev", "2026-11-22");
        assertThat(missing.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(missing.err()).contains("clibad.2026-11-22.dump").contains("hint:").contains("2026-11-24");
        assertThat(databases("clibad")).isEmpty();

        Result section = run("", "-c", ini.toString(), "restore", "clibad.dv", "latest");
        assertThat(section.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(section.err()).contains("unknown section 'clibad.dv'").contains("clibad.dev");

        Result config = run("", "-c", sandbox.dir.resolve("no-such.ini").toString(), "databases");
        assertThat(config.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(config.err()).contains("no-such.ini");
        assertThat(databases("clibad")).isEmpty();
        assertThat(Files.readString(sandbox.bouncer.configFile())).isEqualTo(bouncerBefore);
    }

    private static double megabytes(String line) {
        String[] words = line.strip().split(" +");
        assertThat(words[words.length - 1]).isEqualTo("MB");
        return Double.parseDouble(words[words.length - 2]);
    }

    private static List<String> active(JsonArray dbs) {
        List<String> names = new ArrayList<>();
        for (JsonElement e : dbs) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("active").getAsBoolean()) names.add(o.get("database").getAsString());
        }
        return names;
    }

    /** The dated copies of {@code dbname} in PostgreSQL, by name. */
    private List<String> databases(String dbname) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = sandbox.pg.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname ~ '^" + dbname
                     + "_[0-9]{8}$' ORDER BY datname")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }
}
