package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The commented example (config/pgstaging.ini) and the man page (pgstaging.ini(5)) document every
 * option with the default {@link Section} really applies.
 */
class ConfigDocumentationTest {
    private static final Path EXAMPLE = Path.of("config/pgstaging.ini");

    /** What Section returns for an option nobody set, written as the documentation writes it. */
    private static Map<String, Function<Section, Object>> defaults() {
        Map<String, Function<Section, Object>> m = new LinkedHashMap<>();
        m.put("backup_host", s -> s.backupHost().isEmpty() ? "none" : s.backupHost());
        m.put("backup_base_url", s -> "required");
        m.put("dumpall_url", s -> s.dumpallUrl().orElse("none"));
        m.put("host", s -> "required");
        m.put("dbname", s -> s.dbname().equals("foodb") ? "the section name before its first dot" : s.dbname());
        m.put("dbowner", s -> s.dbowner().equals(s.dbuser()) ? "the value of dbuser" : s.dbowner());
        m.put("dbuser", Section::dbuser);
        m.put("maintdb", Section::maintdb);
        m.put("db_encoding", Section::dbEncoding);
        m.put("postgres_port", s -> String.valueOf(s.postgresPort()));
        m.put("postgres_major", s -> s.postgresMajor().orElse("none"));
        m.put("pgbouncer_port", s -> String.valueOf(s.pgbouncerPort()));
        m.put("pgbouncer_conf", s -> s.pgbouncerConf().toString());
        m.put("remove_dump", s -> py(s.removeDump()));
        m.put("keep_bases", s -> String.valueOf(s.keepBases()));
        m.put("auto_switch", s -> py(s.autoSwitch()));
        m.put("use_sudo", s -> py(s.useSudo()));
        m.put("pg_restore", Section::pgRestore);
        m.put("pg_restore_st", s -> py(s.pgRestoreSingleTransaction()));
        m.put("restore_vacuum", s -> py(s.restoreVacuum()));
        m.put("restore_jobs", s -> String.valueOf(s.restoreJobs()));
        m.put("tmpdir", s -> s.tmpdir().equals(Path.of(System.getProperty("java.io.tmpdir")))
                ? "the system temporary directory (java.io.tmpdir, usually /tmp)" : s.tmpdir().toString());
        m.put("sql_path", s -> s.sqlPath().map(Path::toString).orElse("none"));
        m.put("schemas", s -> s.schemas().isEmpty() ? "none: every schema" : s.schemas().toString());
        m.put("schemas_nodata", s -> s.schemasNodata().isEmpty() ? "none" : s.schemasNodata().toString());
        m.put("tablename_nodata_regexp", s -> s.tablenameNodataRegexp().map(Pattern::pattern).orElse("none"));
        m.put("search_path", s -> s.searchPath().orElse("none: the database default is kept"));
        m.put("keep_failed", s -> py(s.keepFailed()));
        m.put("approval", Section::approval);
        m.put("pgbouncer_db_host", Section::pgbouncerDbHost);
        m.put("pg_dump", s -> s.pgDump().equals("pg_dump") ? "pg_dump, in the directory of pg_restore" : s.pgDump());
        m.put("psql", s -> s.psql().equals("psql") ? "psql, in the directory of pg_restore" : s.psql());
        m.put("ssh_host", s -> s.sshHost().equals(s.host()) ? "the value of host" : s.sshHost());
        m.put("ssh_user", s -> s.sshUser().orElse("none: ssh's own choice"));
        m.put("ssh_port", s -> s.sshPort().map(String::valueOf).orElse("none: ssh's own choice"));
        m.put("ssh_identity", s -> s.sshIdentity().map(Path::toString).orElse("none: ssh's own choice"));
        m.put("ssh_key", s -> s.sshKey().map(Path::toString).orElse("none: a synonym of ssh_identity"));
        m.put("ssh_known_hosts", s -> s.sshKnownHosts().map(Path::toString).orElse("none: ~/.ssh/known_hosts"));
        m.put("ssh_config", s -> s.sshConfig().map(Path::toString).orElse("none: ~/.ssh/config"));
        m.put("client_path", Section::clientPath);
        m.put("restore_on", Section::restoreOn);
        m.put("restore_mode", Section::restoreMode);
        m.put("download_connections", s -> s.downloadConnections() == Math.min(Math.max(s.restoreJobs(), 2), 4)
                ? "restore_jobs, at least 2, at most 4" : String.valueOf(s.downloadConnections()));
        m.put("fetch_ahead", s -> py(s.fetchAhead()));
        m.put("restore_settings", s -> s.restoreSettings().pgOptions().replace("-c ", "").replace(" ", ", "));
        return m;
    }

    private static String py(boolean b) {
        return b ? "True" : "False";
    }

    @Test
    void documentedDefaultsAreWhatSectionApplies() {
        Map<String, Function<Section, Object>> defaults = defaults();
        assertThat(defaults.keySet()).containsExactlyElementsOf(KnownOptions.stagingOptions());
        Section empty = new Section("foodb.dev", Map.of());
        for (OptionSpec spec : KnownOptions.specs()) {
            String expected = spec.required() ? "required" : spec.documentedDefault();
            assertThat(defaults.get(spec.name()).apply(empty)).as(spec.name()).hasToString(expected);
        }
        // pg_dump and psql follow pg_restore's directory
        Section moved = new Section("foodb.dev", Map.of("pg_restore", "/opt/pg/bin/pg_restore"));
        assertThat(moved.pgDump()).isEqualTo("/opt/pg/bin/pg_dump");
        assertThat(moved.psql()).isEqualTo("/opt/pg/bin/psql");
    }

    @Test
    void manPageDescribesEveryOptionWithItsDefault() throws IOException {
        String man;
        try (InputStream in = getClass().getResourceAsStream("/man/pgstaging.ini.5")) {
            assertThat(in).as("man page on the class path").isNotNull();
            man = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(man).startsWith(".\\\"").contains(".TH PGSTAGING.INI 5");
        for (OptionSpec spec : KnownOptions.specs()) {
            Matcher m = Pattern.compile("\\.TP\n\\.BR " + spec.name() + " \"([^\"]*)\"\n(.*?)(?=\n\\.TP|\n\\.PP|\n\\.SH)",
                    Pattern.DOTALL).matcher(man);
            assertThat(m.find()).as("man page entry for " + spec.name()).isTrue();
            String entry = m.group(2).replace("\n", " ");
            if (spec.required()) {
                assertThat(m.group(1)).as(spec.name()).contains("required");
                assertThat(entry).as(spec.name()).contains("Required");
            } else {
                assertThat(entry).as(spec.name())
                        .containsPattern("Default: " + Pattern.quote(spec.documentedDefault()) + "[ .]");
            }
        }
        for (String o : KnownOptions.slackOptions()) assertThat(man).contains(".BR " + o + " ");
        for (String o : KnownOptions.ignoredOptions()) assertThat(man).contains(".BR " + o + " ");
    }

    @Test
    void exampleLoadsCleanlyAndShowsEveryOptionWithItsDefault() throws IOException {
        StagingConfig config = ConfigLoader.load(EXAMPLE);
        assertThat(config.warnings()).isEmpty();
        assertThat(config.sectionNames()).containsExactly("foodb.dev", "foodb.preprod");
        assertThat(config.section("foodb.preprod").pgRestore()).isEqualTo("/usr/lib/postgresql/14/bin/pg_restore");
        assertThat(config.section("foodb.dev").backupBaseUrl()).isEqualTo("/PostgreSQL/foodb/nightly/");
        assertThat(config.slack()).as("[slack] is commented out").isEmpty();

        List<String> lines = Files.readAllLines(EXAMPLE, StandardCharsets.UTF_8);
        for (OptionSpec spec : KnownOptions.specs()) {
            int at = indexOfOption(lines, spec.name());
            assertThat(at).as("example line for " + spec.name()).isPositive();
            String explanation = lines.get(at - 1);
            assertThat(explanation).as("explanation of " + spec.name()).startsWith("# ");
            assertThat(explanation).as("default of " + spec.name())
                    .contains(spec.required() ? "Required." : "Default: " + spec.documentedDefault());
        }
        for (String o : KnownOptions.slackOptions()) {
            assertThat(indexOfOption(lines, o)).as("example line for [slack] " + o).isPositive();
        }
    }

    /** First line setting {@code option}, commented out or not. */
    private static int indexOfOption(List<String> lines, String option) {
        Pattern p = Pattern.compile("^#?\\s*" + Pattern.quote(option) + "\\s*=.*");
        for (int i = 0; i < lines.size(); i++) if (p.matcher(lines.get(i)).matches()) return i;
        return -1;
    }
}
