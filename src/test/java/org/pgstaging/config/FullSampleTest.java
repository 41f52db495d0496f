package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FullSampleTest {
    private final StagingConfig config = ConfigLoader.load(Samples.resource("full.ini"));

    @Test
    void loadsWithoutWarnings() {
        assertThat(config.warnings()).isEmpty();
        assertThat(config.sectionNames()).containsExactly("foodb.dev", "foodb.preprod", "bardb");
        assertThat(config.sections()).extracting(Section::name).containsExactly("foodb.dev", "foodb.preprod", "bardb");
        assertThat(config.file()).isEqualTo(Samples.resource("full.ini"));
    }

    @Test
    void perSectionPostgresMajorOverridesTheDefaultInInterpolation() {
        assertThat(config.section("foodb.dev").pgRestore()).isEqualTo("/usr/lib/postgresql/15/bin/pg_restore");
        assertThat(config.section("foodb.preprod").pgRestore()).isEqualTo("/usr/lib/postgresql/14/bin/pg_restore");
        assertThat(config.section("foodb.preprod").pgDump()).isEqualTo("/opt/pg/bin/pg_dump");
        assertThat(config.section("foodb.preprod").psql()).isEqualTo("/usr/lib/postgresql/14/bin/psql");
    }

    @Test
    void dbnameReferenceUsesTheDerivedNameWhenNotSet() {
        assertThat(config.section("foodb.dev").backupBaseUrl()).isEqualTo("/PostgreSQL/foodb/nightly/");
        assertThat(config.section("foodb.preprod").dbname()).isEqualTo("foodb");
        assertThat(config.section("foodb.preprod").backupBaseUrl()).isEqualTo("/PostgreSQL/foodb/nightly/");
        // a section's own value wins over the interpolated default
        assertThat(config.section("bardb").backupBaseUrl()).isEqualTo("/srv/dumps/bardb");
        assertThat(config.section("bardb").backupHost()).isEmpty();
        // [DEFAULT] alone cannot resolve %(dbname)s: kept raw
        assertThat(config.defaults()).containsEntry("backup_base_url", "/PostgreSQL/%(dbname)s/nightly/");
    }

    @Test
    void doublePercentIsALiteralPercent() {
        assertThat(config.section("foodb.dev").dumpallUrl()).contains("/PostgreSQL/clusters/100%-globals.sql");
    }

    @Test
    void continuationLinesAndKeyColonValue() {
        Section dev = config.section("foodb.dev");
        assertThat(dev.schemas()).containsExactly("public", "billing", "audit");
        Section preprod = config.section("foodb.preprod");
        assertThat(preprod.values()).containsEntry("schemas_nodata", "audit\nlogs\narchive");
        assertThat(preprod.schemasNodata()).containsExactly("audit", "logs", "archive");
        assertThat(dev.sqlPath()).contains(Path.of(System.getProperty("user.home") + "/SQL/"));
        assertThat(dev.sqlDir()).contains(Path.of(System.getProperty("user.home"), "SQL", "foodb.dev"));
    }

    @Test
    void typedAccessors() {
        Section dev = config.section("foodb.dev");
        assertThat(dev.restoreJobs()).isEqualTo(4);
        assertThat(dev.keepBases()).isEqualTo(3);
        assertThat(dev.dbowner()).isEqualTo("foo");
        assertThat(dev.searchPath()).contains("\"$user\", public, billing");
        assertThat(dev.approvalRequired()).isFalse();
        Section preprod = config.section("foodb.preprod");
        assertThat(preprod.restoreJobs()).isEqualTo(2);
        assertThat(preprod.approval()).isEqualTo("dba");
        assertThat(preprod.approvalRequired()).isTrue();
        assertThat(preprod.keepFailed()).isTrue();
        assertThat(preprod.host()).isEqualTo("db-preprod.example.com");
        assertThat(preprod.dbowner()).isEqualTo("postgres");
        Section bar = config.section("bardb");
        assertThat(bar.sshUser()).contains("deploy");
        assertThat(bar.sshPort()).contains(22);
        assertThat(bar.sshKey()).contains(Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519"));
        assertThat(bar.sshIdentity()).as("ssh_key is ssh_identity's synonym").isEqualTo(bar.sshKey());
    }

    @Test
    void tablenameNodataRegexpIsACommaSeparatedListOfUnanchoredRegexps() {
        Section dev = config.section("foodb.dev");
        assertThat(dev.tablenameNodataRegexps()).extracting(Pattern::pattern)
                .containsExactly("^public\\.log_", "\\.archive_\\d+$");
        Pattern any = dev.tablenameNodataRegexp().orElseThrow();
        assertThat(any.matcher("public.log_2024").find()).isTrue();
        assertThat(any.matcher("sales.orders_archive_12").find()).isFalse();
        assertThat(any.matcher("sales.orders.archive_12").find()).isTrue();
        assertThat(any.matcher("billing.log_x").find()).isFalse();
        assertThat(config.section("bardb").tablenameNodataRegexp()).isEmpty();
    }

    @Test
    void slackKeepsItsRawOptionsAndIsNotAStagingSection() {
        assertThat(config.hasSection("slack")).isFalse();
        assertThat(config.slack())
                .containsEntry("bot_token", "xoxb-not-a-real-token")
                .containsEntry("signing_secret", "100%(raw)s")
                .containsEntry("channels", "#staging, #dba")
                .doesNotContainKey("host");
    }
}
