package org.pgstaging.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pgstaging.PgStagingException;
import org.pgstaging.config.SessionSettings;
import org.pgstaging.testkit.PostgresServer;

class ClusterAdminTest {
    private final PostgresServer pg = PostgresServer.shared();
    private final ClusterAdmin admin = new ClusterAdmin(
            new PostgresServerAddress(pg.host(), pg.port(), pg.superuser()), "postgres");

    @Test
    void createsAQuotedNameAndRefusesItTwiceSayingWhatToDo() {
        String name = "admin \"test\" é_20240101";
        pg.dropDatabase(name);
        try {
            admin.createDatabase(name, pg.superuser(), "UTF8");
            assertThat(admin.exists(name)).isTrue();

            assertThatThrownBy(() -> admin.createDatabase(name, pg.superuser(), "UTF8"))
                    .isInstanceOf(PgStagingException.class)
                    .hasMessageContaining("database " + name + " already exists")
                    .satisfies(e -> assertThat(((PgStagingException) e).hint()).contains("drop it first"));
            assertThat(admin.exists(name)).isTrue();
        } finally {
            pg.dropDatabase(name);
        }
    }

    @Test
    void aDatabaseLeftInvalidByAnInterruptedDropIsDroppedAnyway() {
        // PostgreSQL 15.4 and later mark a database invalid while DROP DATABASE runs, and leave it so
        // when the drop is interrupted; ALTER DATABASE then fails FATAL, only DROP may touch it
        String name = "admin_invalid_20240101";
        pg.dropDatabase(name);
        pg.createDatabase(name);
        pg.execute("postgres", "UPDATE pg_database SET datconnlimit = -2 WHERE datname = '" + name + "'");
        assertThat(admin.dropDatabase(name)).isTrue();
        assertThat(admin.exists(name)).isFalse();
        assertThat(admin.dropDatabase(name)).as("gone already").isFalse();
    }

    @Test
    void aCopysCommentSaysWhetherItsRestoreCompleted() {
        String name = "admin_marked_20240101";
        pg.dropDatabase(name);
        pg.createDatabase(name);
        try {
            admin.comment(name, CopyMark.incomplete("foodb.2024-01-01.dump", "alice@console pid 42"));
            String mark = admin.commentsStartingWith("admin_marked_").get(name);
            assertThat(CopyMark.isIncomplete(mark)).isTrue();
            assertThat(mark).startsWith("pgstaging: incomplete (restore of foodb.2024-01-01.dump started ")
                    .endsWith(" by alice@console pid 42)");
            admin.comment(name, CopyMark.complete("it's.dump"));
            assertThat(CopyMark.isIncomplete(admin.commentsStartingWith("admin_marked_").get(name))).isFalse();
            assertThat(admin.commentsStartingWith("admin_marked_").get(name)).startsWith("pgstaging: restored from it's.dump at ");
            assertThat(CopyMark.isIncomplete(null)).as("no comment: a copy made by hand or by pg_staging").isFalse();
        } finally {
            pg.dropDatabase(name);
        }
    }

    /**
     * A restore's copy says it is incomplete from its first instant: created refusing connections,
     * then marked, then opened; one cut short between CREATE and its mark (refusing connections, no
     * comment) reads as incomplete, a database merely without comment as complete.
     */
    @Test
    void aNewCopyIsIncompleteFromItsFirstInstant() throws Exception {
        String name = "admin_fresh_20240101";
        String cut = "admin_fresh_20240102";
        pg.dropDatabase(name);
        pg.dropDatabase(cut);
        try {
            admin.createIncompleteCopy(name, pg.superuser(), "UTF8", CopyMark.incomplete("foodb.2024-01-01.dump", "pod-a"));
            assertThat(CopyMark.isIncomplete(admin.commentsStartingWith("admin_fresh_").get(name))).isTrue();
            try (java.sql.Connection c = pg.connect(name)) {
                assertThat(c.isValid(2)).as("open once marked").isTrue();
            }
            pg.execute("postgres", "CREATE DATABASE " + cut + " ALLOW_CONNECTIONS false"); // as a crash right after CREATE leaves it
            assertThat(admin.commentsStartingWith("admin_fresh_").get(cut)).isEqualTo(CopyMark.UNMARKED);
            assertThat(CopyMark.isIncomplete(admin.commentsStartingWith("admin_fresh_").get(cut))).isTrue();
            assertThatThrownBy(() -> admin.createIncompleteCopy(name, pg.superuser(), "UTF8", "x"))
                    .hasMessage("database " + name + " already exists on " + admin.server());
            assertThat(admin.dropDatabase(cut)).as("an unmarked copy drops like any").isTrue();
        } finally {
            pg.dropDatabase(name);
            pg.dropDatabase(cut);
        }
    }

    @Test
    void anUnknownOwnerIsReportedWithTheServersWords() {
        assertThatThrownBy(() -> admin.createDatabase("admin_noowner_20240101", "no such role", "UTF8"))
                .isInstanceOf(PgStagingException.class)
                .hasMessageContaining("could not create database admin_noowner_20240101")
                .hasMessageContaining("no such role");
        assertThat(admin.exists("admin_noowner_20240101")).isFalse();
    }

    @Test
    void validSessionSettingsAreAllKept() {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("maintenance_work_mem", "77MB");
        wanted.put("synchronous_commit", "off");
        assertThat(admin.checkSessionSettings(new SessionSettings(wanted, true), "[x.dev] restore_settings").values()).isEqualTo(wanted);
        assertThat(admin.checkSessionSettings(new SessionSettings(Map.of(), true), "[x.dev] restore_settings").values()).isEmpty();
    }

    @Test
    void aDefaultMemorySizeOnlyRaisesTheServersValue() {
        String server = admin.show("postgres", "maintenance_work_mem"); // 64MB unless the cluster says otherwise
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("maintenance_work_mem", "2MB");
        wanted.put("synchronous_commit", "off");
        assertThat(admin.checkSessionSettings(new SessionSettings(wanted, false), "opt").values()).as("2MB is below " + server)
                .containsExactly(Map.entry("synchronous_commit", "off"));
        wanted.put("maintenance_work_mem", "1TB");
        assertThat(admin.checkSessionSettings(new SessionSettings(wanted, false), "opt").values()).containsEntry("maintenance_work_mem", "1TB");
        wanted.put("maintenance_work_mem", "2MB");
        assertThat(admin.checkSessionSettings(new SessionSettings(wanted, true), "opt").values()).as("written by the DBA: kept")
                .containsEntry("maintenance_work_mem", "2MB");
    }

    @Test
    void anUnknownSettingABadValueOrOneTheRoleMayNotChangeIsRefusedInTheServersWords() {
        assertThatThrownBy(() -> admin.checkSessionSettings(new SessionSettings(Map.of("maintenance_work_men", "1GB"), true), "[x.dev] restore_settings").values())
                .isInstanceOf(PgStagingException.class)
                .hasMessageContaining("[x.dev] restore_settings: maintenance_work_men = 1GB is refused by")
                .hasMessageContaining("unrecognized configuration parameter")
                .satisfies(e -> assertThat(((PgStagingException) e).hint()).contains("fix or remove maintenance_work_men"));
        assertThatThrownBy(() -> admin.checkSessionSettings(new SessionSettings(Map.of("maintenance_work_mem", "lots"), true), "opt").values())
                .hasMessageContaining("invalid value for parameter");

        pg.execute("postgres", "DROP ROLE IF EXISTS settings_nobody");
        pg.execute("postgres", "CREATE ROLE settings_nobody LOGIN");
        try {
            ClusterAdmin plain = new ClusterAdmin(new PostgresServerAddress(pg.host(), pg.port(), "settings_nobody"), "postgres");
            assertThat(plain.checkSessionSettings(new SessionSettings(Map.of("maintenance_work_mem", "200MB"), true), "opt").values()).hasSize(1);
            assertThatThrownBy(() -> plain.checkSessionSettings(new SessionSettings(Map.of("log_min_duration_statement", "0"), true), "opt").values())
                    .hasMessageContaining("permission denied to set parameter");
        } finally {
            pg.execute("postgres", "DROP ROLE IF EXISTS settings_nobody");
        }
    }
}
