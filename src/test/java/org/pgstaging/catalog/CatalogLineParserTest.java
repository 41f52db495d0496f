package org.pgstaging.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The text parser on a captured {@code pg_restore -l} of the fixture (resources/catalog/fixture-restore-list.txt). */
class CatalogLineParserTest {

    static List<CatalogEntry> sample(List<String> knownSchemas) {
        var in = CatalogLineParserTest.class.getResourceAsStream("/catalog/fixture-restore-list.txt");
        Objects.requireNonNull(in, "sample list missing");
        try (CatalogSource s = Catalog.readList(new InputStreamReader(in, StandardCharsets.UTF_8), "sample", knownSchemas)) {
            return Catalog.readAll(s);
        }
    }

    @Test
    void readsEveryEntryOfTheSampleAndSkipsTheHeader() {
        List<CatalogEntry> all = sample(List.of());
        assertThat(all).hasSize(118); // the sample's header says 122 TOC entries, 4 of which -l does not list
        assertThat(all.get(0)).isEqualTo(CatalogEntry.of(8, 2615, 16635, "SCHEMA", null, "Sales Data", "postgres"));
    }

    @Test
    void splitsSpacedSchemaNamesLearnedFromSchemaLines() {
        List<CatalogEntry> all = sample(List.of());
        CatalogEntry table = find(all, 239);
        assertThat(table.desc()).isEqualTo("TABLE");
        assertThat(table.namespace()).isEqualTo("Sales Data");
        assertThat(table.tag()).isEqualTo("Order \"Items\"");
        assertThat(table.owner()).isEqualTo("postgres");
        assertThat(table.toListLine()).isEqualTo("239; 1259 16758 TABLE Sales Data Order \"Items\" postgres");
    }

    @Test
    void recognisesMultiWordEntryTypes() {
        List<CatalogEntry> all = sample(List.of());
        assertThat(all).filteredOn(e -> e.is("TABLE DATA")).hasSize(11)
                .anySatisfy(e -> {
                    assertThat(e.namespace()).isEqualTo("Sales Data");
                    assertThat(e.tag()).isEqualTo("Order \"Items\"");
                });
        assertThat(all).filteredOn(e -> e.is("SEQUENCE OWNED BY")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.namespace()).isNotNull());
        assertThat(all).filteredOn(e -> e.is("FK CONSTRAINT")).hasSize(5);
        assertThat(all).filteredOn(e -> e.is("MATERIALIZED VIEW DATA")).singleElement()
                .satisfies(e -> assertThat(e.qualifiedName()).isEqualTo("billing.revenue_by_customer"));
        assertThat(all).filteredOn(e -> e.is("DEFAULT ACL")).extracting(CatalogEntry::namespace)
                .containsExactlyInAnyOrder("app", "pgq");
        assertThat(all).filteredOn(e -> e.is("DEFAULT")).anySatisfy(e ->
                assertThat(e.qualifiedName()).isEqualTo("Sales Data.Order \"Items\" id"));
    }

    @Test
    void keepsUnicodeNamesEmptyOwnersAndSchemaComments() {
        List<CatalogEntry> all = sample(List.of());
        assertThat(all).anySatisfy(e -> {
            assertThat(e.desc()).isEqualTo("TABLE");
            assertThat(e.namespace()).isEqualTo("données");
            assertThat(e.tag()).isEqualTo("Ünïcode table");
        });
        CatalogEntry ext = all.stream().filter(e -> e.is("EXTENSION")).findFirst().orElseThrow();
        assertThat(ext.namespace()).isNull();
        assertThat(ext.tag()).isEqualTo("pg_trgm");
        assertThat(ext.owner()).isEmpty();
        CatalogEntry comment = find(all, 3549);
        assertThat(comment.desc()).isEqualTo("COMMENT");
        assertThat(comment.namespace()).isNull();
        assertThat(comment.tag()).isEqualTo("SCHEMA \"Sales Data\"");
    }

    @Test
    void configuredSchemasResolveLinesBeforeAnySchemaLine() {
        CatalogLineParser p = new CatalogLineParser(List.of("Sales Data"));
        CatalogEntry e = p.parse("3482; 0 16502 TABLE DATA Sales Data Order \"Items\" postgres", 7).orElseThrow();
        assertThat(e.namespace()).isEqualTo("Sales Data");
        assertThat(e.tag()).isEqualTo("Order \"Items\"");
        // without knowing the schema the split is the first word, the best a text listing allows
        CatalogEntry guess = new CatalogLineParser(List.of())
                .parse("3482; 0 16502 TABLE DATA Sales Data Order \"Items\" postgres", 7).orElseThrow();
        assertThat(guess.namespace()).isEqualTo("Sales");
        assertThat(new CatalogLineParser(List.of()).knownSchemas()).contains("public", "pg_catalog");
    }

    @Test
    void longestKnownSchemaWins() {
        CatalogLineParser p = new CatalogLineParser(List.of("Sales", "Sales Data"));
        assertThat(p.parse("1; 1259 1 TABLE Sales Data x postgres", 1).orElseThrow().namespace()).isEqualTo("Sales Data");
        assertThat(p.parse("2; 1259 2 TABLE Sales y postgres", 2).orElseThrow().namespace()).isEqualTo("Sales");
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndUnknownTypesTakeOneWord() {
        CatalogLineParser p = new CatalogLineParser(List.of());
        assertThat(p.parse(";3317; 2620 16479 TRIGGER billing invoices invoices_replicate postgres", 1)).isEmpty();
        assertThat(p.parse("   ", 2)).isEmpty();
        CatalogEntry e = p.parse("9; 1 2 FUTURETYPE app thing postgres", 3).orElseThrow();
        assertThat(e.desc()).isEqualTo("FUTURETYPE");
        assertThat(e.namespace()).isEqualTo("app");
        assertThat(e.tag()).isEqualTo("thing");
    }

    @Test
    void malformedLinesAreReportedWithTheirNumber() {
        CatalogLineParser p = new CatalogLineParser(List.of());
        assertThatThrownBy(() -> p.parse("CREATE TABLE app.customers (id int);", 12))
                .isInstanceOf(CatalogException.class).hasMessageContaining("catalog line 12")
                .satisfies(ex -> assertThat(((CatalogException) ex).hint()).contains("pg_restore -l"));
        assertThatThrownBy(() -> p.parse("x; 1 2 TABLE a b c", 3))
                .isInstanceOf(CatalogException.class).hasMessageContaining("must be numbers");
    }

    private static CatalogEntry find(List<CatalogEntry> all, int dumpId) {
        return all.stream().filter(e -> e.dumpId() == dumpId).findFirst().orElseThrow();
    }
}
