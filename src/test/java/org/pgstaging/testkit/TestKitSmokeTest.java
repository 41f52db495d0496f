package org.pgstaging.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The kit other tests rely on really starts PostgreSQL and pgbouncer and routes through them. */
class TestKitSmokeTest {

    @Test
    void sharedPostgresAnswersAndPgbouncerRoutesToIt() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        assertThat(PostgresServer.shared()).isSameAs(pg);
        pg.createDatabase("kit Smoke");
        try (Connection c = pg.connect("kit Smoke"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("kit Smoke");
        }
        try (PgbouncerServer bouncer = PgbouncerServer.start(pg)) {
            assertThat(Files.readString(bouncer.configFile())).startsWith(PgbouncerServer.COMMENT_LINE);
            try (Connection c = bouncer.connect("postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select current_database(), inet_server_port()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("postgres");
                assertThat(rs.getInt(2)).isEqualTo(pg.port());
            }
            assertThat(bouncer.admin("SHOW VERSION")).singleElement()
                    .satisfies(row -> assertThat(row.get("version")).contains("PgBouncer"));
            assertThat(bouncer.admin("SHOW DATABASES")).anySatisfy(row -> {
                assertThat(row.get("name")).isEqualTo("postgres");
                assertThat(row.get("port")).isEqualTo(Integer.toString(pg.port()));
            });
            assertThat(bouncer.pgbouncerProcess().isAlive()).isTrue();
        }
    }

    @Test
    void pgDumpWritesACustomFormatArchive(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        PostgresServer pg = PostgresServer.shared();
        pg.createDatabase("kit_dump");
        pg.execute("kit_dump", "create table t(i int); insert into t values (1)");
        Path out = tmp.resolve("kit.dump");
        pg.pgDump("kit_dump", out, "-Fc");
        assertThat(new String(Files.readAllBytes(out), 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PGDMP");
        Path sql = tmp.resolve("x.sql");
        Files.writeString(sql, "select 1/0;");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pg.psql("kit_dump", sql))
                .hasMessageContaining("division by zero");
    }
}
