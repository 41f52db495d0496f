package org.pgstaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One way to write a size, whichever face shows it. */
class SizesTest {
    @Test
    void likePgSizePrettyWithOneDecimalBelowAHundred() {
        assertThat(Sizes.human(0)).isEqualTo("0 bytes");
        assertThat(Sizes.human(1023)).isEqualTo("1023 bytes");
        assertThat(Sizes.human(1024)).isEqualTo("1.0 kB");
        assertThat(Sizes.human(1_019_193)).isEqualTo("995 kB");
        assertThat(Sizes.human(1_288_490_189L)).isEqualTo("1.2 GB");
        assertThat(Sizes.human(120L * 1024 * 1024)).isEqualTo("120 MB");
        assertThat(Sizes.human(104_805_376L)).as("99.95 MB rounds to 100, not 100.0").isEqualTo("100 MB");
        assertThat(Sizes.human(Long.MAX_VALUE)).endsWith(" PB");
    }
}
