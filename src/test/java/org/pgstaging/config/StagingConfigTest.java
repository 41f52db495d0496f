package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class StagingConfigTest {
    private final StagingConfig config = ConfigLoader.load(Samples.resource("full.ini"));

    @Test
    void unknownSectionSuggestsTheNearestNames() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config.section("foodb.dve"));
        assertThat(e.getMessage()).contains("unknown section [foodb.dve]");
        assertThat(e.hint()).startsWith("did you mean foodb.dev?").contains("known sections: foodb.dev, foodb.preprod, bardb");
        assertThat(e.section()).isEqualTo("foodb.dve");
        assertThat(e.file()).isEqualTo(config.file());
    }

    @Test
    void databaseNameAloneSuggestsItsSections() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config.section("foodb"));
        assertThat(e.hint()).contains("foodb.dev").contains("foodb.preprod");
    }

    @Test
    void specialSectionsAreNotStagingSections() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> config.section("slack"))).isNotNull();
        assertThat(catchThrowableOfType(ConfigException.class, () -> config.section("DEFAULT"))).isNotNull();
    }

    @Test
    void overrideOneSectionLeavesTheOriginalUntouched() {
        StagingConfig changed = config.withOverride("foodb.dev", "Restore_Jobs", " 8 ");
        assertThat(changed.section("foodb.dev").restoreJobs()).isEqualTo(8);
        assertThat(changed.section("foodb.preprod").restoreJobs()).isEqualTo(2);
        assertThat(config.section("foodb.dev").restoreJobs()).isEqualTo(4);
        assertThat(changed.file()).isEqualTo(config.file());
        assertThat(changed.warnings()).isEmpty();
    }

    @Test
    void overrideDefaultReachesEverySectionThatDoesNotSetTheOption() {
        StagingConfig changed = config.withOverride("DEFAULT", "postgres_major", "16");
        assertThat(changed.section("foodb.dev").pgRestore()).isEqualTo("/usr/lib/postgresql/16/bin/pg_restore");
        assertThat(changed.section("bardb").pgRestore()).isEqualTo("/usr/lib/postgresql/16/bin/pg_restore");
        // foodb.preprod sets its own postgres_major
        assertThat(changed.section("foodb.preprod").pgRestore()).isEqualTo("/usr/lib/postgresql/14/bin/pg_restore");
        assertThat(changed.defaults()).containsEntry("postgres_major", "16");
    }

    @Test
    void overrideIsInterpolated() {
        StagingConfig changed = config.withOverride("foodb.dev", "pg_restore", "/opt/%(postgres_major)s/pg_restore");
        assertThat(changed.section("foodb.dev").pgRestore()).isEqualTo("/opt/15/pg_restore");
        assertThat(changed.section("foodb.dev").psql()).isEqualTo("/opt/15/psql");
    }

    @Test
    void invalidOverrideIsRejectedWithTheReason() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> config.withOverride("foodb.dev", "keep_bases", "0"));
        assertThat(e.section()).isEqualTo("foodb.dev");
        assertThat(e.option()).isEqualTo("keep_bases");
        assertThat(e.hint()).contains("at least 1");
    }

    @Test
    void overrideThatBreaksARequiredOption() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> config.withOverride("DEFAULT", "host", ""));
        // bardb and foodb.dev take host from [DEFAULT]; foodb.preprod has its own
        assertThat(e).isInstanceOf(ConfigErrors.class);
        assertThat(((ConfigErrors) e).errors()).extracting(ConfigException::section)
                .containsExactlyInAnyOrder("foodb.dev", "bardb");
    }

    @Test
    void unknownOptionOrSectionInOverride() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> config.withOverride("foodb.dev", "keep_base", "3"));
        assertThat(e.getMessage()).contains("unknown option 'keep_base'");
        assertThat(e.hint()).isEqualTo("did you mean keep_bases?");
        e = catchThrowableOfType(ConfigException.class, () -> config.withOverride("foodb.prod", "keep_bases", "3"));
        assertThat(e.getMessage()).contains("unknown section [foodb.prod]");
        assertThat(e.hint()).contains("foodb.preprod");
    }

    @Test
    void overrideSlackOptions() {
        StagingConfig changed = config.withOverride("slack", "mode", "socket");
        assertThat(changed.slack()).containsEntry("mode", "socket").containsEntry("bot_token", "xoxb-not-a-real-token");
        StagingConfig upstream = ConfigLoader.load(Samples.resource("pg_staging-upstream.ini"));
        assertThat(upstream.withOverride("slack", "mode", "http").slack()).containsExactly(java.util.Map.entry("mode", "http"));
        assertThat(catchThrowableOfType(ConfigException.class, () -> config.withOverride("slack", "keep_bases", "1")))
                .isNotNull();
    }

    @Test
    void dbnameOverrideIsChecked() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> config.withOverride("bardb", "dbname", "bar; drop"));
        assertThat(e.getMessage()).contains("not a usable database name");
        assertThat(e.line()).isZero();
    }
}
