package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pgstaging.config.ConfigException;
import org.pgstaging.config.Section;

class BackupSourcesTest {
    private static Section section(String host, String base) {
        Map<String, String> v = new HashMap<>();
        if (host != null) v.put("backup_host", host);
        if (base != null) v.put("backup_base_url", base);
        return new Section("foodb.dev", v);
    }

    private static URI listing(String host, String base) {
        return ((HttpBackupSource) BackupSources.forSection(section(host, base))).listingUrl();
    }

    @Test
    void hostAndPathJoinWithExactlyOneSlash() {
        assertThat(listing("backup", "/PostgreSQL/foodb/nightly/"))
                .isEqualTo(URI.create("http://backup/PostgreSQL/foodb/nightly/"));
        assertThat(listing("backup:8080", "PostgreSQL/foodb/nightly"))
                .isEqualTo(URI.create("http://backup:8080/PostgreSQL/foodb/nightly/"));
        assertThat(listing("10.0.0.5", "//dumps"))
                .isEqualTo(URI.create("http://10.0.0.5/dumps/"));
        assertThat(listing("[::1]:8080", "/d/")).isEqualTo(URI.create("http://[::1]:8080/d/"));
        assertThat(listing("backup", "/")).isEqualTo(URI.create("http://backup/"));
    }

    @Test
    void fullUrlIgnoresBackupHost() {
        assertThat(listing("ignored", "https://dumps.example.com:8443/pg/foodb"))
                .isEqualTo(URI.create("https://dumps.example.com:8443/pg/foodb/"));
        assertThat(listing(null, "HTTP://dumps/pg/")).isEqualTo(URI.create("HTTP://dumps/pg/"));
    }

    @Test
    void fileUrlOrAbsolutePathWithoutHostIsALocalDirectory() {
        BackupSource byUrl = BackupSources.forSection(section("ignored", "file:///srv/dumps/foodb/"));
        assertThat(byUrl).isInstanceOf(LocalDirectorySource.class);
        assertThat(((LocalDirectorySource) byUrl).directory()).isEqualTo(Path.of("/srv/dumps/foodb"));
        BackupSource byPath = BackupSources.forSection(section("", "/srv/dumps/foodb"));
        assertThat(((LocalDirectorySource) byPath).directory()).isEqualTo(Path.of("/srv/dumps/foodb"));
    }

    @Test
    void unusableSettingsNameTheOption() {
        assertThatThrownBy(() -> BackupSources.forSection(section("backup", null)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("[foodb.dev] backup_base_url: backup_base_url is not set");
        assertThatThrownBy(() -> BackupSources.forSection(section(null, "PostgreSQL/foodb")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("relative path 'PostgreSQL/foodb' without backup_host");
        assertThatThrownBy(() -> BackupSources.forSection(section("backup", "ftp://backup/dumps/")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unsupported URL scheme");
        assertThatThrownBy(() -> BackupSources.forSection(section("http://backup", "/dumps/")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).option()).isEqualTo("backup_host"));
        assertThatThrownBy(() -> BackupSources.forSection(section("backup", "/my dumps/")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid URL")
                .satisfies(e -> assertThat(((ConfigException) e).hint()).contains("%20"));
        assertThatThrownBy(() -> BackupSources.forSection(section("", "https:///nohost/")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no host");
    }

    @Test
    void dumpallUrlIsAPathOnBackupHostOrAFullUrl() {
        Section s = section("backup:8080", "/PostgreSQL/foodb/");
        assertThat(BackupSources.dumpallUrl(s)).isEmpty();
        assertThat(BackupSources.dumpallUrl(s.with("dumpall_url", "/PostgreSQL/globals.sql")))
                .contains(URI.create("http://backup:8080/PostgreSQL/globals.sql"));
        assertThat(BackupSources.dumpallUrl(s.with("dumpall_url", "https://other/g.sql")))
                .contains(URI.create("https://other/g.sql"));
        assertThatThrownBy(() -> BackupSources.dumpallUrl(section("", "/srv/d/").with("dumpall_url", "/g.sql")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).option()).isEqualTo("dumpall_url"));
    }
}
