package org.pgstaging.restore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Function;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DumpSpool;
import org.pgstaging.backup.RangedFile;
import org.pgstaging.catalog.DataBlocks;
import org.pgstaging.host.CommandResult;

/**
 * Blocks of a custom-format file as byte ranges, each fed on stdin behind the file's head to its
 * own pg_restore: with a non-seekable input pg_restore reads block headers until it finds its
 * item, which is the first one.
 *
 * <p>With a {@link DumpSpool} (tmpdir has room for the dump), every block is fetched ahead into a
 * local sparse copy in the order the workers will load them, so the link never waits for a loader
 * (it keeps fetching while the workers build indexes); a block already in the copy is loaded by a
 * pg_restore reading the copy itself, which holds the head, and one still arriving streams from the
 * copy as its bytes come in. Without one, each block streams through memory as it is read.
 */
final class RangeFeed implements BlockFeed {
    /** Heap that chunks of blocks read over several connections may hold at once (under -Xmx64m). */
    static final long CHUNK_BUDGET = 24L * 1024 * 1024;

    private final RangedFile file;
    private final Path head;
    private final int connections;
    /** Permits to fetch a block over several connections, each holding up to (connections + 2) chunks. */
    private final Semaphore chunkedRange;
    /** Starts the local copy blocks are fetched ahead into, counting what lands, or null: each block streams through memory. */
    private final Function<LongConsumer, DumpSpool> startSpool;
    /** The local copy once the blocks are planned (right after the catalog is read; the pipeline stops it on failure). */
    private volatile DumpSpool spool;
    /** What the copy was asked to hold. */
    private volatile List<LoadUnit> planned = List.of();

    /** Each block streamed through memory over up to {@code connections} connections. */
    RangeFeed(RangedFile file, Path head, int connections) {
        this(file, head, connections, null);
    }

    private RangeFeed(RangedFile file, Path head, int connections, Function<LongConsumer, DumpSpool> startSpool) {
        this.file = file;
        this.head = head;
        this.connections = connections;
        long perRange = (long) (connections + 2) * RangedFile.CHUNK_BYTES;
        this.chunkedRange = new Semaphore((int) Math.max(1, CHUNK_BUDGET / perRange));
        this.startSpool = startSpool;
    }

    /**
     * Blocks fetched ahead over {@code connections} connections into {@code copy}, which starts as
     * a copy of the head so that pg_restore can read a block from it as from the dump itself;
     * {@code retries} hears of each part fetched again.
     */
    static RangeFeed spooled(RangedFile file, Path head, Path copy, int connections, Consumer<String> retries) {
        return new RangeFeed(file, head, connections, fetched -> {
            try {
                Files.copy(head, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new PgStagingException("cannot write " + copy + ": " + e.getMessage(),
                        "check the permissions and free space of tmpdir " + copy.getParent(), e);
            }
            return new DumpSpool(file, copy, connections, retries, fetched);
        });
    }

    /** Fetches the bytes before the first data block (header and catalog) into {@code head}. */
    static void fetchHead(RangedFile file, DataBlocks blocks, Path head) {
        try (InputStream in = file.open(0, blocks.catalogEnd())) {
            Files.copy(in, head, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PgStagingException("cannot fetch the catalog of " + file.location() + ": " + e.getMessage(),
                    "check the backup server; the restore can be run again", e);
        }
    }

    @Override
    public Path archive() {
        return head;
    }

    @Override
    public List<DataBlocks.Block> blocks(DataBlocks blocks, BitSet kept) {
        return blocks.kept(kept, file.length());
    }

    @Override
    public boolean groupsNeighboursOnly() {
        return true;
    }

    @Override
    public void planned(List<LoadUnit> units, LongConsumer fetched) {
        if (startSpool == null || units.isEmpty()) return;
        DumpSpool started = startSpool.apply(fetched);
        spool = started;
        planned = List.copyOf(units);
        for (LoadUnit u : units) started.want(u.first().offset(), u.last().end());
    }

    @Override
    public java.util.Optional<Path> wholeCopy() {
        DumpSpool copy = spool;
        if (copy == null) return java.util.Optional.empty();
        for (LoadUnit u : planned) {
            if (!copy.has(u.first().offset(), u.last().end())) return java.util.Optional.empty();
        }
        return java.util.Optional.of(copy.path());
    }

    @Override
    public CommandResult load(PgRestoreRunner runner, String db, LoadUnit unit, Path itemList, LongConsumer fetched) {
        DumpSpool copy = spool;
        if (copy != null && copy.has(unit.first().offset(), unit.last().end())) {
            return runner.runData(db, copy.path(), itemList, unit.grouped());
        }
        // bytes fetched ahead were counted as they landed in the copy
        LongConsumer counted = copy != null ? n -> { } : fetched;
        AtomicLong mine = new AtomicLong();
        CommandResult r = runner.runItem(db, () -> archive(unit.first().offset(), unit.last().end(), counted, mine),
                itemList, unit.grouped());
        if (!r.ok()) counted.accept(-mine.get());
        return r;
    }

    /** Stops every fetch; the local copy, if any, is removed (every block that needed it is in, or the restore failed). */
    @Override
    public void abortAll() {
        DumpSpool copy = spool;
        if (copy != null) {
            copy.close();
            Cleanup.delete(copy.path());
        }
        file.abortAll();
    }

    /** The head, then bytes {@code [from, end)} (one block, or neighbouring ones), counted as they are read. */
    private InputStream archive(long from, long end, LongConsumer fetched, AtomicLong mine) {
        try {
            // a few blocks at a time come over several connections: their chunk buffers stay within
            // CHUNK_BUDGET whatever restore_jobs is
            DumpSpool copy = spool;
            boolean several = copy == null && connections > 1 && chunkedRange.tryAcquire();
            InputStream range;
            try {
                range = copy != null ? copy.read(from, end) : file.open(from, end, several ? connections : 1);
            } catch (RuntimeException e) {
                if (several) chunkedRange.release();
                throw e;
            }
            InputStream counted = new FilterInputStream(range) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    if (closed) return;
                    closed = true;
                    try {
                        super.close();
                    } finally {
                        if (several) chunkedRange.release();
                    }
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) {
                        mine.addAndGet(n);
                        fetched.accept(n);
                    }
                    return n;
                }
            };
            return new SequenceInputStream(Files.newInputStream(head), counted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
