package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.testkit.StagingSandbox;

/** The same restore from an Apache mod_autoindex listing, whose sizes are rounded. */
class ApacheRestoreEndToEndTest {

    @Test
    void restoresFromApacheListing() throws Exception {
        try (StagingSandbox sandbox = StagingSandbox.start(StagingSandbox.Web.APACHE)) {
            sandbox.publishDump("apachedb", LocalDate.of(2026, 11, 23));
            sandbox.publish("apachedb", "apachedb.2026-13-01.dump", sandbox.publishDump("apachedb", LocalDate.of(2026, 11, 22)));
            StagingService s = new StagingService(ConfigLoader.load(sandbox.writeConfig("apachedb")),
                    EngineOptions.defaults(), e -> { });
            List<BackupFile> backups = s.backups("apachedb.dev", false);
            assertThat(backups).extracting(BackupFile::date)
                    .containsExactly(LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 23));
            RestoreResult r = s.restore("apachedb.dev", DateSpec.latest(), null);
            assertThat(r.switched()).isTrue();
            try (Connection c = sandbox.bouncer.connect("apachedb"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_database(), (SELECT count(*) FROM app.customers)")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("apachedb_20261123");
                assertThat(rs.getLong(2)).isPositive();
            }
            new ArrayList<>(s.databases("apachedb.dev")).forEach(d -> assertThat(d.existsInPostgres()).isTrue());
        }
    }
}
