package org.pgstaging.restore;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.pgstaging.backup.BackupException;
import org.pgstaging.backup.DumpFiles;
import org.pgstaging.catalog.DataBlocks;
import org.pgstaging.host.CommandResult;

/**
 * Blocks of a directory dump: each is its own file, fetched into a local directory that starts with
 * toc.dat alone, loaded by a pg_restore reading that directory (it opens only its item's file), then
 * removed, so the dump is never on disk whole. A broken download is fetched again; the COPY has not
 * started then.
 */
final class DumpFileFeed implements BlockFeed {
    private final DumpFiles files;
    private final Path dir;
    private final int attempts;

    DumpFileFeed(DumpFiles files, Path dir, int attempts) {
        this.files = files;
        this.dir = dir;
        this.attempts = attempts;
    }

    @Override
    public Path archive() {
        return dir;
    }

    @Override
    public List<DataBlocks.Block> blocks(DataBlocks blocks, BitSet kept) {
        return blocks.keptFiles(kept, name -> files.sizeOf(name).orElse(0));
    }

    @Override
    public boolean groupsNeighboursOnly() {
        return false;
    }

    @Override
    public CommandResult load(PgRestoreRunner runner, String db, LoadUnit unit, Path itemList, LongConsumer fetched) {
        List<Path> got = new java.util.ArrayList<>();
        try {
            for (DataBlocks.Block b : unit.blocks()) got.addAll(fetch(b, fetched));
            return runner.runData(db, dir, itemList, unit.grouped());
        } finally {
            got.forEach(Cleanup::delete);
        }
    }

    private List<Path> fetch(DataBlocks.Block b, LongConsumer fetched) {
        for (int attempt = 1; ; attempt++) {
            AtomicLong mine = new AtomicLong();
            AtomicLong ofFile = new AtomicLong();
            try {
                return files.fetchData(b.file(), dir, (bytes, total, rate) -> {
                    // bytes grows within one file and starts again with the next (blob files): count what is new
                    long before = ofFile.getAndSet(bytes);
                    long added = bytes >= before ? bytes - before : bytes;
                    mine.addAndGet(added);
                    fetched.accept(added);
                });
            } catch (BackupException e) {
                fetched.accept(-mine.get());
                if (attempt >= attempts || Thread.currentThread().isInterrupted()) throw e;
            }
        }
    }

    @Override
    public void abortAll() {
        // fetches run on the workers, which the pool interrupts; an interrupted transfer stops and removes its file
    }
}
