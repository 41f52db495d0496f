package org.pgstaging.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.host.LocalHost;
import org.pgstaging.testkit.PgbouncerServer;
import org.pgstaging.testkit.PostgresServer;

/** Against a real pgbouncer in front of a real PostgreSQL: every change is checked by connecting through pgbouncer. */
class PgbouncerTest {
    private static final Path PSQL = PostgresServer.DEFAULT_BIN_DIR.resolve("psql");
    private static PostgresServer pg;
    private static PgbouncerServer bouncer;
    private static Pgbouncer pgbouncer;

    @BeforeAll
    static void start() {
        pg = PostgresServer.shared();
        bouncer = PgbouncerServer.start(pg);
        pgbouncer = new Pgbouncer(new LocalHost(), bouncer.configFile(), console(bouncer.port()));
    }

    @AfterAll
    static void stop() {
        if (bouncer != null) {
            bouncer.close();
        }
    }

    private static PgbouncerConsole console(int port) {
        return new PgbouncerConsole(new LocalHost(), PSQL, "127.0.0.1", port, "postgres", null);
    }

    private static String connstr(String db) {
        return "host=127.0.0.1 port=" + pg.port() + " dbname=" + db;
    }

    private static String currentDatabaseThroughPgbouncer(String name) throws SQLException {
        try (Connection c = bouncer.connect(name); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String config() throws Exception {
        return Files.readString(bouncer.configFile());
    }

    @Test
    void concurrentEditsThroughSeparateObjectsAreAllKept() throws Exception {
        // two sections sharing one pgbouncer.ini each have their own Pgbouncer: the file lock, not
        // the object, must keep read-edit-write-reload whole
        Pgbouncer other = new Pgbouncer(new LocalHost(), bouncer.configFile(), console(bouncer.port()));
        List<String> names = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Pgbouncer p : List.of(pgbouncer, other)) {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < 5; i++) mine.add("pgbt_conc" + names.size() / 5 + "_" + i + "_20261124");
            names.addAll(mine);
            threads.add(new Thread(() -> {
                try {
                    for (String n : mine) p.addDatabase(n, connstr("postgres"));
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join(60_000);
        assertThat(failures).isEmpty();
        assertThat(pgbouncer.entries().keySet()).containsAll(names);
        assertThat(pgbouncer.showDatabases()).extracting(DatabaseRow::name).containsAll(names);
        Path lock = bouncer.configFile().resolveSibling("." + bouncer.configFile().getFileName() + ".pgstaging-lock");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock))).isEqualTo("rw-rw-r--");
        for (String n : names) assertThat(pgbouncer.removeDatabase(n)).isTrue();
        assertThat(config()).doesNotContain("pgbt_conc");
    }

    @Test
    void addedDatabaseIsServedAndOnlyOneLineOfTheFileChanges() throws Exception {
        pg.createDatabase("pgbt_add_20261124");
        String before = config();
        PosixFileAttributes attrsBefore = Files.readAttributes(bouncer.configFile(), PosixFileAttributes.class);

        pgbouncer.addDatabase("pgbt_add_20261124", connstr("pgbt_add_20261124"));

        assertThat(currentDatabaseThroughPgbouncer("pgbt_add_20261124")).isEqualTo("pgbt_add_20261124");
        List<String> added = new ArrayList<>(Arrays.asList(config().split("\n", -1)));
        List<String> original = Arrays.asList(before.split("\n", -1));
        assertThat(added.remove("pgbt_add_20261124 = " + connstr("pgbt_add_20261124"))).isTrue();
        assertThat(added).isEqualTo(original);
        assertThat(config()).startsWith(PgbouncerServer.COMMENT_LINE + "\n").contains("\n[users]\npostgres = pool_mode=session\n");
        PosixFileAttributes attrsAfter = Files.readAttributes(bouncer.configFile(), PosixFileAttributes.class);
        assertThat(attrsAfter.owner()).isEqualTo(attrsBefore.owner());
        assertThat(PosixFilePermissions.toString(attrsAfter.permissions()))
                .isEqualTo(PosixFilePermissions.toString(attrsBefore.permissions()));
        assertThat(Files.readString(Path.of(bouncer.configFile() + ".bak"))).isEqualTo(before);
        assertThat(pgbouncer.entry("pgbt_add_20261124").orElseThrow().get("dbname")).contains("pgbt_add_20261124");
        assertThat(pgbouncer.showDatabases()).anySatisfy(row -> {
            assertThat(row.name()).isEqualTo("pgbt_add_20261124");
            assertThat(row.database()).isEqualTo("pgbt_add_20261124");
            assertThat(row.port()).isEqualTo(pg.port());
            assertThat(row.paused()).isFalse();
        });
    }

    @Test
    void aliasFollowsPointAliasAndTargetsGetTheirOwnEntries() throws Exception {
        pg.createDatabase("pgbt_foodb_20261120");
        pg.createDatabase("pgbt_foodb_20261124");
        pgbouncer.pointAlias("pgbt_foodb", "pgbt_foodb_20261120", connstr("pgbt_foodb_20261120"));
        assertThat(currentDatabaseThroughPgbouncer("pgbt_foodb")).isEqualTo("pgbt_foodb_20261120");
        assertThat(currentDatabaseThroughPgbouncer("pgbt_foodb_20261120")).isEqualTo("pgbt_foodb_20261120");

        String before = config();
        pgbouncer.pointAlias("pgbt_foodb", "pgbt_foodb_20261124", connstr("pgbt_foodb_20261124"));
        assertThat(currentDatabaseThroughPgbouncer("pgbt_foodb")).isEqualTo("pgbt_foodb_20261124");
        assertThat(currentDatabaseThroughPgbouncer("pgbt_foodb_20261124")).isEqualTo("pgbt_foodb_20261124");
        assertThat(pgbouncer.entries()).containsKeys("pgbt_foodb", "pgbt_foodb_20261120", "pgbt_foodb_20261124");
        // the alias line was rewritten in place; the new target's line is the only other change
        List<String> now = Arrays.asList(config().split("\n", -1));
        List<String> then = Arrays.asList(before.split("\n", -1));
        assertThat(now.indexOf("pgbt_foodb = " + connstr("pgbt_foodb_20261124")))
                .isEqualTo(then.indexOf("pgbt_foodb = " + connstr("pgbt_foodb_20261120")));
        assertThat(now).hasSize(then.size() + 1);

        assertThatThrownBy(() -> pgbouncer.pointAlias("pgbt_foodb", "pgbt_other", connstr("pgbt_foodb_20261124")))
                .isInstanceOf(PgbouncerException.class).hasMessageContaining("not to 'pgbt_other'");
        assertThat(currentDatabaseThroughPgbouncer("pgbt_foodb")).isEqualTo("pgbt_foodb_20261124");
    }

    @Test
    void removedDatabaseIsNoLongerServed() throws Exception {
        pg.createDatabase("pgbt_rm_20261124");
        String pristine = config();
        pgbouncer.addDatabase("pgbt_rm_20261124", connstr("pgbt_rm_20261124"));
        assertThat(currentDatabaseThroughPgbouncer("pgbt_rm_20261124")).isEqualTo("pgbt_rm_20261124");

        assertThat(pgbouncer.removeDatabase("pgbt_rm_20261124")).isTrue();

        assertThat(config()).isEqualTo(pristine);
        assertThatThrownBy(() -> currentDatabaseThroughPgbouncer("pgbt_rm_20261124"))
                .isInstanceOf(SQLException.class).hasMessageContaining("no such database");
        assertThat(pgbouncer.removeDatabase("pgbt_rm_20261124")).isFalse();
    }

    @Test
    void removingADatabaseWithAnOpenClientSucceeds() throws Exception {
        pg.createDatabase("pgbt_busy_20261124");
        pgbouncer.addDatabase("pgbt_busy_20261124", connstr("pgbt_busy_20261124"));
        try (Connection open = bouncer.connect("pgbt_busy_20261124"); Statement st = open.createStatement()) {
            st.execute("select 1");
            assertThat(pgbouncer.removeDatabase("pgbt_busy_20261124")).isTrue();
        }
        assertThat(pgbouncer.entries()).doesNotContainKey("pgbt_busy_20261124");
    }

    @Test
    void unreachableConsoleLeavesTheOldFileInPlace() throws Exception {
        String before = config();
        Pgbouncer cutOff = new Pgbouncer(new LocalHost(), bouncer.configFile(),
                console(PostgresServer.freePort()));

        assertThatThrownBy(() -> cutOff.addDatabase("pgbt_never", connstr("pgbt_never")))
                .isInstanceOf(PgbouncerException.class)
                .hasMessageContaining("Cannot reach the pgbouncer console")
                .hasMessageContaining("was put back");

        assertThat(config()).isEqualTo(before);
        assertThat(Files.readString(Path.of(bouncer.configFile() + ".bak"))).contains("pgbt_never");
        assertThat(currentDatabaseThroughPgbouncer("postgres")).isEqualTo("postgres");
    }

    @Test
    void missingPsqlAlsoLeavesTheOldFileInPlace() throws Exception {
        String before = config();
        Pgbouncer noPsql = new Pgbouncer(new LocalHost(), bouncer.configFile(), new PgbouncerConsole(new LocalHost(),
                Path.of("/nonexistent/psql"), "127.0.0.1", bouncer.port(), "postgres", null));
        assertThatThrownBy(() -> noPsql.addDatabase("pgbt_never2", connstr("pgbt_never2")))
                .isInstanceOf(PgbouncerException.class)
                .hasMessageContaining("/nonexistent/psql")
                .hasMessageContaining("reloading it failed too");
        assertThat(config()).isEqualTo(before);
    }

    @Test
    void fileRejectedByPgbouncerIsRolledBackThoughReloadSaidOk() throws Exception {
        String before = config();
        // Syntactically a connection string, but no pgbouncer version knows this parameter: it rejects the file.
        assertThatThrownBy(() -> pgbouncer.addDatabase("pgbt_rejected", "dbname=postgres no_such_parameter=1"))
                .isInstanceOf(PgbouncerException.class)
                .hasMessageContaining("did not take the new configuration")
                .hasMessageContaining("put back");
        assertThat(config()).isEqualTo(before);
        assertThat(pgbouncer.showDatabases()).noneMatch(row -> row.name().equals("pgbt_rejected"));
        assertThat(currentDatabaseThroughPgbouncer("postgres")).isEqualTo("postgres");
    }

    @Test
    void nameNeedingQuotesIsServedOrCleanlyRolledBackDependingOnTheVersion() throws Exception {
        pg.createDatabase("pgbt spaced");
        String before = config();
        String version = pgbouncer.console().version();
        assertThat(version).startsWith("PgBouncer");
        boolean quotedNamesSupported = !version.matches("PgBouncer 1\\.(1?[0-9])\\..*");
        if (quotedNamesSupported) {
            pgbouncer.addDatabase("pgbt spaced", "host=127.0.0.1 port=" + pg.port() + " dbname='pgbt spaced'");
            assertThat(currentDatabaseThroughPgbouncer("pgbt spaced")).isEqualTo("pgbt spaced");
        } else {
            // pgbouncer 1.18 reads neither spaces nor quotes in names: the change must not stick.
            assertThatThrownBy(() -> pgbouncer.addDatabase("pgbt spaced",
                    "host=127.0.0.1 port=" + pg.port() + " dbname='pgbt spaced'"))
                    .isInstanceOf(PgbouncerException.class).hasMessageContaining("put back");
            assertThat(config()).isEqualTo(before);
        }
    }

    @Test
    void pauseAndResumeANameWithUpperCaseAndDash() throws Exception {
        pg.createDatabase("pgbt_pause_20261124");
        pgbouncer.addDatabase("PgBt-Pause", connstr("pgbt_pause_20261124"));
        assertThat(currentDatabaseThroughPgbouncer("PgBt-Pause")).isEqualTo("pgbt_pause_20261124");

        pgbouncer.pause("PgBt-Pause");
        assertThat(row("PgBt-Pause").paused()).isTrue();
        pgbouncer.resume("PgBt-Pause");
        assertThat(row("PgBt-Pause").paused()).isFalse();
        assertThat(currentDatabaseThroughPgbouncer("PgBt-Pause")).isEqualTo("pgbt_pause_20261124");

        assertThatThrownBy(() -> pgbouncer.pause("pgbt_no_such_db"))
                .isInstanceOf(PgbouncerException.class).hasMessageContaining("no such database");
    }

    @Test
    void clientsAreListedAndKillDropsThem() throws Exception {
        pg.createDatabase("pgbt_kill_20261124");
        pgbouncer.addDatabase("pgbt_kill", connstr("pgbt_kill_20261124"));
        try (Connection c = bouncer.connect("pgbt_kill"); Statement st = c.createStatement()) {
            st.execute("select 1");
            assertThat(pgbouncer.clients("pgbt_kill")).singleElement().satisfies(client -> {
                assertThat(client.user()).isEqualTo("postgres");
                assertThat(client.addr()).isEqualTo("127.0.0.1");
                assertThat(client.port()).isPositive();
                assertThat(client.connectTime()).isNotBlank();
            });

            pgbouncer.kill("pgbt_kill");

            assertThatThrownBy(() -> st.execute("select 1")).isInstanceOf(SQLException.class);
        }
        assertThat(pgbouncer.clients("pgbt_kill")).isEmpty();
        // pgbouncer 1.18 keeps a killed database paused until RESUME
        if (row("pgbt_kill").paused()) {
            pgbouncer.resume("pgbt_kill");
        }
        assertThat(currentDatabaseThroughPgbouncer("pgbt_kill")).isEqualTo("pgbt_kill_20261124");
    }

    @Test
    void consoleShowsAnyListAndRefusesOddSubjects() {
        assertThat(pgbouncer.console().show("POOLS")).isNotNull();
        assertThat(pgbouncer.console().show("CONFIG"))
                .anySatisfy(r -> assertThat(r.get("key")).isEqualTo("listen_port"));
        assertThatThrownBy(() -> pgbouncer.console().show("DATABASES; SHUTDOWN"))
                .isInstanceOf(PgbouncerException.class).hasMessageContaining("Invalid pgbouncer SHOW subject");
    }

    @Test
    void serviceCommandIsSystemctlWithOptionalNonInteractiveSudo() {
        assertThat(new LocalHost(true).serviceCommand(ServiceAction.RESTART.verb()))
                .containsExactly("sudo", "-n", "systemctl", "restart", "pgbouncer");
        assertThat(new LocalHost(false).serviceCommand(ServiceAction.parse(" Status ").verb()))
                .containsExactly("systemctl", "status", "pgbouncer");
        assertThatThrownBy(() -> ServiceAction.parse("explode"))
                .isInstanceOf(PgbouncerException.class).hasMessageContaining("'explode'")
                .extracting(e -> ((PgbouncerException) e).hint()).asString()
                .contains("start, stop, restart, reload, status");
    }

    private static DatabaseRow row(String name) {
        return pgbouncer.showDatabases().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
