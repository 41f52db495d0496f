package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** One file per error kind: each error names file, section, option and line, and says how to fix it. */
class ConfigErrorsTest {

    private static ConfigException loadFailing(String name) {
        Path file = Samples.resource("errors/" + name);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e).as("loading %s must fail", name).isNotNull();
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.getMessage()).startsWith(file.toString());
        assertThat(e.hint()).isNotBlank();
        return e;
    }

    private static void assertLocated(ConfigException e, String section, String option, int line) {
        assertThat(e).isNotInstanceOf(ConfigErrors.class);
        assertThat(e.section()).isEqualTo(section);
        assertThat(e.option()).isEqualTo(option);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.getMessage()).contains(":" + line + ": [" + section + "] " + option + ": ");
    }

    @Test
    void invalidRegexp() {
        ConfigException e = loadFailing("bad-regexp.ini");
        assertLocated(e, "foodb.dev", "tablename_nodata_regexp", 6);
        assertThat(e.getMessage()).contains("invalid regular expression 'audit_(\\d+'").contains("Unclosed group");
    }

    @Test
    void portOutOfRange() {
        ConfigException e = loadFailing("bad-port.ini");
        assertLocated(e, "foodb.dev", "pgbouncer_port", 7);
        assertThat(e.getMessage()).contains("70000 is not a TCP port between 1 and 65535");
        assertThat(e.hint()).contains("between 1 and 65535");
    }

    @Test
    void notAnIntegerInDefaultIsReportedOnceAtDefault() {
        ConfigException e = loadFailing("bad-integer.ini");
        assertLocated(e, "DEFAULT", "keep_bases", 4);
        assertThat(e.getMessage()).contains("'two' is not an integer");
        assertThat(e.hint()).contains("keep_bases = 2");
    }

    @Test
    void keepBasesBelowOne() {
        ConfigException e = loadFailing("bad-keep-bases.ini");
        assertLocated(e, "foodb.dev", "keep_bases", 6);
        assertThat(e.hint()).contains("at least 1");
    }

    @Test
    void restoreJobsBelowOne() {
        assertLocated(loadFailing("bad-restore-jobs.ini"), "foodb.dev", "restore_jobs", 7);
    }

    @Test
    void badBoolean() {
        ConfigException e = loadFailing("bad-boolean.ini");
        assertLocated(e, "foodb.dev", "auto_switch", 6);
        assertThat(e.getMessage()).contains("'maybe' is not a boolean");
        assertThat(e.hint()).contains("True or False");
    }

    @Test
    void interpolationLoopNamesTheChainOnce() {
        ConfigException e = loadFailing("interpolation-loop.ini");
        assertLocated(e, "foodb.dev", "a", 6);
        assertThat(e.getMessage()).contains("interpolation loop: a -> b -> c -> a");
    }

    @Test
    void loopInDefaultIsReportedOnceAtDefault(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path file = Samples.write(dir, "loop.ini", Samples.MINIMAL_DEFAULT
                + "tmpdir = %(sql_path)s/tmp\nsql_path = %(tmpdir)s/sql\n\n[foodb.dev]\n[foodb.preprod]\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertLocated(e, "DEFAULT", "tmpdir", 5);
        assertThat(e.getMessage()).contains("interpolation loop: tmpdir -> sql_path -> tmpdir");
    }

    @Test
    void referenceToAnUndefinedOption() {
        ConfigException e = loadFailing("interpolation-undefined.ini");
        assertLocated(e, "foodb.dev", "pg_restore", 6);
        assertThat(e.getMessage()).contains("%(pg_major)s").contains("undefined option 'pg_major'");
    }

    @Test
    void lonePercentSign() {
        ConfigException e = loadFailing("bad-percent.ini");
        assertLocated(e, "foodb.dev", "search_path", 6);
        assertThat(e.getMessage()).contains("'%' must be followed by '%' or '('");
        assertThat(e.hint()).contains("%%");
    }

    @Test
    void missingRequiredOptionPointsAtTheSectionHeader() {
        ConfigException e = loadFailing("missing-required.ini");
        assertLocated(e, "foodb.dev", "backup_base_url", 4);
        assertThat(e.getMessage()).contains("missing required option 'backup_base_url'");
        assertThat(e.hint()).contains("[foodb.dev]").contains("[DEFAULT]");
    }

    @Test
    void dbnameTooLongForDatedCopies() {
        ConfigException e = loadFailing("dbname-too-long.ini");
        assertLocated(e, "foodb.dev", "dbname", 6);
        assertThat(e.getMessage()).contains("is 56 bytes long, at most 54 fit");
    }

    @Test
    void noStagingSection() {
        ConfigException e = loadFailing("no-staging-section.ini");
        assertThat(e.getMessage()).contains("no staging section");
        assertThat(e.section()).isNull();
        assertThat(e.line()).isZero();
        assertThat(e.hint()).contains("[foodb.dev]");
    }

    @Test
    void syntaxErrorsAreAllReported() {
        ConfigErrors e = (ConfigErrors) loadFailing("syntax.ini");
        assertThat(e.errors()).hasSize(2);
        assertThat(e.errors().get(0).line()).isEqualTo(1);
        assertThat(e.errors().get(0).option()).isEqualTo("host");
        assertThat(e.errors().get(0).getMessage()).contains("option outside of any section");
        assertThat(e.errors().get(1).line()).isEqualTo(5);
        assertThat(e.errors().get(1).section()).isEqualTo("DEFAULT");
        assertThat(e.errors().get(1).getMessage()).contains("cannot parse 'this line has no separator'");
    }

    @Test
    void badApprovalMode() {
        ConfigException e = loadFailing("bad-approval.ini");
        assertLocated(e, "foodb.dev", "approval", 6);
        assertThat(e.hint()).contains("none").contains("dba");
    }

    @Test
    void restoreSettingsThatWouldNeedQuotingInPgoptions() {
        ConfigException e = loadFailing("bad-restore-settings.ini");
        assertLocated(e, "foodb.dev", "restore_settings", 6);
        assertThat(e.getMessage()).contains("the value of work_mem ('64MB; DROP TABLE x')");
        assertThat(e.hint()).contains("name=value").contains("none");
    }

    @Test
    void everyErrorOfAFileIsReportedInLineOrder() {
        ConfigErrors e = (ConfigErrors) loadFailing("many-errors.ini");
        assertThat(e.errors()).extracting(ConfigException::line).containsExactly(4, 7, 8, 11);
        assertThat(e.errors()).extracting(ConfigException::option)
                .containsExactly("postgres_port", "keep_bases", "restore_vacuum", "tablename_nodata_regexp");
        assertThat(e.errors()).extracting(ConfigException::section)
                .containsExactly("DEFAULT", "foodb.dev", "foodb.dev", "foodb.preprod");
        // the first error's location is the exception's own
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.section()).isEqualTo("DEFAULT");
        assertThat(e.getMessage()).contains("4 configuration errors")
                .contains(":7: [foodb.dev] keep_bases")
                .contains(":11: [foodb.preprod] tablename_nodata_regexp");
    }

    @Test
    void singleTransactionWithParallelJobs(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path file = Samples.write(dir, "st.ini", Samples.MINIMAL_DEFAULT
                + "pg_restore_st = True\n\n[foodb.dev]\nrestore_jobs = 1\n\n[foodb.preprod]\nrestore_jobs = 4\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertLocated(e, "foodb.preprod", "pg_restore_st", 10);
        assertThat(e.getMessage()).contains("restore_jobs = 4");
    }

    @Test
    void missingFileNamesThePath(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path missing = dir.resolve("nope.ini");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file")
                .hasMessageContaining("-c FILE")
                .hasMessageContaining("PGSTAGING_CONFIG")
                .hasMessageContaining("/etc/pgstaging/pgstaging.ini");
        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("it is a directory");
    }
}
