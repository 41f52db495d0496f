package org.pgstaging.restore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pgstaging.catalog.DataBlocks;

/**
 * The data blocks one pg_restore loads: one block, or the blocks of several small tables in one
 * transaction. Why group: each loader is a process that reads the whole catalog before its data,
 * so a dump of thousands of small tables would cost thousands of processes each reading a catalog
 * of megabytes; a group loads them in one pass. In one transaction, so a group whose bytes break on
 * the way loads nothing and can be fetched again like a single table.
 */
record LoadUnit(List<DataBlocks.Block> blocks) {
    /** Tables below this size are grouped with others. */
    static final long SMALL_BYTES = 1L << 20;
    /** A group stops growing here, so groups still spread over the workers. */
    static final long GROUP_BYTES = 8L << 20;
    /** Nor does a group hold more tables than this: its list and its transaction stay modest. */
    static final int GROUP_TABLES = 500;

    LoadUnit {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) throw new IllegalArgumentException("a load unit needs a block");
    }

    long length() {
        return blocks.stream().mapToLong(DataBlocks.Block::length).sum();
    }

    boolean grouped() {
        return blocks.size() > 1;
    }

    DataBlocks.Block first() {
        return blocks.get(0);
    }

    DataBlocks.Block last() {
        return blocks.get(blocks.size() - 1);
    }

    /** What the restore log calls it. */
    String name() {
        if (!grouped()) return first().name();
        return blocks.size() + " small tables (" + first().name() + " ... " + last().name() + ")";
    }

    /**
     * The units of {@code blocks}, largest first: small tables' data grouped; with
     * {@code contiguous}, only blocks that follow each other in the file without a gap (one byte
     * range holds them all, nothing left out in between), in file order.
     */
    static List<LoadUnit> of(List<DataBlocks.Block> blocks, boolean contiguous) {
        List<LoadUnit> out = new ArrayList<>();
        List<DataBlocks.Block> small = new ArrayList<>();
        for (DataBlocks.Block b : blocks) {
            if (b.desc().equals("TABLE DATA") && b.length() < SMALL_BYTES) small.add(b);
            else out.add(new LoadUnit(List.of(b)));
        }
        if (contiguous) small.sort(Comparator.comparingLong(DataBlocks.Block::offset));
        List<DataBlocks.Block> group = new ArrayList<>();
        long bytes = 0;
        for (DataBlocks.Block b : small) {
            boolean fits = group.isEmpty() || (bytes + b.length() <= GROUP_BYTES && group.size() < GROUP_TABLES
                    && (!contiguous || group.get(group.size() - 1).end() == b.offset()));
            if (!fits) {
                out.add(new LoadUnit(group));
                group = new ArrayList<>();
                bytes = 0;
            }
            group.add(b);
            bytes += b.length();
        }
        if (!group.isEmpty()) out.add(new LoadUnit(group));
        out.sort(Comparator.comparingLong(LoadUnit::length).reversed());
        return out;
    }
}
