package org.pgstaging.cli;

import org.pgstaging.TextTable;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Human tables (alignment, sizes, the active marker, totals) and the --json shapes. */
class OutputFormatTest {
    @TempDir Path dir;
    CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(dir);
    }

    @Test
    void humanSizesAreOneDecimal1024Based() {
        assertThat(Human.size(0)).isEqualTo("0 bytes");
        assertThat(Human.size(1023)).isEqualTo("1023 bytes");
        assertThat(Human.size(1536)).isEqualTo("1.5 kB");
        assertThat(Human.size(1_288_490_189L)).isEqualTo("1.2 GB");
        assertThat(Human.size(5L * 1024 * 1024 * 1024 * 1024)).isEqualTo("5.0 TB");
        assertThat(Human.size(-1)).isEqualTo("-");
        assertThat(Human.rate(40_000_000)).isEqualTo("38.1 MB/s");
    }

    @Test
    void durations() {
        assertThat(Human.duration(Duration.ofMillis(350))).isEqualTo("0.4s");
        assertThat(Human.duration(Duration.ofMillis(32_100))).isEqualTo("32.1s");
        assertThat(Human.duration(Duration.ofSeconds(125))).isEqualTo("2m05s");
        assertThat(Human.duration(Duration.ofSeconds(3723))).isEqualTo("1h02m03s");
        assertThat(Human.duration(null)).isEqualTo("-");
        assertThat(Human.clock(42)).isEqualTo("0:42");
        assertThat(Human.clock(3723)).isEqualTo("1:02:03");
    }

    @Test
    void tableAlignsColumnsAndRightAlignsNumbers() {
        TextTable t = new TextTable("NAME", "SIZE").alignRight(1);
        t.row("a", "1.0 GB").row("longer_name", "12 bytes").footer("Total", "1.0 GB");
        assertThat(t.lines(true)).containsExactly(
                "NAME             SIZE",
                "a              1.0 GB",
                "longer_name  12 bytes",
                "Total          1.0 GB");
        assertThat(t.lines(false)).hasSize(3).first().isEqualTo("a              1.0 GB");
    }

    @Test
    void dbsizesTableMarksActiveAndTotals() {
        CliHarness.Result r = cli.line("dbsizes --match ^foodb");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "   SECTION        DATABASE          SIZE",
                "   foodb.dev      foodb_20261120  1.0 GB",
                "*  foodb.dev      foodb_20261124  2.0 GB",
                "   foodb.dev      foodb_20261125       -",
                "   foodb.preprod  foodb_20261120  1.0 GB",
                "*  foodb.preprod  foodb_20261124  2.0 GB",
                "   foodb.preprod  foodb_20261125       -",
                "   Total                          6.0 GB");
    }

    @Test
    void dbsizesJson() {
        JsonObject o = json(cli.line("--json dbsizes foodb.dev")).getAsJsonObject();
        assertThat(o.get("total_bytes").getAsLong()).isEqualTo(3L * 1024 * 1024 * 1024);
        assertThat(o.get("total").getAsString()).isEqualTo("3.0 GB");
        JsonArray dbs = o.getAsJsonArray("databases");
        assertThat(dbs).hasSize(3);
        JsonObject active = dbs.get(1).getAsJsonObject();
        assertThat(active.get("database").getAsString()).isEqualTo("foodb_20261124");
        assertThat(active.get("active").getAsBoolean()).isTrue();
        assertThat(active.get("bytes").getAsLong()).isEqualTo(2_147_483_648L);
        assertThat(active.get("section").getAsString()).isEqualTo("foodb.dev");
        assertThat(dbs.get(2).getAsJsonObject().get("bytes").isJsonNull()).isTrue();
    }

    @Test
    void databasesOfASectionMarkTheActiveCopy() {
        CliHarness.Result r = cli.line("databases foodb.dev");
        assertThat(r.out().lines()).containsExactly(
                "   DATABASE        DATE        IN POSTGRES  PGBOUNCER",
                "   foodb_20261120  2026-11-20  yes          host=localhost port=5432 dbname=foodb_20261120",
                "*  foodb_20261124  2026-11-24  yes          host=localhost port=5432 dbname=foodb_20261124");
        JsonArray a = json(cli.line("databases foodb.dev --json")).getAsJsonArray();
        JsonObject first = a.get(0).getAsJsonObject();
        assertThat(first.keySet()).containsExactly("section", "database", "date", "active", "exists_in_postgres", "incomplete",
                "pgbouncer_entry");
        assertThat(first.get("date").getAsString()).isEqualTo("2026-11-20");
        assertThat(a.get(1).getAsJsonObject().get("active").getAsBoolean()).isTrue();
    }

    @Test
    void historyShowsWhoDidWhatAndHowItEnded() {
        CliHarness.Result r = cli.line("history foodb.dev --since 2026-11-01 --limit 5");
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("#   STARTED").contains("BY").contains("WHAT").contains("OUTCOME").contains("TOOK");
        assertThat(lines.get(1)).contains("alice@console1 (console)").contains("restore foodb.dev 2026-11-24").contains("done")
                .contains("3m05s").contains("foodb_20261124");
        assertThat(lines.get(2)).contains("Slack user U0ALICE").contains("failed: refusing to drop foodb_20261124");
        assertThat(cli.ops.calls).contains("history foodb.dev 2026-11-01 5");
        JsonArray a = json(cli.line("history --json")).getAsJsonArray();
        JsonObject first = a.get(0).getAsJsonObject();
        assertThat(first.get("by").getAsString()).isEqualTo("alice@console1 (console)");
        assertThat(first.get("seconds").getAsDouble()).isEqualTo(185.0);
        assertThat(first.getAsJsonArray("steps").get(0).getAsJsonObject().get("step").getAsString()).isEqualTo("download");
        assertThat(a.get(1).getAsJsonObject().get("hint").getAsString()).isEqualTo("switch first");
        assertThat(cli.line("history --limit 0").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.line("history --since yesterday").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void queueShowsWhatRunsAndWaitsPerServer() {
        CliHarness.Result r = cli.line("queue foodb.dev");
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("SERVER").contains("WHAT").contains("BY").contains("SINCE").contains("START");
        assertThat(lines.get(1)).startsWith("127.0.0.1:5432").contains("running").contains("restore foodb.dev 2026-11-24")
                .contains("alice@stage1 (console)");
        assertThat(lines.get(2)).startsWith(" ").contains(" 1 ").contains("switch foodb.dev latest").contains("~");
        assertThat(cli.ops.calls).contains("activity [foodb.dev]");
        JsonArray a = json(cli.line("queue --json")).getAsJsonArray();
        JsonObject server = a.get(0).getAsJsonObject();
        assertThat(server.get("server").getAsString()).isEqualTo("127.0.0.1:5432");
        JsonArray turns = server.getAsJsonArray("turns");
        assertThat(turns.get(0).getAsJsonObject().get("running").getAsBoolean()).isTrue();
        assertThat(turns.get(1).getAsJsonObject().get("position").getAsInt()).isEqualTo(1);
        assertThat(turns.get(1).getAsJsonObject().get("estimated_start").getAsString()).isEqualTo("2026-11-24T09:30:00Z");
        assertThat(cli.line("queue nosuch.dev").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void sectionsListing() {
        assertThat(cli.line("databases").out().lines()).containsExactly(
                "SECTION        DBNAME  HOST",
                "foodb.dev      foodb   localhost",
                "foodb.preprod  foodb   preprod.example.org",
                "bardb.dev      bardb   localhost");
        assertThat(cli.line("-q databases").out().lines()).containsExactly("foodb.dev", "foodb.preprod", "bardb.dev");
    }

    @Test
    void backupsSortedSelectionAndUnknownSizes() {
        assertThat(cli.line("backups foodb.dev").out().lines()).containsExactly(
                "DATE          SIZE  FILE",
                "2026-11-23  1.2 GB  foodb.2026-11-23.dump",
                "2026-11-24  1.3 GB  foodb.2026-11-24.dump",
                "2026-11-22       -  foodb.2026-11-22.dump");
        assertThat(cli.line("-q backups foodb.dev latest").out().lines())
                .containsExactly("2026-11-24  1.3 GB  foodb.2026-11-24.dump");
        assertThat(cli.line("-q backups foodb.dev oldest").out().lines())
                .containsExactly("2026-11-22  -  foodb.2026-11-22.dump");
        JsonObject b = json(cli.line("--json backups foodb.dev latest")).getAsJsonArray().get(0).getAsJsonObject();
        assertThat(b.get("file").getAsString()).isEqualTo("foodb.2026-11-24.dump");
        assertThat(b.get("bytes").getAsLong()).isEqualTo(1_395_864_371L);
        assertThat(b.get("location").getAsString()).isEqualTo("http://backups/PostgreSQL/nightly/foodb.2026-11-24.dump");
    }

    @Test
    void pgbouncerMarksTheAliasTargetAndPicksLatest() {
        assertThat(cli.line("pgbouncer foodb.dev").out().lines()).containsExactly(
                "   NAME            DATABASE        HOST:PORT       PAUSED",
                "   foodb           foodb_20261124  localhost:5432",
                "   foodb_20261120  foodb_20261120  localhost:5432",
                "*  foodb_20261124  foodb_20261124  localhost:5432  yes");
        assertThat(cli.line("-q pgbouncer foodb.dev oldest").out().lines())
                .containsExactly("  foodb_20261120  foodb_20261120  localhost:5432");
        JsonObject latest = json(cli.line("--json pgbouncer foodb.dev latest")).getAsJsonArray().get(0)
                .getAsJsonObject();
        assertThat(latest.get("name").getAsString()).isEqualTo("foodb_20261124");
        assertThat(latest.get("active").getAsBoolean()).isTrue();
        assertThat(latest.get("paused").getAsBoolean()).isTrue();
    }

    @Test
    void restoreSummaryQuietAndJson() {
        CliHarness.Result human = cli.line("restore foodb.dev");
        assertThat(human.out()).contains(
                "restored foodb_20261124 for [foodb.dev]; the pgbouncer alias now points to it\n"
                        + "  download  1m12s\n"
                        + "  restore   5m03s\n"
                        + "  vacuum    32.1s\n"
                        + "  total     6m50s\n");
        assertThat(cli.line("-q restore foodb.dev").out()).isEqualTo("foodb_20261124\n");
        JsonObject o = json(cli.line("--json restore foodb.dev")).getAsJsonObject();
        assertThat(o.keySet()).containsExactly("section", "database", "switched", "download_seconds",
                "restore_seconds", "vacuum_seconds", "total_seconds");
        assertThat(o.get("vacuum_seconds").getAsDouble()).isEqualTo(32.1);
        assertThat(o.get("switched").getAsBoolean()).isTrue();
    }

    @Test
    void jsonStdoutCarriesOnlyTheDocument() {
        CliHarness.Result r = cli.line("--json restore foodb.dev");
        assertThat(r.out().lines()).hasSize(1);
        // progress went to stderr instead
        assertThat(r.err()).contains("creating database");
    }

    @Test
    void singleValuesAndLists() {
        assertThat(cli.line("createdb foodb.dev").out())
                .isEqualTo("created database foodb_20261124 and added it to pgbouncer\n");
        assertThat(cli.line("-q createdb foodb.dev").out()).isEqualTo("foodb_20261124\n");
        assertThat(json(cli.line("--json createdb foodb.dev")).getAsJsonObject().get("database").getAsString())
                .isEqualTo("foodb_20261124");
        assertThat(cli.line("purge foodb.dev").out())
                .isEqualTo("dropped database foodb_20261101\ndropped database foodb_20261102\n");
        assertThat(cli.line("-q purge foodb.dev").out()).isEqualTo("foodb_20261101\nfoodb_20261102\n");
        assertThat(cli.line("switch foodb.dev").out()).startsWith("the pgbouncer alias foodb now points to foodb_");
        assertThat(json(cli.line("--json purge foodb.dev")).getAsJsonObject().getAsJsonArray("dropped"))
                .hasSize(2);
        assertThat(cli.line("show foodb.dev search_path").out()).isEqualTo("search_path = \"$user\", public\n");
        assertThat(cli.line("-q show foodb.dev search_path").out()).isEqualTo("\"$user\", public\n");
        assertThat(cli.line("status pgbouncer foodb.dev").out()).isEqualTo("pgbouncer is running\n");
        assertThat(cli.line("dbsize foodb.dev").out().lines())
                .containsExactly("   DATABASE          SIZE", "*  foodb_20261124  1.2 GB");
    }

    @Test
    void catalogStaysAValidListFile() throws IOException {
        Path dump = Files.writeString(dir.resolve("foodb.2026-11-24.dump"), "PGDMP");
        CliHarness.Result r = cli.line("catalog foodb.dev " + dump);
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("; Archive created at 2026-11-24\n3; 2615 2200 SCHEMA - public postgres\n");
        // every added line is a pg_restore list comment
        assertThat(r.out().lines().skip(2)).allMatch(l -> l.startsWith(";"))
                .contains("; pgstaging: kept 97 of 120 entries", "; excluded schemas: pgq",
                        "; left out for what it needs: CAST CAST (pgq.ticket AS text) needs TYPE pgq.ticket");
        JsonObject o = json(cli.line("--json catalog foodb.dev " + dump)).getAsJsonObject();
        assertThat(o.get("kept").getAsInt()).isEqualTo(97);
        assertThat(o.getAsJsonArray("nodata_tables").get(0).getAsString()).isEqualTo("public.audit");
        assertThat(o.getAsJsonArray("dependency_drops").get(0).getAsString()).startsWith("CAST");
        assertThat(o.getAsJsonArray("conflicts")).isEmpty();
    }

    @Test
    void catalogTriggersAndNodataTakeADirectoryDumpAsRestoreDoes() throws IOException {
        Path dumpDir = Files.createDirectories(dir.resolve("foodb.2026-11-24.dir"));
        Files.writeString(dumpDir.resolve("toc.dat"), "PGDMP");
        for (String verb : List.of("catalog", "triggers", "nodata")) {
            assertThat(cli.line(verb + " foodb.dev " + dumpDir).code()).as(verb).isZero();
            assertThat(cli.ops.calls).anyMatch(c -> c.startsWith(verb + " foodb.dev") && c.contains("foodb.2026-11-24.dir"));
        }
        Path empty = Files.createDirectories(dir.resolve("not-a-dump"));
        CliHarness.Result r = cli.line("catalog foodb.dev " + empty);
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("has no readable toc.dat").contains("pg_dump -Fd");
    }

    @Test
    void triggersTable() {
        assertThat(cli.line("triggers foodb.dev").out().lines()).containsExactly(
                "SCHEMA  TABLE   TRIGGER       FUNCTION          DROPPED",
                "public  orders  orders_audit  audit.log_change",
                "public  t       t_trg         pgq.logtriga      yes");
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        CliHarness.Result r = cli.line("help");
        for (String name : CommandRegistry.names()) {
            if (name.equals("commands") || name.equals("exit")) continue;  // aliases, shown with their command
            assertThat(r.out()).as(name).containsPattern("(?m)^  " + name + "\\b");
        }
        assertThat(r.out()).contains("Exit codes: 0 ok, 1 operation failed, 2 usage error")
                .contains("3 configuration error, 4 server busy (--no-wait), 130 interrupted");
        assertThat(cli.line("help restore").out()).contains("Usage: pgstaging restore").contains("SECTION [DATE]");
        assertThat(cli.line("commands").out()).isEqualTo(r.out());
    }

    private static JsonElement json(CliHarness.Result r) {
        assertThat(r.code()).as(r.err()).isZero();
        return JsonParser.parseString(r.out());
    }
}
