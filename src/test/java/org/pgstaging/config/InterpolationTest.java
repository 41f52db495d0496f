package org.pgstaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {

    private static String resolve(Map<String, String> raw, String option) throws Interpolator.Failure {
        return new Interpolator(raw).resolve(option);
    }

    @Test
    void recursiveReferencesAndLiteralPercent() throws Exception {
        Map<String, String> raw = Map.of(
                "postgres_major", "15",
                "bindir", "/usr/lib/postgresql/%(postgres_major)s/bin",
                "pg_restore", "%(bindir)s/pg_restore",
                "pct", "100%% of %(POSTGRES_MAJOR)s%%");
        assertThat(resolve(raw, "pg_restore")).isEqualTo("/usr/lib/postgresql/15/bin/pg_restore");
        assertThat(resolve(raw, "pct")).isEqualTo("100% of 15%");
    }

    @Test
    void percentEscapeDoesNotStartAReference() throws Exception {
        assertThat(resolve(Map.of("x", "%%(y)s"), "x")).isEqualTo("%(y)s");
    }

    @Test
    void selfReferenceIsALoop() {
        assertThatThrownBy(() -> resolve(Map.of("a", "x%(a)s"), "a"))
                .hasMessage("interpolation loop: a -> a");
    }

    @Test
    void referenceLeadingIntoALoopShowsThePath() {
        assertThatThrownBy(() -> resolve(Map.of("d", "%(a)s", "a", "%(b)s", "b", "%(a)s"), "d"))
                .hasMessage("interpolation loop: d -> a -> b -> a")
                .satisfies(f -> assertThat(((Interpolator.Failure) f).loop).containsExactlyInAnyOrder("a", "b"));
    }

    @Test
    void unterminatedReference() {
        assertThatThrownBy(() -> resolve(Map.of("a", "x %(b"), "a"))
                .hasMessageContaining("bad interpolation '%(b' in a");
    }

    @Test
    void undefinedReferenceDeepInTheChainNamesThePath() {
        assertThatThrownBy(() -> resolve(Map.of("a", "%(b)s", "b", "%(nope)s"), "a"))
                .hasMessage("%(nope)s in a -> b refers to undefined option 'nope'");
    }

    @Test
    void sectionNameAndDerivedDbnameAreAvailableInSections(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path f = Samples.write(dir, "n.ini", "[DEFAULT]\nhost = localhost\n"
                + "backup_base_url = /srv/%(dbname)s\ntmpdir = /var/tmp/%(__name__)s\n\n[foodb.dev]\n[bar]\ndbname = bardb\n");
        StagingConfig c = ConfigLoader.load(f);
        assertThat(c.section("foodb.dev").backupBaseUrl()).isEqualTo("/srv/foodb");
        assertThat(c.section("foodb.dev").tmpdir()).isEqualTo(java.nio.file.Path.of("/var/tmp/foodb.dev"));
        assertThat(c.section("bar").backupBaseUrl()).isEqualTo("/srv/bardb");
        assertThat(c.section("bar").values()).doesNotContainKey("__name__");
        assertThat(c.warnings()).isEmpty();
    }
}
