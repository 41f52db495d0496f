package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarningsTest {
    private final Path file = Samples.resource("warnings.ini");
    private final StagingConfig config = ConfigLoader.load(file);

    private ConfigWarning warning(String section, String option) {
        return config.warnings().stream()
                .filter(w -> section.equals(w.section()) && option.equals(w.option()))
                .findFirst().orElseThrow(() -> new AssertionError("no warning for [" + section + "] " + option
                        + " in " + config.warnings()));
    }

    @Test
    void unknownOptionSuggestsTheNearestKnownName() {
        ConfigWarning w = warning("DEFAULT", "keep_base");
        assertThat(w.file()).isEqualTo(file);
        assertThat(w.line()).isEqualTo(4);
        assertThat(w.message()).contains("ignored").contains("did you mean keep_bases?");
        assertThat(w.toString()).startsWith(file + ":4: [DEFAULT] keep_base: ");
    }

    @Test
    void relnameNodataRegexpIsNotAPgStagingOptionAndPointsToTheRealOne() {
        // pg_staging only ever read tablename_nodata_regexp (relname_nodata is an internal variable)
        ConfigWarning w = warning("foodb.dev", "relname_nodata_regexp");
        assertThat(w.line()).isEqualTo(10);
        assertThat(w.message()).contains("did you mean tablename_nodata_regexp?");
        assertThat(config.section("foodb.dev").tablenameNodataRegexp()).isEmpty();
    }

    @Test
    void farFromAnyNameGetsAPointerToTheManPage() {
        assertThat(warning("foodb.dev", "totally_unrelated_name").message()).contains("pgstaging.ini(5)");
    }

    @Test
    void optionsInTheWrongKindOfSection() {
        assertThat(warning("foodb.dev", "bot_token").message()).contains("[slack] option");
        assertThat(warning("slack", "keep_bases").message()).contains("staging option");
        assertThat(warning("slack", "chanels").message()).contains("did you mean channels?");
    }

    @Test
    void probableInlineCommentIsKeptButFlagged() {
        assertThat(config.section("foodb.dev").searchPath()).contains("public ; the default");
        assertThat(warning("foodb.dev", "search_path").message()).contains("' ;'");
    }

    @Test
    void ignoredPgStagingOptionsAndKnownSlackOptionsDoNotWarn() {
        List<String> warned = config.warnings().stream().map(ConfigWarning::option).toList();
        assertThat(warned).doesNotContain("replication", "pitr_basedir")
                .containsOnlyOnce("bot_token"); // only the one misplaced in [foodb.dev]
        assertThat(config.warnings()).extracting(ConfigWarning::line).isSorted();
        assertThat(config.slack()).containsEntry("chanels", "#x");
    }
}
