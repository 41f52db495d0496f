package org.pgstaging.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog package against real dumps of the shared fixture, checked against pg_restore itself:
 * the archive reader must agree with {@code pg_restore -l} line for line, and a filtered list must make
 * pg_restore leave out exactly what the rules say.
 */
class CatalogDumpTest {
    static FixtureCluster pg;
    static Path custom;
    static Path directory;
    static Path tar;
    static Path plain;
    static String restoreList;

    static final FilterRules STAGING_RULES = new FilterRules(
            List.of("public", "app", "billing", "Sales Data", "données"), List.of("audit"),
            Optional.of(Pattern.compile("_log$|^app\\.sessions$")));

    @BeforeAll
    static void startCluster() throws Exception {
        pg = FixtureCluster.start();
        custom = pg.dump("c", "src.dump");
        directory = pg.dump("d", "src.dir");
        tar = pg.dump("t", "src.tar");
        plain = pg.dump("p", "src.sql");
        restoreList = pg.tool("pg_restore", "-l", custom.toString());
    }

    @AfterAll
    static void stopCluster() {
        if (pg != null) pg.close();
    }

    static List<String> entryLines(String listing) {
        return listing.lines().filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
    }

    static List<CatalogEntry> readAll(CatalogSource source) {
        try (source) {
            return Catalog.readAll(source);
        }
    }

    @Test
    void archiveReaderAgreesWithPgRestoreLineForLine() {
        List<CatalogEntry> entries = readAll(Catalog.read(custom));
        List<String> lines = entries.stream().filter(CatalogEntry::isListed).map(CatalogEntry::toListLine).toList();
        // pg_restore -l sorts by section and type; the archive keeps dump order; ids and text must match
        assertThat(lines).containsExactlyInAnyOrderElementsOf(entryLines(restoreList));
        assertThat(lines).contains(
                "8; 2615 " + oidOf(entries, "SCHEMA", null, "Sales Data") + " SCHEMA - Sales Data postgres",
                entries.stream().filter(e -> e.is("TABLE") && e.tag().equals("Order \"Items\"")).findFirst()
                        .orElseThrow().toListLine());
    }

    @Test
    void archiveReaderGivesExactNamesOwnersAndHeader() {
        try (ArchiveTocReader r = Catalog.read(custom)) {
            ArchiveHeader h = r.archiveHeader();
            assertThat(h.format()).isEqualTo(ArchiveHeader.Format.CUSTOM);
            assertThat(h.major()).isEqualTo(1);
            assertThat(h.minor()).isBetween(14, 16);
            assertThat(h.databaseName()).isEqualTo("src");
            assertThat(h.pgDumpVersion()).startsWith(pg.bin.getParent().getFileName().toString());
            List<CatalogEntry> all = Catalog.readAll(r);
            assertThat(all).hasSize(h.entryCount());

            CatalogEntry items = find(all, "TABLE", "Sales Data", "Order \"Items\"");
            assertThat(items.owner()).isEqualTo("postgres");
            assertThat(items.catalogOid()).isEqualTo(1259);
            find(all, "TABLE", "données", "Ünïcode table");
            find(all, "SEQUENCE", "données", "compteur été");
            find(all, "TABLE DATA", "Sales Data", "Order \"Items\"");
            find(all, "SCHEMA", null, "Sales Data");
            CatalogEntry ext = find(all, "EXTENSION", null, "pg_trgm");
            assertThat(ext.owner()).isEmpty();
            assertThat(ext.defn()).contains("WITH SCHEMA public");
        }
    }

    @Test
    void triggerEntriesCarryTheirDefinitionAndDependOnTableAndFunction() {
        List<CatalogEntry> all = readAll(Catalog.read(custom));
        CatalogEntry replicate = find(all, "TRIGGER", "billing", "invoices invoices_replicate");
        assertThat(replicate.defn()).contains("EXECUTE FUNCTION pgq.logtriga()");
        CatalogEntry logtriga = find(all, "FUNCTION", "pgq", "logtriga()");
        CatalogEntry invoices = find(all, "TABLE", "billing", "invoices");
        assertThat(replicate.dependsOn(logtriga.dumpId())).isTrue();
        assertThat(replicate.dependsOn(invoices.dumpId())).isTrue();
        // definitions the filter does not need are not kept
        assertThat(invoices.defn()).isNull();
    }

    @Test
    void directoryAndTarDumpsGiveTheSameCatalog() {
        List<String> fromCustom = readAll(Catalog.read(custom)).stream().map(this::withoutOids).toList();
        assertThat(fromCustom).contains("ENCODING|null|ENCODING|", "DATABASE|null|src|postgres");
        try (ArchiveTocReader dir = Catalog.read(directory)) {
            assertThat(dir.archiveHeader().format()).isEqualTo(ArchiveHeader.Format.DIRECTORY);
            assertThat(Catalog.readAll(dir).stream().map(this::withoutOids).toList())
                    .containsExactlyInAnyOrderElementsOf(fromCustom);
        }
        List<CatalogEntry> fromTocDat = readAll(Catalog.read(directory.resolve("toc.dat")));
        assertThat(fromTocDat).hasSameSizeAs(fromCustom);
        try (ArchiveTocReader t = Catalog.read(tar)) {
            assertThat(t.archiveHeader().format()).isEqualTo(ArchiveHeader.Format.TAR);
            assertThat(Catalog.readAll(t).stream().map(this::withoutOids).toList())
                    .containsExactlyInAnyOrderElementsOf(fromCustom);
        }
    }

    private String withoutOids(CatalogEntry e) {
        return e.desc() + "|" + e.namespace() + "|" + e.tag() + "|" + e.owner();
    }

    @Test
    void catalogIsReadFromTheFirstBytesOfADumpAndATruncatedOneIsReported() throws Exception {
        byte[] whole = Files.readAllBytes(custom);
        int tocEnd = tocLength(whole);
        assertThat(tocEnd).isLessThan(whole.length);
        // just the catalog's bytes are enough: the table data after it is never touched
        try (ArchiveTocReader r = Catalog.read(new ByteArrayInputStream(Arrays.copyOf(whole, tocEnd)), "prefix")) {
            assertThat(Catalog.readAll(r).stream().filter(CatalogEntry::isListed)).hasSize(entryLines(restoreList).size());
        }
        assertThat(readsWhole(Arrays.copyOf(whole, tocEnd - 1))).isFalse();
        byte[] cut = Arrays.copyOf(whole, tocEnd / 2);
        assertThatThrownBy(() -> readAll(Catalog.read(new ByteArrayInputStream(cut), "half.dump")))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("half.dump").hasMessageContaining("ends inside its catalog");
    }

    /** The shortest prefix of the dump whose catalog reads whole: found by bisection. */
    private static int tocLength(byte[] dump) {
        int lo = 0;
        int hi = dump.length; // the whole dump reads
        while (lo + 1 < hi) {
            int mid = (lo + hi) >>> 1;
            if (readsWhole(Arrays.copyOf(dump, mid))) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    private static boolean readsWhole(byte[] prefix) {
        try (ArchiveTocReader r = Catalog.read(new ByteArrayInputStream(prefix), "prefix")) {
            Catalog.readAll(r);
            return true;
        } catch (CatalogException e) {
            return false;
        }
    }

    @Test
    void namesOfSqlAsciiAndLatin1DatabasesAreReadAsTheirBytes() throws Exception {
        pg.psql("postgres", "CREATE DATABASE asc_db ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        pg.psql("postgres", "CREATE DATABASE latin_db ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        // SQL_ASCII stores what clients send: one schema sent as UTF-8, one as Latin-1
        Path sql = pg.dir.resolve("sql_ascii.sql");
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes("CREATE SCHEMA \"Ventes Été\"; CREATE TABLE \"Ventes Été\".t (id int);\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("CREATE SCHEMA \"Café\"; CREATE TABLE \"Café\".t (id int);\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(sql, b.toByteArray());
        pg.psqlFile("asc_db", sql, "SQL_ASCII");
        Path latinSql = pg.dir.resolve("latin1.sql");
        Files.writeString(latinSql, "CREATE SCHEMA \"Ventes Été\"; CREATE TABLE \"Ventes Été\".t (id int);\n", StandardCharsets.UTF_8);
        pg.psqlFile("latin_db", latinSql, "UTF8");   // converted to LATIN1 by the server

        List<CatalogEntry> ascii = readAll(Catalog.open(pg.dump("c", "asc.dump", "asc_db"), List.of()));
        assertThat(ascii).filteredOn(e -> e.is("SCHEMA")).extracting(CatalogEntry::tag)
                .contains("Ventes Été", "Café");
        List<CatalogEntry> latin = readAll(Catalog.open(pg.dump("c", "latin.dump", "latin_db"), List.of()));
        assertThat(latin).filteredOn(e -> e.is("TABLE")).extracting(CatalogEntry::namespace).containsExactly("Ventes Été");

        // and a schema filter written in the ini (UTF-8) finds them
        CatalogFilter only = new CatalogFilter(new FilterRules(List.of("Ventes Été"), List.of(), Optional.empty()));
        java.io.StringWriter list = new java.io.StringWriter();
        FilterSummary s = only.filter(Catalog.open(pg.dump("c", "asc2.dump", "asc_db"), List.of()), list);
        assertThat(s.excludedSchemas()).contains("Café").doesNotContain("Ventes Été");
        assertThat(list.toString().lines().filter(l -> !l.startsWith(";"))).anyMatch(l -> l.contains("TABLE Ventes Été t"));
    }

    @Test
    void plainSqlDumpIsRejectedWithAHint() {
        assertThatThrownBy(() -> Catalog.read(plain))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining(plain.toString())
                .hasMessageContaining("plain SQL dump")
                .satisfies(e -> assertThat(((CatalogException) e).hint()).contains("pg_dump -Fc"));
    }

    @Test
    void textParserAgreesWithTheArchiveOnRealPgRestoreOutput() {
        List<CatalogEntry> fromText = readAll(Catalog.readList(new StringReader(restoreList), "list", List.of()));
        List<CatalogEntry> fromArchive = readAll(Catalog.read(custom)).stream().filter(CatalogEntry::isListed).toList();
        assertThat(fromText.stream().map(this::withoutOids).toList())
                .containsExactlyInAnyOrderElementsOf(fromArchive.stream().map(this::withoutOids).toList());
    }

    @Test
    void filteredListMakesPgRestoreLeaveOutPgqNodataTablesAndTheReplicationTrigger() throws Exception {
        Path list = pg.dir.resolve("filtered.list");
        FilterSummary summary;
        try (CatalogSource source = Catalog.read(custom);
             var out = Files.newBufferedWriter(list, StandardCharsets.UTF_8)) {
            summary = new CatalogFilter(STAGING_RULES).filter(source, out);
        }
        assertThat(summary.excludedSchemas()).containsExactly("pgq");
        assertThat(summary.nodataTables()).containsExactlyInAnyOrder(
                "app.event_log", "app.sessions", "billing.payment_log", "audit.changes");
        assertThat(summary.droppedTriggers())
                .containsExactly("billing.invoices.invoices_replicate -> pgq.logtriga");
        assertThat(summary.conflicts()).isEmpty();
        assertThat(summary.total()).isEqualTo(entryLines(restoreList).size());
        List<String> written = Files.readAllLines(list);
        assertThat(written).hasSize(summary.total());
        assertThat(written.stream().filter(l -> !l.startsWith(";")).count()).isEqualTo(summary.kept());

        String sql = pg.tool("pg_restore", "-L", list.toString(), "-f", "-", custom.toString());
        assertThat(sql).doesNotContain("CREATE SCHEMA pgq").doesNotContain("pgq.logtriga")
                .doesNotContain("pgq.event").doesNotContain("IN SCHEMA pgq");
        assertThat(sql).doesNotContain("COPY app.event_log").doesNotContain("COPY app.sessions (")
                .doesNotContain("COPY billing.payment_log").doesNotContain("COPY audit.changes");
        assertThat(sql).contains("CREATE TABLE audit.changes", "CREATE TABLE app.event_log",
                "COPY app.sessions_archive", "COPY billing.invoices", "COPY \"Sales Data\".\"Order \"\"Items\"\"\"",
                "COPY \"données\".\"Ünïcode table\"",
                "EXECUTE FUNCTION app.set_updated_at()", "EXECUTE FUNCTION \"Sales Data\".\"touch updated\"()",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm");

        // the same list restores for real, without errors
        pg.psql("postgres", "CREATE DATABASE staged");
        pg.tool("pg_restore", concat(pg.connectionArgs(), "-d", "staged", "--exit-on-error", "-L", list.toString(),
                custom.toString()));
        try (Connection c = pg.connect("staged"); Statement st = c.createStatement()) {
            assertThat(count(st, "select count(*) from pg_namespace where nspname = 'pgq'")).isZero();
            assertThat(count(st, "select count(*) from audit.changes")).isZero();
            assertThat(count(st, "select count(*) from app.event_log")).isZero();
            assertThat(count(st, "select count(*) from app.sessions")).isZero();
            assertThat(count(st, "select count(*) from billing.payment_log")).isZero();
            assertThat(count(st, "select count(*) from app.sessions_archive")).isEqualTo(30);
            assertThat(count(st, "select count(*) from billing.invoices")).isEqualTo(800);
            assertThat(count(st, "select count(*) from \"Sales Data\".\"Order \"\"Items\"\"\"")).isEqualTo(700);
            assertThat(count(st, "select count(*) from \"données\".\"Ünïcode table\"")).isEqualTo(100);
            assertThat(count(st, "select last_value from \"données\".\"compteur été\"")).isEqualTo(42);
            Set<String> triggers = strings(st, "select tgname from pg_trigger where not tgisinternal");
            assertThat(triggers).containsExactlyInAnyOrder("customers_updated_at", "invoices_updated_at",
                    "touch \"items\"");
            // the kept trigger works: updating an invoice runs app.set_updated_at() and nothing of pgq
            st.execute("update billing.invoices set amount = amount + 1 where id = 1");
        }
    }

    @Test
    void textListFilterMatchesTheArchiveFilterExceptForTriggersItCannotSee() throws Exception {
        StringWriter fromArchive = new StringWriter();
        try (CatalogSource s = Catalog.read(custom)) {
            new CatalogFilter(STAGING_RULES).filter(s, fromArchive);
        }
        StringWriter fromText = new StringWriter();
        FilterSummary textSummary = new CatalogFilter(STAGING_RULES).filter(
                Catalog.readList(new StringReader(restoreList), "list", STAGING_RULES.schemas()), fromText);
        Set<String> archiveDropped = commented(fromArchive.toString());
        Set<String> textDropped = commented(fromText.toString());
        assertThat(archiveDropped).containsAll(textDropped);
        assertThat(archiveDropped.stream().filter(l -> !textDropped.contains(l)).toList())
                .singleElement().asString().contains("TRIGGER billing invoices invoices_replicate");
        assertThat(textSummary.excludedSchemas()).containsExactly("pgq");
    }

    @Test
    void triggerListingNamesEachFunctionAndWhatTheRulesDrop() {
        List<TriggerFunction> triggers;
        try (CatalogSource s = Catalog.read(custom)) {
            triggers = TriggerFunctions.list(s, STAGING_RULES);
        }
        assertThat(triggers).containsExactlyInAnyOrder(
                new TriggerFunction("billing", "invoices", "invoices_replicate", "pgq", "logtriga", true),
                new TriggerFunction("billing", "invoices", "invoices_updated_at", "app", "set_updated_at", false),
                new TriggerFunction("app", "customers", "customers_updated_at", "app", "set_updated_at", false),
                new TriggerFunction("Sales Data", "Order \"Items\"", "touch \"items\"", "Sales Data",
                        "touch updated", false));
        try (CatalogSource s = Catalog.read(custom)) {
            assertThat(TriggerFunctions.list(s, FilterRules.none())).noneMatch(TriggerFunction::dropped);
        }
    }

    @Test
    void openRecognisesListFilesAndArchives() throws Exception {
        Path listFile = pg.dir.resolve("plain.list");
        Files.writeString(listFile, restoreList);
        try (CatalogSource s = Catalog.open(listFile, List.of())) {
            assertThat(s.header()).isEmpty();
            assertThat(Catalog.readAll(s)).hasSize(entryLines(restoreList).size());
        }
        try (CatalogSource s = Catalog.open(directory, List.of())) {
            assertThat(s.header()).isPresent();
        }
        assertThatThrownBy(() -> Catalog.open(pg.dir.resolve("missing.dump"), List.of()))
                .isInstanceOf(CatalogException.class).hasMessageContaining("no such file");
    }

    @Test
    void filterToWritesTheListWholeFromADumpOrFromAListFile() throws Exception {
        Path fromDump = pg.dir.resolve("out/from-dump.list");
        Files.createDirectories(fromDump.getParent());
        FilterSummary a = Catalog.filterTo(custom, STAGING_RULES, fromDump);
        Path listFile = pg.dir.resolve("out/pg_restore.list");
        Files.writeString(listFile, restoreList);
        Path fromList = pg.dir.resolve("out/from-list.list");
        FilterSummary b = Catalog.filterTo(listFile, STAGING_RULES, fromList);
        assertThat(a.total()).isEqualTo(b.total());
        assertThat(a.nodataTables()).containsExactlyInAnyOrderElementsOf(b.nodataTables());
        try (var files = Files.list(fromDump.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("from-dump.list", "pg_restore.list", "from-list.list");
        }
        assertThatThrownBy(() -> Catalog.filterTo(custom, STAGING_RULES, pg.dir.resolve("no/such/dir/x.list")))
                .isInstanceOf(CatalogException.class).hasMessageContaining("cannot write the restore list");
    }

    private static Set<String> commented(String list) {
        return list.lines().filter(l -> l.startsWith(";")).collect(Collectors.toSet());
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(Arrays.asList(a));
        all.addAll(Arrays.asList(b));
        return all.toArray(String[]::new);
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> strings(Statement st, String sql) throws Exception {
        Set<String> out = new java.util.HashSet<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static CatalogEntry find(List<CatalogEntry> all, String desc, String namespace, String tag) {
        return all.stream().filter(e -> e.is(desc) && java.util.Objects.equals(e.namespace(), namespace)
                        && e.tag().equals(tag)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + desc + " " + namespace + " " + tag));
    }

    private static long oidOf(List<CatalogEntry> all, String desc, String namespace, String tag) {
        return find(all, desc, namespace, tag).objectOid();
    }
}
