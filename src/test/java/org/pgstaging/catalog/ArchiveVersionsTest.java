package org.pgstaging.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The archive reader on catalogs in the layouts of pg_dump 9.x to 17 (archive versions 1.12 to 1.16). */
class ArchiveVersionsTest {
    static final List<CatalogEntry> ENTRIES = List.of(
            new CatalogEntry(1, 0, 0, "ENCODING", null, "ENCODING", "", "SET client_encoding = 'UTF8';\n", null),
            new CatalogEntry(5, 2615, 16390, "SCHEMA", null, "Sales Data", "owner", null, null),
            new CatalogEntry(7, 1255, 16400, "FUNCTION", "pgq", "logtriga()", "owner", null, new int[] {5}),
            new CatalogEntry(9, 1259, 16482, "TABLE", "Sales Data", "Order \"Items\"", "owner", null, new int[] {5}),
            new CatalogEntry(10, 0, 16482, "TABLE DATA", "Sales Data", "Order \"Items\"", "owner", null, new int[] {9}),
            new CatalogEntry(12, 2620, 16500, "TRIGGER", "Sales Data", "Order \"Items\" t", "owner",
                    "CREATE TRIGGER t AFTER INSERT ON \"Sales Data\".\"Order \"\"Items\"\"\" FOR EACH ROW "
                            + "EXECUTE FUNCTION pgq.logtriga();\n", new int[] {7, 9}));

    @ParameterizedTest(name = "archive 1.{0}, format code {1}")
    @CsvSource({"12,1", "13,1", "14,1", "15,1", "16,1", "14,3", "15,3", "16,3"})
    void readsEveryFieldTheFilterNeeds(int minor, int formatCode) {
        byte[] bytes = TestArchiveWriter.archive(minor, formatCode, ENTRIES);
        try (ArchiveTocReader r = ArchiveTocReader.open(new ByteArrayInputStream(bytes), "test.dump")) {
            ArchiveHeader h = r.archiveHeader();
            assertThat(h.version()).isEqualTo("1." + minor + ".0");
            assertThat(h.format()).isEqualTo(formatCode == 1 ? ArchiveHeader.Format.CUSTOM : ArchiveHeader.Format.DIRECTORY);
            assertThat(h.compression()).isEqualTo(minor >= 15 ? "none" : "gzip");
            assertThat(h.databaseName()).isEqualTo("testdb");
            assertThat(h.pgDumpVersion()).isEqualTo("17.2");
            List<CatalogEntry> read = Catalog.readAll(r);
            // the reader keeps definitions only where the filter reads them (triggers, extensions), and
            // the data offsets a custom-format file records (the writer puts table data at byte 64), and
            // the data file a directory dump's toc.dat names
            assertThat(read).containsExactlyElementsOf(ENTRIES.stream().map(e -> new CatalogEntry(e.dumpId(),
                    e.catalogOid(), e.objectOid(), e.desc(), e.namespace(), e.tag(), e.owner(),
                    e.is("TRIGGER") ? e.defn() : null, e.dependencies(),
                    formatCode == 1 && e.is("TABLE DATA") ? 64 : -1,
                    formatCode == 3 && e.is("TABLE DATA") ? e.dumpId() + ".dat" : null)).toList());
        }
    }

    @Test
    void newerVersionsAreRefusedWithTheFallbackAsHint() {
        byte[] bytes = TestArchiveWriter.archive(16, 1, ENTRIES);
        bytes[6] = 17;
        assertThatThrownBy(() -> ArchiveTocReader.open(new ByteArrayInputStream(bytes), "new.dump"))
                .isInstanceOf(UnsupportedArchiveVersionException.class)
                .hasMessageContaining("new.dump").hasMessageContaining("1.17.0")
                .satisfies(e -> assertThat(((CatalogException) e).hint()).contains("pg_restore -l"));
    }

    @Test
    void namesOfNonUtf8DatabasesDecodeWithTheDumpsEncoding() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TestArchiveWriter w = new TestArchiveWriter(bytes, 14, 4, 1).charset(Charset.forName("ISO-8859-1"));
        w.header("latin", 2);
        w.entry(new CatalogEntry(1, 0, 0, "ENCODING", null, "ENCODING", "", "SET client_encoding = 'LATIN1';\n", null));
        w.entry(CatalogEntry.of(2, 1259, 1, "TABLE", "données", "été", "owner"));
        try (ArchiveTocReader r = ArchiveTocReader.open(new ByteArrayInputStream(bytes.toByteArray()), "latin.dump")) {
            List<CatalogEntry> all = Catalog.readAll(r);
            assertThat(all.get(1).namespace()).isEqualTo("données");
            assertThat(all.get(1).tag()).isEqualTo("été");
        }
    }

    @Test
    void corruptOrForeignBytesAreReportedClearly() {
        byte[] good = TestArchiveWriter.archive(14, 1, ENTRIES);
        byte[] badFormat = Arrays.copyOf(good, good.length);
        badFormat[10] = 9;
        assertThatThrownBy(() -> ArchiveTocReader.open(new ByteArrayInputStream(badFormat), "x.dump"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("unknown archive format code 9");
        assertThatThrownBy(() -> ArchiveTocReader.open(new ByteArrayInputStream(new byte[0]), "empty.dump"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("empty.dump: is empty");
        assertThatThrownBy(() -> ArchiveTocReader.open(new ByteArrayInputStream(
                "PK\3\4 zip file".getBytes(StandardCharsets.US_ASCII)), "x.zip"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("not a pg_dump archive");
        assertThatThrownBy(() -> ArchiveTocReader.open(new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b, 8, 0}), "x.gz"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("gzip");
        assertThatThrownBy(() -> ArchiveTocReader.open(new ByteArrayInputStream(Arrays.copyOf(good, 12)), "short.dump"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("ends inside the archive header");
    }
}
