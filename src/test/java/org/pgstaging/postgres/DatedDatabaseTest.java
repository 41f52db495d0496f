package org.pgstaging.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The one rule of dated copy names, dbname_YYYYMMDD, both ways. */
class DatedDatabaseTest {
    @Test
    void namesAndTheirParts() {
        LocalDate day = LocalDate.of(2026, 11, 24);
        assertThat(DatedDatabase.name("foo_db", day)).isEqualTo("foo_db_20261124");
        assertThat(DatedDatabase.split("foo_db_20261124")).contains(new DatedDatabase.Parts("foo_db", day));
        assertThat(DatedDatabase.dateOf("foo_db", "foo_db_20261124")).contains(day);
        assertThat(DatedDatabase.dateOf("foo", "foo_db_20261124")).as("another dbname").isEmpty();
        assertThat(DatedDatabase.split("foo_20261324")).as("no 13th month").isEmpty();
        assertThat(DatedDatabase.split("_20261124")).as("no dbname").isEmpty();
        assertThat(DatedDatabase.split("foodb")).isEmpty();
    }
}
