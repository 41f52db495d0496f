package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgstaging.PgStagingException;

class DateSpecTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    @Test
    void isoAndCompactFormsGiveTheSameDay() {
        assertThat(DateSpec.parse("2026-11-24").fixedDate(TODAY)).contains(LocalDate.of(2026, 11, 24));
        assertThat(DateSpec.parse("20261124").fixedDate(TODAY)).contains(LocalDate.of(2026, 11, 24));
        assertThat(DateSpec.parse(" 2024-02-29 ").kind()).isEqualTo(DateSpec.Kind.EXACT);
    }

    @Test
    void keywords() {
        assertThat(DateSpec.parse("today").fixedDate(TODAY)).contains(TODAY);
        assertThat(DateSpec.parse("latest").kind()).isEqualTo(DateSpec.Kind.LATEST);
        assertThat(DateSpec.parse("oldest").kind()).isEqualTo(DateSpec.Kind.OLDEST);
        assertThat(DateSpec.parse("latest").fixedDate(TODAY)).isEmpty();
    }

    @Test
    void latestAndOldestResolveAgainstWhatExists() {
        List<LocalDate> available = List.of(LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 24), LocalDate.of(2026, 11, 20));
        assertThat(DateSpec.latest().resolve(available, TODAY)).contains(LocalDate.of(2026, 11, 24));
        assertThat(DateSpec.oldest().resolve(available, TODAY)).contains(LocalDate.of(2026, 11, 20));
        assertThat(DateSpec.latest().resolve(List.of(), TODAY)).isEmpty();
        assertThat(DateSpec.today().resolve(available, TODAY)).contains(TODAY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30", "2025-02-29", "20261324", "20261100", "2026-00-10"})
    void impossibleDaysAreRejectedWithTheAcceptedForms(String text) {
        assertThatThrownBy(() -> DateSpec.parse(text))
                .isInstanceOf(PgStagingException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("no such day")
                .satisfies(e -> assertThat(((PgStagingException) e).hint()).contains("YYYY-MM-DD", "YYYYMMDD", "latest"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"yesterday", "2026-1-5", "26-11-24", "2026/11/24", "202611245", "Latest", "  "})
    void otherTextIsNotADate(String text) {
        assertThatThrownBy(() -> DateSpec.parse(text))
                .isInstanceOf(PgStagingException.class)
                .hasMessageContaining("not a date");
    }

    @Test
    void compactFormatting() {
        assertThat(DateSpec.compact(LocalDate.of(2026, 1, 5))).isEqualTo("20260105");
        assertThat(DateSpec.parse("20260105").toString()).isEqualTo("2026-01-05");
        assertThat(DateSpec.latest().toString()).isEqualTo("latest");
    }
}
