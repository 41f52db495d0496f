package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreFailedException;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.SourceDump;
import org.pgstaging.testkit.StagingSandbox;

/**
 * The whole restore workflow on real parts: PostgreSQL, pgbouncer, nginx serving pg_dump files.
 * Each test uses its own dbname so the tests do not depend on each other's order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreEndToEndTest {
    private static final LocalDate OLD = LocalDate.of(2026, 11, 20);
    private static final LocalDate NEW = LocalDate.of(2026, 11, 24);

    private StagingSandbox sandbox;

    @BeforeAll
    void start() {
        sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
    }

    @AfterAll
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private StagingService service(String dbname, List<RestoreEvent> events, String... extra) {
        Path ini = sandbox.writeConfig(dbname, extra);
        return new StagingService(ConfigLoader.load(ini), EngineOptions.defaults(), events::add);
    }

    @Test
    void restoreFiltersSwitchesAndCleansUp() throws Exception {
        sandbox.publishDump("foodb", OLD);
        sandbox.publishDump("foodb", NEW);
        Files.writeString(Files.createDirectories(sandbox.sqlPath.resolve("pre")).resolve("01-pre.sql"),
                "CREATE TABLE public.pre_marker(x int);\n");
        Files.writeString(Files.createDirectories(sandbox.sqlPath.resolve("post")).resolve("01-post.sql"),
                "INSERT INTO public.pre_marker VALUES (42);\n");
        List<RestoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        StagingService s = service("foodb", events, "search_path = app, public");

        RestoreResult r = s.restore("foodb.dev", DateSpec.latest(), null);

        assertThat(r.database()).isEqualTo("foodb_20261124");
        assertThat(r.switched()).isTrue();
        assertThat(sandbox.aliasTarget("foodb")).isEqualTo("foodb_20261124");
        try (Connection c = sandbox.pg.connect("foodb_20261124"); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count(*) FROM pg_namespace WHERE nspname = 'pgq'")).isZero();
            assertThat(count(st, "SELECT count(*) FROM app.event_log")).isZero();
            assertThat(count(st, "SELECT count(*) FROM app.sessions")).isZero();
            assertThat(count(st, "SELECT count(*) FROM audit.changes")).isZero();
            assertThat(count(st, "SELECT count(*) FROM app.customers")).isPositive();
            assertThat(count(st, "SELECT count(*) FROM \"données\".\"Ünïcode table\"")).isPositive();
            assertThat(count(st, "SELECT count(*) FROM pg_trigger WHERE tgname = 'invoices_replicate'")).isZero();
            assertThat(count(st, "SELECT count(*) FROM pg_trigger WHERE tgname = 'invoices_updated_at'")).isOne();
            assertThat(count(st, "SELECT x FROM public.pre_marker")).isEqualTo(42);
            assertThat(count(st, "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
                    + " WHERE d.datname = 'foodb_20261124' AND array_to_string(s.setconfig, ',') LIKE '%search_path=app, public%'"))
                    .isOne();
        }
        try (var files = Files.list(sandbox.tmpdir)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains("foodb")).toList())
                    .as("remove_dump removes the dump and the list").isEmpty();
        }
        List<Step> started = events.stream().filter(e -> e instanceof RestoreEvent.StepStarted)
                .map(e -> ((RestoreEvent.StepStarted) e).step()).toList();
        // streamed: the filtered list is read from the backup's head (and checked) before anything is made
        assertThat(started).containsSubsequence(Step.CATALOG, Step.CREATE_DATABASE, Step.DOWNLOAD,
                Step.PRE_SQL, Step.PG_RESTORE, Step.SEARCH_PATH, Step.VACUUM, Step.POST_SQL, Step.SWITCH, Step.REMOVE_DUMP);
        // with auto_switch the copy's entry comes with the switch, in the same RELOAD
        assertThat(started).doesNotContain(Step.PGBOUNCER_ADD);
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepProgress p && p.step() == Step.PG_RESTORE && p.done() > 0);
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.StepProgress p && p.step() == Step.DOWNLOAD && p.total() > 0);

        // a second, older copy; then listings, switch back and forth, sizes, purge
        Files.delete(sandbox.sqlPath.resolve("pre/01-pre.sql"));
        Files.delete(sandbox.sqlPath.resolve("post/01-post.sql"));
        StagingService s2 = service("foodb", events, "auto_switch = False", "keep_bases = 1");
        RestoreResult older = s2.restore("foodb.dev", DateSpec.parse("2026-11-20"), null);
        assertThat(older.switched()).isFalse();
        assertThat(sandbox.aliasTarget("foodb")).isEqualTo("foodb_20261124");

        List<DatabaseInfo> dbs = s2.databases("foodb.dev");
        assertThat(dbs).extracting(DatabaseInfo::database).containsExactly("foodb_20261120", "foodb_20261124");
        assertThat(dbs).filteredOn(DatabaseInfo::active).extracting(DatabaseInfo::database).containsExactly("foodb_20261124");

        assertThat(s2.switchTo("foodb.dev", DateSpec.oldest())).isEqualTo("foodb_20261120");
        assertThat(sandbox.aliasTarget("foodb")).isEqualTo("foodb_20261120");
        assertThatThrownBy(() -> s2.drop("foodb.dev", DateSpec.parse("20261120")))
                .isInstanceOf(PgStagingException.class).hasMessageContaining("alias foodb points to it");
        s2.switchTo("foodb.dev", DateSpec.latest());

        List<DatabaseSize> sizes = s2.dbsizes(List.of("foodb.dev"));
        assertThat(sizes).hasSize(2).allMatch(d -> d.bytes() > 1_000_000);

        List<String> purged = s2.purge("foodb.dev");
        assertThat(purged).containsExactly("foodb_20261120");
        assertThat(sandbox.databaseExists("foodb_20261120")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile())).doesNotContain("foodb_20261120").contains("[users]");
        assertThat(sandbox.aliasTarget("foodb")).isEqualTo("foodb_20261124");
    }

    @Test
    void brokenDumpLeavesNothingBehind() throws Exception {
        sandbox.publishDump("bardb", OLD);
        Path broken = Files.createTempFile(sandbox.dir, "broken", ".dump");
        byte[] good = Files.readAllBytes(SourceDump.custom());
        Files.write(broken, java.util.Arrays.copyOf(good, good.length * 9 / 10)); // catalog readable, data cut short
        sandbox.publish("bardb", "bardb." + NEW + ".dump", broken);
        StagingService ok = service("bardb", new ArrayList<>());
        ok.restore("bardb.dev", DateSpec.parse("2026-11-20"), null);
        String iniBefore = Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8);
        List<RestoreEvent> events = new ArrayList<>();
        StagingService s = service("bardb", events);

        assertThatThrownBy(() -> s.restore("bardb.dev", DateSpec.parse("2026-11-24"), null))
                .isInstanceOfSatisfying(RestoreFailedException.class, e -> {
                    assertThat(e.step()).as(e.getMessage()).isEqualTo(Step.PG_RESTORE);
                    assertThat(e.cleanup()).contains("dropped database bardb_20261124")
                            .as("pgbouncer is touched only once the copy is complete").doesNotContain("pgbouncer");
                });
        assertThat(sandbox.databaseExists("bardb_20261124")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile(), StandardCharsets.UTF_8)).isEqualTo(iniBefore);
        assertThat(sandbox.aliasTarget("bardb")).isEqualTo("bardb_20261120");
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Failed f && f.step() == Step.PG_RESTORE);
    }

    @Test
    void failingPreSqlIsCleanedUpAndKeepFailedKeepsTheDatabase() throws Exception {
        sandbox.publishDump("bazdb", NEW);
        Path sql = Files.createDirectories(sandbox.dir.resolve("bazsql/bazdb.dev/pre"));
        Files.writeString(sql.resolve("00-broken.sql"), "SELECT * FROM no_such_table;\n");
        StagingService s = service("bazdb", new ArrayList<>(), "sql_path = " + sandbox.dir.resolve("bazsql"));
        assertThatThrownBy(() -> s.restore("bazdb.dev", DateSpec.latest(), null))
                .isInstanceOfSatisfying(RestoreFailedException.class, e -> assertThat(e.step()).isEqualTo(Step.PRE_SQL));
        assertThat(sandbox.databaseExists("bazdb_20261124")).isFalse();
        try (var files = Files.list(sandbox.tmpdir)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains("bazdb")).toList()).isEmpty();
        }

        StagingService keep = service("bazdb", new ArrayList<>(), "sql_path = " + sandbox.dir.resolve("bazsql"),
                "keep_failed = True");
        assertThatThrownBy(() -> keep.restore("bazdb.dev", DateSpec.latest(), null))
                .isInstanceOfSatisfying(RestoreFailedException.class,
                        e -> assertThat(e.cleanup()).contains("kept database bazdb_20261124"));
        assertThat(sandbox.databaseExists("bazdb_20261124")).isTrue();
    }

    @Test
    void badInputIsRejectedBeforeAnySideEffect() throws Exception {
        sandbox.publishDump("quxdb", OLD);
        StagingService s = service("quxdb", new ArrayList<>());
        String iniBefore = Files.readString(sandbox.bouncer.configFile());
        assertThatThrownBy(() -> s.restore("quxdb.dev", DateSpec.parse("2026-11-25"), null))
                .isInstanceOf(PgStagingException.class).hasMessageContaining("quxdb.2026-11-25.dump")
                .satisfies(e -> assertThat(((PgStagingException) e).hint()).contains("2026-11-20"));
        assertThatThrownBy(() -> DateSpec.parse("2026-02-30")).isInstanceOf(PgStagingException.class);
        assertThatThrownBy(() -> s.restore("nosuch.dev", DateSpec.latest(), null))
                .isInstanceOf(PgStagingException.class).hasMessageContaining("nosuch.dev");
        assertThatThrownBy(() -> s.switchTo("quxdb.dev", DateSpec.latest()))
                .isInstanceOf(PgStagingException.class).hasMessageContaining("no dated copy");
        assertThat(sandbox.databaseExists("quxdb_20261125")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile())).isEqualTo(iniBefore);
    }

    @Test
    void aPgbouncerThatCannotTakeTheChangeFailsTheRestoreBeforeItStarts() throws Exception {
        sandbox.publishDump("bncdb", OLD);
        String iniBefore = Files.readString(sandbox.bouncer.configFile());
        int closedPort = org.pgstaging.testkit.PostgresServer.freePort();
        StagingService s = service("bncdb", new ArrayList<>(), "pgbouncer_port = " + closedPort);
        assertThatThrownBy(() -> s.restore("bncdb.dev", DateSpec.parse("2026-11-20"), null))
                .isInstanceOf(PgStagingException.class)
                .hasMessageContaining(String.valueOf(closedPort));
        assertThat(sandbox.databaseExists("bncdb_20261120")).as("nothing created").isFalse();

        Path elsewhere = sandbox.dir.resolve("no-such-dir/pgbouncer.ini");
        StagingService t = service("bncdb", new ArrayList<>(), "pgbouncer_conf = " + elsewhere);
        assertThatThrownBy(() -> t.restore("bncdb.dev", DateSpec.parse("2026-11-20"), null))
                .isInstanceOf(PgStagingException.class)
                .hasMessageContaining(elsewhere.toString());
        assertThat(sandbox.databaseExists("bncdb_20261120")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile())).isEqualTo(iniBefore);
    }

    @Test
    void catalogCommandsReadTheRemoteDumpWithoutDownloadingIt() {
        sandbox.publishDump("catdb", NEW);
        StagingService s = service("catdb", new ArrayList<>());
        StringWriter list = new StringWriter();
        CatalogReport report = s.catalog("catdb.dev", null, list);
        assertThat(report.excludedSchemas()).contains("pgq");
        assertThat(report.nodataTables()).contains("app.event_log", "app.sessions", "audit.changes");
        assertThat(report.droppedTriggers()).anyMatch(t -> t.contains("invoices_replicate"));
        assertThat(list.toString()).contains("TABLE DATA app customers");
        assertThat(s.triggers("catdb.dev", null)).anyMatch(t -> t.trigger().equals("invoices_replicate") && t.dropped());
        assertThat(s.nodata("catdb.dev", null)).contains("billing.payment_log");
        assertThat(sandbox.tmpdir.resolve("catdb.2026-11-24.dump")).doesNotExist();
    }

    @Test
    void dryRunDoesNothing() throws Exception {
        sandbox.publishDump("drydb", NEW);
        Path ini = sandbox.writeConfig("drydb");
        List<RestoreEvent> events = new ArrayList<>();
        StagingService s = new StagingService(ConfigLoader.load(ini),
                new EngineOptions(true, java.util.Optional.empty()), events::add);
        s.restore("drydb.dev", DateSpec.latest(), null);
        assertThat(sandbox.databaseExists("drydb_20261124")).isFalse();
        assertThat(events).anyMatch(e -> e instanceof RestoreEvent.Detail d
                && d.line().startsWith("would: create database drydb_20261124"));
    }

    @Test
    void dropDisconnectsClientsAndSessionsFirst() throws Exception {
        sandbox.publishDump("dropdb", OLD);
        sandbox.publishDump("dropdb", NEW);
        StagingService s = service("dropdb", new ArrayList<>(), "auto_switch = False");
        s.restore("dropdb.dev", DateSpec.parse("2026-11-20"), null);
        s.restore("dropdb.dev", DateSpec.parse("2026-11-24"), null);
        s.switchTo("dropdb.dev", DateSpec.latest());
        try (Connection viaBouncer = sandbox.bouncer.connect("dropdb_20261120");
             Connection direct = sandbox.pg.connect("dropdb_20261120")) {
            viaBouncer.createStatement().execute("SELECT 1");
            direct.createStatement().execute("SELECT 1");
            assertThat(s.drop("dropdb.dev", DateSpec.oldest())).isEqualTo("dropdb_20261120");
        }
        assertThat(sandbox.databaseExists("dropdb_20261120")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile())).doesNotContain("dropdb_20261120");
        assertThat(sandbox.aliasTarget("dropdb")).isEqualTo("dropdb_20261124");
    }

    @Test
    void initLoadsClusterGlobalsFromDumpallUrl() throws Exception {
        Path globals = Files.createTempFile(sandbox.dir, "globals", ".sql");
        Files.writeString(globals, "CREATE ROLE postgres;\nCREATE ROLE pgstaging_e2e_reader NOLOGIN;\n");
        sandbox.publish("clusters", "15-main.globals.sql", globals);
        StagingService s = service("initdb", new ArrayList<>(), "dumpall_url = /clusters/15-main.globals.sql");
        s.initCluster("initdb.dev", null);
        try (Connection c = sandbox.pg.connect("postgres"); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count(*) FROM pg_roles WHERE rolname = 'pgstaging_e2e_reader'")).isOne();
        }
    }

    @Test
    void cancellingARestoreCleansUpEvenWhenInterruptedAgain() throws Exception {
        sandbox.publishDump("canceldb", NEW);
        Path pre = Files.createDirectories(sandbox.dir.resolve("cancelsql/canceldb.dev/pre"));
        Files.writeString(pre.resolve("01-slow.sql"), "SELECT pg_sleep(60);\n");
        StagingService s = service("canceldb", new ArrayList<>(), "sql_path = " + sandbox.dir.resolve("cancelsql"));
        String iniBefore = Files.readString(sandbox.bouncer.configFile());
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                s.restore("canceldb.dev", DateSpec.latest(), null);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!sandbox.databaseExists("canceldb_20261124") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // into the pre SQL
        while (worker.isAlive() && System.nanoTime() < deadline) {
            worker.interrupt(); // a cancel, then impatient repeats while cleaning up
            Thread.sleep(5);
        }
        assertThat(worker.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(RestoreFailedException.class);
        assertThat(((RestoreFailedException) failure.get()).cleanup()).doesNotContain("INCOMPLETE");
        assertThat(sandbox.databaseExists("canceldb_20261124")).isFalse();
        assertThat(Files.readString(sandbox.bouncer.configFile())).isEqualTo(iniBefore);
    }

    @Test
    void dumpDefaultsToPgStagingsNameThatIsNeverTakenForABackup() throws Exception {
        sandbox.publishDump("dumpdb", NEW);
        StagingService s = service("dumpdb", new ArrayList<>());
        s.restore("dumpdb.dev", DateSpec.latest(), null);
        Path dump = s.dump("dumpdb.dev", null, null, false);
        assertThat(dump.getFileName().toString()).isEqualTo("dumpdb.20261124.dump");
        assertThat(s.backups("dumpdb.dev", true)).isEmpty();
        assertThatThrownBy(() -> s.dump("dumpdb.dev", null, null, false))
                .satisfies(e -> assertThat(((PgStagingException) e).hint()).contains("redump"));
        Files.delete(dump);
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
