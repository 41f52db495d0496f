package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options of remote servers and pgstaging-client's own settings file. */
class RemoteOptionsTest {
    @TempDir Path dir;

    private StagingConfig load(String ini) throws IOException {
        Path f = dir.resolve("pgstaging.ini");
        Files.writeString(f, "[DEFAULT]\nbackup_host = b.example.org\nbackup_base_url = /d/\n" + ini);
        return ConfigLoader.load(f);
    }

    @Test
    void aServerIsRemoteUnlessItIsThisMachine() throws IOException {
        StagingConfig c = load("[a.dev]\nhost = localhost\n[b.dev]\nhost = 127.0.0.1\n[c.dev]\nhost = ::1\n"
                + "[d.dev]\nhost = db-dev-1.internal\n[e.dev]\nhost = localhost\nssh_host = jump-alias\n");
        assertThat(c.sections()).extracting(Section::remote).containsExactly(false, false, false, true, true);
        assertThat(c.section("d.dev").sshHost()).isEqualTo("db-dev-1.internal");
        assertThat(c.section("e.dev").sshHost()).isEqualTo("jump-alias");
    }

    @Test
    void sshKeyIsASynonymOfSshIdentityWhichWins() throws IOException {
        StagingConfig c = load("[a.dev]\nhost = db1\nssh_key = /k1\n[b.dev]\nhost = db1\nssh_key = /k1\nssh_identity = /k2\n");
        assertThat(c.section("a.dev").sshIdentity()).contains(Path.of("/k1"));
        assertThat(c.section("b.dev").sshIdentity()).contains(Path.of("/k2"));
        assertThat(c.section("a.dev").sshPort()).as("ssh's own choice").isEmpty();
        assertThat(c.section("a.dev").restoreOn()).isEqualTo("console");
        assertThat(c.section("a.dev").clientPath()).isEqualTo("/usr/bin/pgstaging-client");
    }

    @Test
    void badValuesAreConfigurationErrorsWithTheirLine() {
        assertThatThrownBy(() -> load("[a.dev]\nhost = -oProxyCommand=id\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("pgstaging.ini:5: [a.dev] host").hasMessageContaining("is not a host name or address");
        assertThatThrownBy(() -> load("[a.dev]\nhost = db1\nssh_user = -l root\n")).hasMessageContaining("is not a login name");
        assertThatThrownBy(() -> load("[a.dev]\nhost = db1\nrestore_on = there\n")).hasMessageContaining("is not where a restore can run");
        assertThatThrownBy(() -> load("[a.dev]\nhost = localhost\nrestore_on = target\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("restore_on = target needs a remote server")
                .satisfies(e -> assertThat(((ConfigException) e).hint()).contains("restore_on = console"));
    }

    @Test
    void aSectionFromResolvedValuesIsValidatedAsAFileWouldBe() {
        Section s = ConfigLoader.section("foo.dev", Map.of("host", "db1", "backup_host", "b", "backup_base_url", "/d/",
                "search_path", "\"100%\", public"));
        assertThat(s.searchPath()).contains("\"100%\", public");
        assertThatThrownBy(() -> ConfigLoader.section("foo.dev", Map.of("host", "db1", "backup_base_url", "/d/",
                "restore_jobs", "many"))).isInstanceOf(ConfigException.class).hasMessageContaining("[foo.dev] restore_jobs");
    }

    @Test
    void theClientSettingsFileHasDefaultsAndStrictLines() throws IOException {
        assertThat(ClientConfig.load(dir.resolve("absent.conf"))).isEqualTo(ClientConfig.DEFAULTS);
        Path f = dir.resolve("client.conf");
        Files.writeString(f, "# comment\n[client]\npgbouncer_dirs = /etc/pgbouncer, /srv/pgbouncer\npgbouncer_unit = pgbouncer@main\n");
        assertThat(ClientConfig.load(f)).isEqualTo(new ClientConfig(List.of(Path.of("/etc/pgbouncer"), Path.of("/srv/pgbouncer")),
                "pgbouncer@main"));
        Files.writeString(f, "[client]\npgbouncer_dirs = etc/pgbouncer\npgbouncer_unit = a b\nsudo_all = yes\n");
        assertThatThrownBy(() -> ClientConfig.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("client.conf:2:").hasMessageContaining("not an absolute path")
                .hasMessageContaining("client.conf:3:").hasMessageContaining("client.conf:4:").hasMessageContaining("unknown setting 'sudo_all'");
    }
}
