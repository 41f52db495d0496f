package org.pgstaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one "did you mean" policy, as every face applies it. */
class DidYouMeanTest {
    @Test
    void nearByEditDistanceOrContainingTheWordNearestFirstAtMostThree() {
        List<String> options = List.of("keep_bases", "keep_failed", "remove_dump", "restore_jobs", "restore_mode", "restore_on",
                "restore_settings", "restore_vacuum");
        assertThat(DidYouMean.nearest("keep_base", options)).containsExactly("keep_bases");
        assertThat(DidYouMean.nearest("KEEP_BASE", options)).as("case is ignored").containsExactly("keep_bases");
        assertThat(DidYouMean.nearest("restore", options)).as("contained, three at most, nearest first")
                .containsExactly("restore_on", "restore_jobs", "restore_mode");
        assertThat(DidYouMean.nearest("zz", options)).isEmpty();
        assertThat(DidYouMean.nearest("swich", List.of("switch", "show", "fetch"))).first().isEqualTo("switch");
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
    }
}
