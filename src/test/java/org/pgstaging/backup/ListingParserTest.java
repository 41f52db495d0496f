package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parses listings captured from the real servers (see {@link CaptureListingSamples}) serving
 * {@link SampleDumps}; {@link HttpBackupSourceTest} checks the same against live servers.
 */
class ListingParserTest {
    private static final URI BASE = URI.create("http://backup.example/PostgreSQL/foodb/nightly/");
    private static final long M = 1024 * 1024;

    /** sample, format, expected sizes of foodb 11-20, 11-22, 11-23, 11-24 (null = not listed) */
    static Stream<Arguments> samples() {
        Long[] exact = {1_048_576L, 11L, 109_064_249L, 1_019_193L};
        // Apache rounds: 1.0M, 11, 104M, 1.0M (995 KiB shows as 1.0M)
        Long[] apache = {M, 11L, 104 * M, M};
        Long[] none = {null, null, null, null};
        return Stream.of(
                Arguments.of("apache-fancy-table.html", ListingParser.Format.TABLE, apache),
                Arguments.of("apache-fancy-pre.html", ListingParser.Format.PRE, apache),
                Arguments.of("apache-plain.html", ListingParser.Format.LINKS, none),
                Arguments.of("nginx.html", ListingParser.Format.PRE, exact),
                Arguments.of("nginx.json", ListingParser.Format.JSON, exact));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void keepsOnlyTheDumpsOfTheDatabaseWithSizes(String sample, ListingParser.Format format, Long[] sizes)
            throws IOException {
        String body = resource(sample);
        assertThat(ListingParser.detect(body)).isEqualTo(format);

        List<BackupFile> all = DumpName.select("foodb", ListingParser.parse(body), ListingParserTest::locate);
        // the empty directory foodb.2026-11-25.dump/ is a directory-format candidate (the source checks its toc.dat)
        assertThat(all).filteredOn(BackupFile::isDirectory).extracting(BackupFile::fileName)
                .containsExactly("foodb.2026-11-25.dump");
        List<BackupFile> foodb = all.stream().filter(b -> !b.isDirectory()).toList();
        assertThat(foodb).extracting(BackupFile::fileName).containsExactly(
                "foodb.2026-11-20.dump", "foodb.2026-11-22.dump", "foodb.2026-11-23.dump", "foodb.2026-11-24.dump");
        assertThat(foodb).extracting(BackupFile::date).isSorted();
        for (int i = 0; i < sizes.length; i++) {
            OptionalLong expected = sizes[i] == null ? OptionalLong.empty() : OptionalLong.of(sizes[i]);
            assertThat(foodb.get(i).size()).as(foodb.get(i).fileName()).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void namesComeFromDecodedHrefsNotTruncatedTexts(String sample, ListingParser.Format format, Long[] sizes)
            throws IOException {
        List<ListingEntry> entries = ListingParser.parse(resource(sample));
        assertThat(dates("foo.db", entries)).containsExactly(LocalDate.of(2026, 11, 20));
        assertThat(dates("fooXdb", entries)).containsExactly(LocalDate.of(2026, 11, 21));
        assertThat(dates("foo bar", entries)).containsExactly(LocalDate.of(2026, 11, 19));
        assertThat(dates("café", entries)).containsExactly(LocalDate.of(2026, 11, 17));
        assertThat(dates("a_very_long_database_name_that_exceeds_fifty_chars", entries))
                .containsExactly(LocalDate.of(2026, 11, 18));
        assertThat(dates("foodb_old", entries)).containsExactly(LocalDate.of(2026, 1, 1));
        // the directory named like a dump, parent links and sort links are not files
        assertThat(entries).filteredOn(e -> e.name().equals("foodb.2026-11-25.dump")).allMatch(ListingEntry::directory);
        assertThat(entries).noneMatch(e -> e.name().contains("?") || e.name().contains("C=N"));
        assertThat(entries).filteredOn(e -> !e.directory()).hasSize(SampleDumps.FILES.size());
    }

    private static List<LocalDate> dates(String dbname, List<ListingEntry> entries) {
        return DumpName.select(dbname, entries, ListingParserTest::locate).stream().map(BackupFile::date).toList();
    }

    @Test
    void apacheRoundedSizesAreApproximations() {
        assertThat(HtmlListing.size("1.0M")).hasValue(M);
        assertThat(HtmlListing.size("104M")).hasValue(104 * M);
        assertThat(HtmlListing.size("5.9K")).hasValue(Math.round(5.9 * 1024));
        assertThat(HtmlListing.size("2.1G")).hasValue(Math.round(2.1 * 1024 * M));
        assertThat(HtmlListing.size(" 11 ")).hasValue(11);
        assertThat(HtmlListing.size("  - ")).isEmpty();
        assertThat(HtmlListing.size("")).isEmpty();
    }

    @Test
    void percentDecodingKeepsPlusSignsAndBadEscapes() {
        assertThat(HtmlListing.percentDecode("caf%c3%a9")).isEqualTo("café");
        assertThat(HtmlListing.percentDecode("a+b%20c")).isEqualTo("a+b c");
        assertThat(HtmlListing.percentDecode("100%")).isEqualTo("100%");
        assertThat(HtmlListing.percentDecode("%zz")).isEqualTo("%zz");
    }

    @Test
    void brokenJsonIsReportedNotIgnored() {
        assertThatThrownBy(() -> ListingParser.parse("[{\"name\": \"foodb.2026-11-24.dump\", "))
                .isInstanceOf(BackupException.class).hasMessageContaining("JSON");
        assertThatThrownBy(() -> ListingParser.parse("{\"error\": \"forbidden\"}"))
                .isInstanceOf(BackupException.class).hasMessageContaining("not an array");
    }

    @Test
    void pageWithoutLinksHasNoEntries() {
        assertThat(ListingParser.parse("<html><body><h1>Maintenance</h1></body></html>")).isEmpty();
    }

    private static URI locate(String name) {
        return BASE.resolve(HttpBackupSource.encodeSegment(name));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ListingParserTest.class.getResourceAsStream("/backup/" + name)) {
            if (in == null) throw new IOException("missing test resource backup/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
