package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [slack] state_url: checked when the file loads, at its line, and its password never shown. */
class StateUrlTest {
    @TempDir Path dir;

    private StagingConfig load(String stateUrl) {
        return ConfigLoader.load(Samples.write(dir, "pgstaging.ini", Samples.MINIMAL_DEFAULT
                + "[foodb.dev]\n\n[slack]\nmode = socket\nstate_url = " + stateUrl + "\n"));
    }

    @Test
    void aPostgresUrlPutsTheStateThereAndNamesItWithoutItsPassword() {
        StagingConfig config = load("jdbc:postgresql://state.example:5433/pgstaging?user=bot&password=S3cretPass");
        StateUrl url = config.stateUrl().orElseThrow();
        assertThat(url.display()).isEqualTo("state.example:5433/pgstaging");
        assertThat(url.jdbcUrl()).contains("password=S3cretPass");
        assertThat(url.toString()).isEqualTo("jdbc:postgresql://state.example:5433/pgstaging?user=bot&password=****");
        assertThat(url.mask("could not reach jdbc:postgresql://state.example:5433/pgstaging?user=bot&password=S3cretPass"
                + " (password S3cretPass refused)")).doesNotContain("S3cretPass").contains("password=****");
        assertThat(load("jdbc:postgresql://db/state").stateUrl().orElseThrow().display()).isEqualTo("db:5432/state");
    }

    @Test
    void withoutStateUrlTheStateStaysInStateDir() {
        StagingConfig config = ConfigLoader.load(Samples.write(dir, "plain.ini", Samples.MINIMAL_DEFAULT + "[foodb.dev]\n"));
        assertThat(config.stateUrl()).isEmpty();
        assertThat(load("").stateUrl()).isEmpty();
    }

    @Test
    void anotherKindOfUrlIsRefusedAtItsLineWithItsPasswordHidden() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load("postgresql://state.example/pgstaging?user=bot&password=S3cretPass"));
        assertThat(e).isNotNull();
        assertThat(e.line()).isEqualTo(9);
        assertThat(e.section()).isEqualTo("slack");
        assertThat(e.option()).isEqualTo("state_url");
        assertThat(e.getMessage()).contains("only jdbc:postgresql: is accepted").contains("password=****")
                .doesNotContain("S3cretPass");
        assertThat(e.hint()).contains("jdbc:postgresql://HOST:PORT/DATABASE?user=USER").contains("state_dir");

        assertThat(catchThrowableOfType(ConfigException.class, () -> load("jdbc:mysql://state.example/pgstaging")))
                .hasMessageContaining("only jdbc:postgresql: is accepted");
        assertThat(catchThrowableOfType(ConfigException.class, () -> load("jdbc:postgresql://state.example:5432/?user=bot")))
                .hasMessageContaining("names no database");
        assertThat(catchThrowableOfType(ConfigException.class, () -> load("jdbc:postgresql://state.example:port/db")))
                .hasMessageContaining("no valid port ('port')");
    }

    @Test
    void aConsoleOverrideIsCheckedToo() {
        StagingConfig config = load("jdbc:postgresql://db/state");
        assertThat(catchThrowableOfType(ConfigException.class,
                () -> config.withOverride("slack", "state_url", "jdbc:h2:/tmp/x")))
                .hasMessageContaining("state_url").hasMessageContaining("only jdbc:postgresql:");
        assertThat(config.withOverride("slack", "state_url", "jdbc:postgresql://other/state").stateUrl().orElseThrow().display())
                .isEqualTo("other:5432/state");
    }
}
