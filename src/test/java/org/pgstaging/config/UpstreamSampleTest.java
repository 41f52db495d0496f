package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** pg_staging's own pg_staging.ini must load unchanged. */
class UpstreamSampleTest {
    private final Path file = Samples.resource("pg_staging-upstream.ini");
    private final StagingConfig config = ConfigLoader.load(file);

    @Test
    void plainSectionNameIsAStagingSection() {
        assertThat(config.sectionNames()).containsExactly("postgres");
        Section s = config.section("postgres");
        assertThat(s.dbname()).isEqualTo("postgres");
        assertThat(s.host()).isEqualTo("localhost");
        assertThat(s.backupHost()).isEqualTo("localhost");
        assertThat(s.backupBaseUrl()).isEqualTo("/PostgreSQL/nightly/");
        assertThat(s.dumpallUrl()).contains("/PostgreSQL/clusters/8.4-main.globals.sql");
    }

    @Test
    void defaultPgRestoreIsInterpolatedWithTheSectionsMajorVersion() {
        Section s = config.section("postgres");
        assertThat(s.postgresMajor()).contains("8.4");
        assertThat(s.pgRestore()).isEqualTo("/usr/lib/postgresql/8.4/bin/pg_restore");
        assertThat(s.pgDump()).isEqualTo("/usr/lib/postgresql/8.4/bin/pg_dump");
        assertThat(s.psql()).isEqualTo("/usr/lib/postgresql/8.4/bin/psql");
        // [DEFAULT] on its own resolves with its own postgres_major
        assertThat(config.defaults()).containsEntry("pg_restore", "/usr/lib/postgresql/8.3/bin/pg_restore");
    }

    @Test
    void typedValuesFollowTheFile() {
        Section s = config.section("postgres");
        assertThat(s.removeDump()).isTrue();
        assertThat(s.keepBases()).isEqualTo(2);
        assertThat(s.autoSwitch()).isFalse();
        assertThat(s.useSudo()).isTrue();
        assertThat(s.pgRestoreSingleTransaction()).isFalse();
        assertThat(s.restoreVacuum()).isTrue();
        assertThat(s.restoreJobs()).isEqualTo(1);
        assertThat(s.postgresPort()).isEqualTo(5432);
        assertThat(s.pgbouncerPort()).isEqualTo(6432);
        assertThat(s.pgbouncerConf()).isEqualTo(Path.of("/etc/pgbouncer/pgbouncer.ini"));
        assertThat(s.tmpdir()).isEqualTo(Path.of("/var/backups/pg_staging"));
        assertThat(s.searchPath()).contains("\"$user\", public");
        assertThat(s.dbowner()).isEqualTo("postgres");
    }

    @Test
    void outOfScopeOptionsAreAcceptedSilently() {
        // replication and pitr_basedir are pg_staging options pgstaging does not implement
        assertThat(config.warnings()).isEmpty();
        assertThat(config.section("postgres").values())
                .containsEntry("pitr_basedir", "/var/lib/postgresql/8.4/main");
        assertThat(config.slack()).isEmpty();
    }
}
