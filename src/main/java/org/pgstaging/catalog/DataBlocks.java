package org.pgstaging.catalog;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where the data of an archive lies, as its catalog records it, so each item can be fetched and
 * loaded on its own: in a custom-format file, the end of the catalog (where data blocks start) and
 * each block's byte range; in a directory-format dump, each item's file. Built while the catalog
 * streams through the filter; holds one small record per entry with data (tables, large objects),
 * never the catalog.
 */
public final class DataBlocks {

    /**
     * One entry's data: bytes {@code [offset, end)} of the custom-format file, or the whole of
     * {@code file} (the name toc.dat gives it, {@code end} its size) in a directory dump, where
     * {@code file} is null; {@code owner} is the dump id of the object it fills (the TABLE of a
     * TABLE DATA), -1 when none.
     */
    public record Block(int dumpId, String desc, String name, long offset, long end, int owner, String file) {
        public Block(int dumpId, String desc, String name, long offset, long end, int owner) {
            this(dumpId, desc, name, offset, end, owner, null);
        }

        public long length() {
            return end - offset;
        }
    }

    private record Seen(int dumpId, String desc, String name, long offset, int owner, String file) { }

    /** An index or a primary key / unique constraint, with what it needs: it may be built as soon as its table is filled. */
    private record TableIndex(int dumpId, int[] dependencies) { }

    /** Post-data kinds an index could wait for: an index is built early only when it needs none of them. */
    private static final java.util.Set<String> POST_DATA = java.util.Set.of("INDEX", "CONSTRAINT", "FK CONSTRAINT",
            "TRIGGER", "RULE", "POLICY", "INDEX ATTACH", "MATERIALIZED VIEW DATA", "EVENT TRIGGER", "STATISTICS",
            "PUBLICATION TABLE", "PUBLICATION TABLES IN SCHEMA", "DEFAULT ACL");

    private final List<TableIndex> indexes = new ArrayList<>();
    private final BitSet postData = new BitSet();

    private final List<Seen> seen = new ArrayList<>();
    private long catalogEnd = -1;
    private int withoutOffset;
    private ArchiveHeader.Format format;

    /** Notes an entry as it goes by. */
    void add(CatalogEntry e) {
        if (e.dataOffset() >= 0 || e.dataFile() != null) {
            int owner = e.is("TABLE DATA") && e.dependencies().length > 0 ? e.dependencies()[0] : -1;
            seen.add(new Seen(e.dumpId(), e.desc(), e.qualifiedName(), e.dataOffset(), owner, e.dataFile()));
        }
        if (POST_DATA.contains(e.desc())) postData.set(e.dumpId());
        if (e.is("INDEX") || e.is("CONSTRAINT")) indexes.add(new TableIndex(e.dumpId(), e.dependencies()));
        if (e.is("FK CONSTRAINT")) foreignKeys.add(new TableIndex(e.dumpId(), e.dependencies()));
        if (e.is("TABLE")) tableIds.set(e.dumpId());
    }

    private final BitSet tableIds = new BitSet();

    private final List<TableIndex> foreignKeys = new ArrayList<>();

    /**
     * A foreign key that may be added as soon as the {@code tables} it locks (its own, the one it
     * references) have their data in and the keys it needs ({@code needs}, built with their table's
     * data) exist, rather than after every block.
     */
    public record EarlyForeignKey(int dumpId, int[] tables, int[] needs) { }

    /** The foreign keys that need only filled tables and keys built early (see {@link #indexesOf}). */
    public synchronized List<EarlyForeignKey> earlyForeignKeys() {
        java.util.Map<Integer, Integer> tableOf = new java.util.HashMap<>();
        early().forEach((table, ids) -> ids.forEach(id -> tableOf.put(id, table)));
        List<EarlyForeignKey> out = new ArrayList<>();
        for (TableIndex fk : foreignKeys) {
            java.util.TreeSet<Integer> tables = new java.util.TreeSet<>();
            List<Integer> needs = new ArrayList<>();
            boolean early = true;
            for (int d : fk.dependencies()) {
                if (isFilled(d)) {
                    tables.add(d);
                } else if (tableIds.get(d)) {
                    early = false; // a table without data of its own (partitioned): what it locks is not known here
                } else if (postData.get(d)) {
                    Integer table = tableOf.get(d);
                    if (table == null) early = false; // it needs something built only in post-data
                    else {
                        needs.add(d);
                        tables.add(table);
                    }
                }
            }
            if (early && !tables.isEmpty()) {
                out.add(new EarlyForeignKey(fk.dumpId(), tables.stream().mapToInt(Integer::intValue).toArray(),
                        needs.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        return out;
    }

    /** Early indexes by table, computed once: each index goes to the one filled table it needs. */
    private java.util.Map<Integer, List<Integer>> early;

    /**
     * The indexes and primary key / unique constraints that need only table {@code tableId} (and no
     * other post-data entry): they can be built as soon as that table's data is in, while other
     * tables still load.
     */
    public synchronized List<Integer> indexesOf(int tableId) {
        return early().getOrDefault(tableId, List.of());
    }

    private java.util.Map<Integer, List<Integer>> early() {
        if (early == null) {
            early = new java.util.HashMap<>();
            for (TableIndex i : indexes) {
                int table = -1;
                boolean alone = true;
                for (int d : i.dependencies()) {
                    if (postData.get(d)) alone = false;
                    else if (isFilled(d)) {
                        if (table >= 0 && table != d) alone = false;
                        table = d;
                    }
                }
                if (alone && table >= 0) early.computeIfAbsent(table, k -> new ArrayList<>()).add(i.dumpId());
            }
        }
        return early;
    }

    /** Tables some data block fills, by dump id (an index needing two of them waits for post-data). */
    private BitSet filled;

    private boolean isFilled(int id) {
        if (filled == null) {
            BitSet b = new BitSet();
            seen.forEach(s -> {
                if (s.owner() >= 0) b.set(s.owner());
            });
            filled = b;
        }
        return filled.get(id);
    }

    /** What the reader learnt once the whole catalog was read. */
    void finish(ArchiveTocReader reader) {
        catalogEnd = reader.catalogEnd();
        withoutOffset = reader.entriesWithoutOffset();
        format = reader.archiveHeader().format();
    }

    /** Bytes before the first data block: the header and the catalog. */
    public long catalogEnd() {
        return catalogEnd;
    }

    /**
     * Why the data cannot be fetched block by block, or empty when it can: not a custom-format
     * file, or a dump written to a pipe (pg_dump could not go back to record offsets).
     */
    public Optional<String> whyNotByBlocks() {
        if (format == ArchiveHeader.Format.DIRECTORY) return Optional.empty();
        if (format != ArchiveHeader.Format.CUSTOM) {
            return Optional.of("only a custom-format file or a directory dump says where each table's data lies");
        }
        if (withoutOffset > 0) {
            return Optional.of("the dump does not record where its data lies (" + withoutOffset
                    + " entries without offsets: pg_dump wrote it to a pipe)");
        }
        return Optional.empty();
    }

    /**
     * The blocks of the entries {@code kept} (by dumpId), largest first; each ends where the next
     * block of the file starts (whether kept or not), the last one at {@code fileLength}.
     */
    public List<Block> kept(BitSet kept, long fileLength) {
        List<Seen> byOffset = new ArrayList<>(seen);
        byOffset.sort(Comparator.comparingLong(Seen::offset));
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < byOffset.size(); i++) {
            Seen s = byOffset.get(i);
            long end = i + 1 < byOffset.size() ? byOffset.get(i + 1).offset() : fileLength;
            if (kept.get(s.dumpId())) out.add(new Block(s.dumpId(), s.desc(), s.name(), s.offset(), end, s.owner()));
        }
        out.sort(Comparator.comparingLong(Block::length).reversed());
        return out;
    }

    /**
     * The blocks of the entries {@code kept} of a directory dump, largest first: each is its file,
     * {@code sizeOf} its size (0 when unknown: such files come last).
     */
    public List<Block> keptFiles(BitSet kept, java.util.function.ToLongFunction<String> sizeOf) {
        List<Block> out = new ArrayList<>();
        for (Seen s : seen) {
            if (s.file() != null && kept.get(s.dumpId())) {
                out.add(new Block(s.dumpId(), s.desc(), s.name(), 0, Math.max(0, sizeOf.applyAsLong(s.file())), s.owner(), s.file()));
            }
        }
        out.sort(Comparator.comparingLong(Block::length).reversed());
        return out;
    }

    /** Whether the blocks are files of a directory dump rather than ranges of one file. */
    public boolean inFiles() {
        return format == ArchiveHeader.Format.DIRECTORY;
    }

    /** Every entry with a data block, by dumpId. */
    public BitSet withBlocks() {
        BitSet b = new BitSet();
        seen.forEach(s -> b.set(s.dumpId()));
        return b;
    }

    /**
     * Filters {@code reader}'s catalog into {@code list} like {@link CatalogFilter#filter}, noting
     * the data blocks on the way.
     */
    public static Result filter(ArchiveTocReader reader, CatalogFilter filter, java.io.Writer list) {
        DataBlocks blocks = new DataBlocks();
        java.util.Iterator<CatalogEntry> noting = new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return reader.hasNext();
            }

            @Override
            public CatalogEntry next() {
                CatalogEntry e = reader.next();
                blocks.add(e);
                return e;
            }
        };
        FilterSummary summary = filter.filter(noting, list);
        blocks.finish(reader);
        return new Result(summary, blocks);
    }

    /** A filtered catalog and where its data lies. */
    public record Result(FilterSummary summary, DataBlocks blocks) { }
}
