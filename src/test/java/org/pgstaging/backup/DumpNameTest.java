package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DumpNameTest {
    @Test
    void matchesOnlyExactNamesWithRealDates() {
        assertThat(DumpName.dateOf("foodb", "foodb.2026-11-24.dump")).contains(LocalDate.of(2026, 11, 24));
        assertThat(DumpName.dateOf("foodb", "foodb_old.2026-01-01.dump")).isEmpty();
        assertThat(DumpName.dateOf("foodb", "xfoodb.2026-11-24.dump")).isEmpty();
        assertThat(DumpName.dateOf("foodb", "foodb.2026-13-01.dump")).isEmpty();
        assertThat(DumpName.dateOf("foodb", "foodb.2026-02-30.dump")).isEmpty();
        assertThat(DumpName.dateOf("foodb", "foodb.20261124.dump")).isEmpty();
        assertThat(DumpName.dateOf("foodb", "foodb.2026-11-24.dump.md5")).isEmpty();
        assertThat(DumpName.dateOf("foodb", ".foodb.2026-11-24.dump.part")).isEmpty();
    }

    @Test
    void dbnameIsLiteralNotARegex() {
        assertThat(DumpName.dateOf("foo.db", "foo.db.2026-11-20.dump")).isPresent();
        assertThat(DumpName.dateOf("foo.db", "fooXdb.2026-11-21.dump")).isEmpty();
        assertThat(DumpName.dateOf("a+b", "a+b.2026-11-20.dump")).isPresent();
        assertThat(DumpName.dateOf("a+b", "aab.2026-11-20.dump")).isEmpty();
        assertThat(DumpName.dateOf("a.*", "a.*.2026-11-20.dump")).isPresent();
        assertThat(DumpName.dateOf("a.*", "abc.2026-11-20.dump")).isEmpty();
    }

    @Test
    void selectKeepsDumpsOfThatDatabaseOldestFirst() {
        List<ListingEntry> entries = List.of(
                new ListingEntry("foodb.2026-11-24.dump", false, OptionalLong.of(3)),
                new ListingEntry("foodb.2026-11-25.dump", true, OptionalLong.empty()),
                new ListingEntry("foodb.2026-11-20.dump", false, OptionalLong.empty()),
                new ListingEntry("bardb.2026-11-21.dump", false, OptionalLong.of(1)));
        List<BackupFile> files = DumpName.select("foodb", entries, n -> URI.create("http://h/d/" + n));
        assertThat(files).extracting(BackupFile::date)
                .containsExactly(LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 24), LocalDate.of(2026, 11, 25));
        // a directory named like a dump is a directory-format dump, addressed with its final slash
        assertThat(files.get(2).kind()).isEqualTo(BackupFile.Kind.DIRECTORY);
        assertThat(files.get(2).location()).isEqualTo(URI.create("http://h/d/foodb.2026-11-25.dump/"));
        assertThat(files.get(2).size()).isEmpty();
        assertThat(files.get(1).kind()).isEqualTo(BackupFile.Kind.FILE);
        assertThat(files.get(1).size()).hasValue(3);
        assertThat(files.get(1).location()).isEqualTo(URI.create("http://h/d/foodb.2026-11-24.dump"));
        assertThat(files.get(1).dbname()).isEqualTo("foodb");
    }

    @Test
    void aGivenFileIsReadInEitherOfPgstagingsTwoNamingsAndACopysDumpUsesTheCompactOne() {
        assertThat(DumpName.dateOfFile("foodb.2026-11-24.dump")).isEqualTo(java.time.LocalDate.of(2026, 11, 24));
        assertThat(DumpName.dateOfFile("foo.db.20261124.dump")).isEqualTo(java.time.LocalDate.of(2026, 11, 24));
        assertThat(DumpName.ofCopy("foodb", java.time.LocalDate.of(2026, 11, 24))).isEqualTo("foodb.20261124.dump");
        for (String bad : List.of("foodb.2026-02-30.dump", "foodb.20261324.dump", "foodb.dump", "foodb.2026-11-24.sql")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DumpName.dateOfFile(bad)).as(bad)
                    .isInstanceOf(org.pgstaging.PgStagingException.class).hasMessageContaining("is not a dump file name");
        }
    }

    @Test
    void fileName() {
        assertThat(DumpName.fileName("foodb", LocalDate.of(2026, 1, 5))).isEqualTo("foodb.2026-01-05.dump");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "../etc", "a/b", "..", "tab\there"})
    void namesThatWouldEscapeTheDirectoryAreRejected(String dbname) {
        assertThatThrownBy(() -> DumpName.fileName(dbname, LocalDate.of(2026, 1, 5)))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("invalid database name");
    }
}
