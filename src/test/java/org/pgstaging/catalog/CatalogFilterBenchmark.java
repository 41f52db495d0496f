package org.pgstaging.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Prints how fast a large catalog is read and filtered, from archive bytes and from {@code pg_restore -l} text.
 * Not a test (nothing is timed against a limit). Run after {@code mvn test-compile}:
 * {@code java -cp target/classes:target/test-classes org.pgstaging.catalog.CatalogFilterBenchmark [entries]}
 */
public final class CatalogFilterBenchmark {
    private CatalogFilterBenchmark() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        List<CatalogEntry> entries = syntheticCatalog(n);
        byte[] archive = TestArchiveWriter.archive(16, 1, entries);
        StringBuilder list = new StringBuilder();
        for (CatalogEntry e : entries) list.append(e.toListLine()).append('\n');
        String text = list.toString();
        entries = null; // the runs below stream from the bytes and the text only

        FilterRules rules = new FilterRules(List.of("public", "app", "billing", "Sales Data"), List.of("audit"),
                Optional.of(Pattern.compile("_log$|^app\\.sessions$")));
        System.out.printf("catalog: %d entries, archive TOC %d KB, list text %d KB%n", n, archive.length / 1024,
                text.length() / 1024);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= 5; round++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            FilterSummary fromArchive;
            try (ArchiveTocReader r = ArchiveTocReader.open(new ByteArrayInputStream(archive), "bench.dump")) {
                fromArchive = new CatalogFilter(rules).filter(r, Writer.nullWriter());
            }
            long t1 = System.nanoTime();
            long c1 = cpu.getCurrentThreadCpuTime();
            FilterSummary fromText = new CatalogFilter(rules).filter(
                    Catalog.readList(new StringReader(text), "bench.list", rules.schemas()), Writer.nullWriter());
            long t2 = System.nanoTime();
            long c2 = cpu.getCurrentThreadCpuTime();
            // CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours
            System.out.printf("round %d: archive %,.0f entries/s (%.0f ms wall, %.0f ms cpu, kept %d); "
                            + "text %,.0f entries/s (%.0f ms wall, %.0f ms cpu, kept %d)%n",
                    round, n / ((t1 - t0) / 1e9), (t1 - t0) / 1e6, (c1 - c0) / 1e6, fromArchive.kept(),
                    n / ((t2 - t1) / 1e9), (t2 - t1) / 1e6, (c2 - c1) / 1e6, fromText.kept());
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap used after runs: %d MB (includes the in-memory archive and text)%n",
                (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
    }

    /** A catalog shaped like a real one: per table a TABLE, its data, a comment, an index and a trigger. */
    static List<CatalogEntry> syntheticCatalog(int n) {
        String[] schemas = {"public", "app", "billing", "Sales Data", "audit", "pgq"};
        List<CatalogEntry> out = new ArrayList<>(n);
        int id = 1;
        for (String s : schemas) {
            out.add(new CatalogEntry(id++, 2615, id, "SCHEMA", null, s, "postgres", null, null));
        }
        out.add(new CatalogEntry(id++, 1255, id, "FUNCTION", "pgq", "logtriga()", "postgres", null, new int[] {6}));
        int table = 0;
        while (out.size() < n) {
            String s = schemas[table % schemas.length];
            String t = (table % 7 == 0 ? "event_" + table + "_log" : "table " + table);
            int tableId = id;
            out.add(new CatalogEntry(id++, 1259, id, "TABLE", s, t, "postgres", null, new int[] {1 + table % 6}));
            if (out.size() < n) out.add(new CatalogEntry(id++, 0, id, "TABLE DATA", s, t, "postgres", null, new int[] {tableId}));
            if (out.size() < n) out.add(new CatalogEntry(id++, 0, 0, "COMMENT", s, "TABLE \"" + t + "\"", "postgres", null, new int[] {tableId}));
            if (out.size() < n) out.add(new CatalogEntry(id++, 1259, id, "INDEX", s, t + "_idx", "postgres", null, new int[] {tableId}));
            if (out.size() < n) {
                String fn = table % 3 == 0 ? "pgq.logtriga()" : "app.touch()";
                out.add(new CatalogEntry(id++, 2620, id, "TRIGGER", s, t + " trg", "postgres",
                        "CREATE TRIGGER trg AFTER INSERT OR UPDATE ON \"" + s + "\".\"" + t
                                + "\" FOR EACH ROW EXECUTE FUNCTION " + fn + ";\n", new int[] {tableId, 7}));
            }
            table++;
        }
        return out;
    }
}
