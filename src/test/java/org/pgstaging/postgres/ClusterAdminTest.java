package org.pgstaging.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pgstaging.PgStagingException;
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
    void anUnknownOwnerIsReportedWithTheServersWords() {
        assertThatThrownBy(() -> admin.createDatabase("admin_noowner_20240101", "no such role", "UTF8"))
                .isInstanceOf(PgStagingException.class)
                .hasMessageContaining("could not create database admin_noowner_20240101")
                .hasMessageContaining("no such role");
        assertThat(admin.exists("admin_noowner_20240101")).isFalse();
    }
}
