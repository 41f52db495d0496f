package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -c FILE, else $PGSTAGING_CONFIG, else /etc/pgstaging/pgstaging.ini. */
class ConfigPathTest {
    @TempDir Path dir;

    @Test
    void commandLineWinsOverEnvironmentAndSystemFile() {
        Path cli = Samples.write(dir, "cli.ini", "");
        Path env = Samples.write(dir, "env.ini", "");
        Path sys = Samples.write(dir, "sys.ini", "");
        assertThat(ConfigLoader.resolvePath(cli.toString(), Map.of(ConfigLoader.ENV, env.toString()), sys)).isEqualTo(cli);
        assertThat(ConfigLoader.resolvePath(null, Map.of(ConfigLoader.ENV, env.toString()), sys)).isEqualTo(env);
        assertThat(ConfigLoader.resolvePath("  ", Map.of(ConfigLoader.ENV, " "), sys)).isEqualTo(sys);
        assertThat(ConfigLoader.resolvePath(null, Map.of(), sys)).isEqualTo(sys);
    }

    @Test
    void missingFileNamesItAndTheThreePlaces() {
        Path env = dir.resolve("missing-env.ini");
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.resolvePath(null, Map.of(ConfigLoader.ENV, env.toString()), dir.resolve("sys.ini")));
        assertThat(e.file()).isEqualTo(env);
        assertThat(e.getMessage()).startsWith(env.toString())
                .contains("no such file")
                .contains("-c (not given)")
                .contains("$PGSTAGING_CONFIG = " + env)
                .contains(dir.resolve("sys.ini").toString());
        assertThat(e.hint()).contains("-c FILE").contains("PGSTAGING_CONFIG");
    }

    @Test
    void systemDefaultIsEtcPgstaging() {
        assertThat(ConfigLoader.SYSTEM_FILE).isEqualTo(Path.of("/etc/pgstaging/pgstaging.ini"));
        Path missing = dir.resolve("nope.ini");
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.resolvePath(missing.toString()));
        assertThat(e.getMessage()).contains("-c " + missing).contains("/etc/pgstaging/pgstaging.ini");
    }

    @Test
    void emptyFileHasNoStagingSection() {
        Path empty = Samples.write(dir, "empty.ini", "");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(empty));
        assertThat(e.getMessage()).isEqualTo(empty + ": no staging section");
    }

    @Test
    void minimalFile() {
        Path f = Samples.write(dir, "min.ini", "[foodb.dev]\nbackup_base_url = /srv/dumps\nhost = localhost\n");
        StagingConfig c = ConfigLoader.load(f);
        Section s = c.section("foodb.dev");
        assertThat(s.dbname()).isEqualTo("foodb");
        assertThat(c.defaults()).isEmpty();
        assertThat(c.warnings()).isEmpty();
    }
}
