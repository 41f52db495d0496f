package org.pgstaging.restore;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongConsumer;
import org.pgstaging.catalog.DataBlocks;
import org.pgstaging.host.CommandResult;

/**
 * Where {@link BlockRestore}'s data blocks come from and how one reaches its pg_restore: byte
 * ranges of a custom-format file fed behind its head ({@link RangeFeed}), or the files of a
 * directory dump fetched one by one ({@link DumpFileFeed}).
 */
interface BlockFeed {
    /** What pg_restore reads for pre-data, post-data and data without blocks: the head file, or the dump's directory. */
    Path archive();

    /** The blocks of the {@code kept} entries, largest first. */
    List<DataBlocks.Block> blocks(DataBlocks blocks, BitSet kept);

    /** Whether the blocks must lie next to each other in the file to be loaded together. */
    boolean groupsNeighboursOnly();

    /**
     * The units in the order the workers will take them: a feed may start fetching them ahead, and
     * then counts what it fetches into {@code fetched} itself, as it lands.
     */
    default void planned(List<LoadUnit> units, LongConsumer fetched) {
    }

    /**
     * Loads a unit with the items of {@code itemList} (one transaction when there are several),
     * counting its bytes into {@code fetched} as they arrive (and back out, negated, when a broken
     * attempt is dropped), unless they were fetched ahead and counted then. A result with a stdin
     * failure means the bytes broke on the way: nothing was loaded.
     */
    CommandResult load(PgRestoreRunner runner, String db, LoadUnit unit, Path itemList, LongConsumer fetched);

    /**
     * A local file holding the head and every planned block, once they all are there (fetched
     * ahead faster than the server restores): pg_restore -j can then take the data and post-data
     * from it as from a downloaded dump, on connections it keeps. Empty while a block is missing,
     * or when the feed keeps no copy.
     */
    default java.util.Optional<Path> wholeCopy() {
        return java.util.Optional.empty();
    }

    /** Stops every transfer under way (a block failed, or the restore is cancelled). */
    void abortAll();
}
