package org.pgstaging.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where each data block lies and which indexes may be built with their table's data. */
class DataBlocksTest {

    private static CatalogEntry e(int id, String desc, String ns, String tag, long offset, int... deps) {
        return new CatalogEntry(id, 0, id, desc, ns, tag, "owner", null, deps, offset);
    }

    private static DataBlocks of(CatalogEntry... entries) {
        DataBlocks b = new DataBlocks();
        for (CatalogEntry e : entries) b.add(e);
        return b;
    }

    @Test
    void eachBlockEndsWhereTheNextBlockOfTheFileStartsKeptOrNotAndTheBiggestComeFirst() {
        DataBlocks blocks = of(
                e(1, "TABLE", "app", "small", -1),
                e(2, "TABLE", "app", "big", -1),
                e(3, "TABLE", "pgq", "left_out", -1),
                e(11, "TABLE DATA", "app", "small", 1_000, 1),
                e(13, "TABLE DATA", "pgq", "left_out", 1_100, 3),   // not kept, but it ends the block before it
                e(12, "TABLE DATA", "app", "big", 5_000, 2),
                e(14, "BLOBS", null, "BLOBS", 90_000));
        BitSet kept = new BitSet();
        kept.set(11);
        kept.set(12);
        kept.set(14);
        List<DataBlocks.Block> todo = blocks.kept(kept, 100_000);
        assertThat(todo).extracting(DataBlocks.Block::dumpId).containsExactly(12, 14, 11);
        assertThat(todo.get(0)).isEqualTo(new DataBlocks.Block(12, "TABLE DATA", "app.big", 5_000, 90_000, 2));
        assertThat(todo.get(1).length()).isEqualTo(10_000);
        assertThat(todo.get(2).end()).as("ends where the left-out block starts").isEqualTo(1_100);
        assertThat(todo.get(1).owner()).as("large objects fill no table").isEqualTo(-1);
        assertThat(blocks.withBlocks().stream().boxed().toList()).containsExactly(11, 12, 13, 14);
    }

    @Test
    void aDirectoryDumpsBlocksAreItsKeptEntriesFilesBiggestFirstUnsizedLast() {
        DataBlocks blocks = of(
                new CatalogEntry(1, 0, 1, "TABLE", "app", "small", "o", null, null, -1, null),
                new CatalogEntry(11, 0, 11, "TABLE DATA", "app", "small", "o", null, new int[] {1}, -1, "11.dat"),
                new CatalogEntry(12, 0, 12, "TABLE DATA", "app", "big", "o", null, new int[] {2}, -1, "12.dat"),
                new CatalogEntry(13, 0, 13, "TABLE DATA", "pgq", "left_out", "o", null, new int[] {3}, -1, "13.dat"),
                new CatalogEntry(14, 0, 14, "BLOBS", null, "BLOBS", "o", null, null, -1, "blobs.toc"),
                new CatalogEntry(15, 0, 15, "TABLE DATA", "app", "unlisted", "o", null, new int[] {5}, -1, "15.dat"));
        BitSet kept = new BitSet();
        kept.set(11);
        kept.set(12);
        kept.set(14);
        kept.set(15);
        java.util.Map<String, Long> sizes = java.util.Map.of("11.dat", 10L, "12.dat", 500L, "13.dat", 900L, "blobs.toc", 40L);
        List<DataBlocks.Block> todo = blocks.keptFiles(kept, f -> sizes.getOrDefault(f, 0L));
        assertThat(todo).extracting(DataBlocks.Block::file).containsExactly("12.dat", "blobs.toc", "11.dat", "15.dat");
        assertThat(todo.get(0)).isEqualTo(new DataBlocks.Block(12, "TABLE DATA", "app.big", 0, 500, 2, "12.dat"));
        assertThat(blocks.withBlocks().stream().boxed().toList()).containsExactly(11, 12, 13, 14, 15);
    }

    @Test
    void aForeignKeyIsEarlyWhenItNeedsFilledTablesAndKeysBuiltWithThemOnly() {
        DataBlocks blocks = of(
                e(1, "TABLE", "app", "orders", -1),
                e(2, "TABLE", "app", "customers", -1),
                e(3, "TABLE", "app", "parted", -1),                                   // partitioned: no data of its own
                e(11, "TABLE DATA", "app", "orders", 100, 1),
                e(12, "TABLE DATA", "app", "customers", 200, 2),
                e(21, "CONSTRAINT", "app", "customers customers_pkey", -1, 2),
                e(22, "INDEX", "app", "two_tables_idx", -1, 1, 2),                     // never early
                e(31, "FK CONSTRAINT", "app", "orders orders_customer_fkey", -1, 1, 21),
                e(32, "FK CONSTRAINT", "app", "parted parted_customer_fkey", -1, 3, 21),
                e(33, "FK CONSTRAINT", "app", "orders odd_fkey", -1, 1, 22));
        List<DataBlocks.EarlyForeignKey> early = blocks.earlyForeignKeys();
        assertThat(early).extracting(DataBlocks.EarlyForeignKey::dumpId).containsExactly(31);
        assertThat(early.get(0).tables()).containsExactly(1, 2);
        assertThat(early.get(0).needs()).containsExactly(21);
    }

    @Test
    void onlyIndexesNeedingOneFilledTableAndNoOtherPostDataAreBuiltEarly() {
        DataBlocks blocks = of(
                e(1, "TABLE", "app", "orders", -1),
                e(2, "TABLE", "app", "customers", -1),
                e(3, "TABLE", "app", "parted", -1),                      // partitioned: no data of its own
                e(4, "FUNCTION", "app", "lower_email(text)", -1),
                e(11, "TABLE DATA", "app", "orders", 100, 1),
                e(12, "TABLE DATA", "app", "customers", 200, 2),
                e(21, "CONSTRAINT", "app", "orders orders_pkey", -1, 1),
                e(22, "INDEX", "app", "orders_customer_idx", -1, 1),
                e(23, "INDEX", "app", "customers_email_idx", -1, 2, 4),   // a pre-data function is fine
                e(24, "CONSTRAINT", "app", "customers customers_pkey", -1, 2),
                e(25, "FK CONSTRAINT", "app", "orders orders_customer_fkey", -1, 1, 24, 2),
                e(26, "INDEX", "app", "orders_needs_pkey_idx", -1, 1, 21),  // waits for another post-data entry
                e(27, "CONSTRAINT", "app", "parted parted_pkey", -1, 3),
                e(28, "INDEX", "app", "two_tables_idx", -1, 1, 2));       // not a real index, but never early
        assertThat(blocks.indexesOf(1)).containsExactly(21, 22);
        assertThat(blocks.indexesOf(2)).containsExactly(23, 24);
        assertThat(blocks.indexesOf(3)).isEmpty();
    }
}
