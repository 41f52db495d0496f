package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Parts of a dump fetched ahead into a local file at their own offsets (a sparse copy), over
 * several connections, while loaders read them. Why a file rather than memory: the link then never
 * waits for a loader, so a part is on disk before its loader starts whenever the link is faster than
 * the server, and a loader that starts early reads its part as it arrives, without any bound on
 * the heap.
 *
 * <p>Order: the parts {@link #want wanted}, in the order they were asked for, each whole before the
 * next (a part read without being wanted goes first). Each part comes as chunks of
 * {@link RangedFile#CHUNK_BYTES}; a chunk that breaks is fetched again from where it broke, up to
 * {@link #ATTEMPTS} times, before its reader gets the error. A server that stops serving ranges
 * (or now serves another dump) fails the chunk at once.
 */
public final class DumpSpool implements AutoCloseable {
    static final int ATTEMPTS = 3;
    private static final int BUFFER = 256 * 1024;

    private final RangedFile file;
    private final Path path;
    private final FileChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Part> parts = new ArrayList<>();
    private final List<Thread> fetchers = new ArrayList<>();
    private final int chunkBytes;
    /** Told when a chunk broke and is fetched again (the restore log). */
    private final Consumer<String> retries;
    /** Told of the bytes written into the file as they land (the download's progress). */
    private final LongConsumer fetched;
    private boolean closed;

    /**
     * Starts {@code connections} fetchers writing into {@code path} (created, or opened without
     * truncation: bytes already there, such as the head, stay).
     */
    public DumpSpool(RangedFile file, Path path, int connections, Consumer<String> retries, LongConsumer fetched) {
        this(file, path, connections, RangedFile.CHUNK_BYTES, retries, fetched);
    }

    DumpSpool(RangedFile file, Path path, int connections, int chunkBytes, Consumer<String> retries, LongConsumer fetched) {
        this.file = file;
        this.path = path;
        this.chunkBytes = chunkBytes;
        this.retries = retries;
        this.fetched = fetched;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new BackupException("cannot write " + path + ": " + e.getMessage(), "check the permissions and free space of " + path.getParent(), e);
        }
        for (int i = 0; i < Math.max(1, connections); i++) {
            Thread t = new Thread(this::fetch, "dump-spool-" + i);
            t.setDaemon(true);
            fetchers.add(t);
            t.start();
        }
    }

    public Path path() {
        return path;
    }

    /** Fetches bytes {@code [from, end)} after the parts wanted before. */
    public void want(long from, long end) {
        lock.lock();
        try {
            partOf(from, end, false);
        } finally {
            lock.unlock();
        }
    }

    /** Whether every byte of {@code [from, end)} is in the file. */
    public boolean has(long from, long end) {
        lock.lock();
        try {
            Part p = find(from, end);
            return p != null && p.complete();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Bytes {@code [from, end)} in order, each as soon as it is in the file. A chunk that failed
     * before is tried again. An {@link IOException} when a chunk cannot be fetched or the spool is closed.
     */
    public InputStream read(long from, long end) {
        lock.lock();
        try {
            Part p = partOf(from, end, true);
            for (Chunk c : p.chunks) {
                if (c.failure != null) {
                    c.failure = null;
                    c.attempts = 0;
                }
            }
            changed.signalAll();
            return new PartStream(p);
        } finally {
            lock.unlock();
        }
    }

    /** Stops every fetch; readers waiting get an error. The file stays (its owner removes it). */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        file.abortAll();
        fetchers.forEach(Thread::interrupt);
        // a fetch still waiting for a silent server's answer cannot be cut: it ends on its own, and writes nothing more
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Thread t : fetchers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was left to write
        }
    }

    private Part find(long from, long end) {
        for (Part p : parts) if (p.from == from && p.end == end) return p;
        return null;
    }

    /** The part of these bytes; a new one goes last, or {@code first}. */
    private Part partOf(long from, long end, boolean first) {
        if (from < 0 || end > file.length() || from >= end) {
            throw new IllegalArgumentException("range " + from + "-" + end + " of a " + file.length() + "-byte file");
        }
        Part p = find(from, end);
        if (p == null) {
            p = new Part(from, end, chunkBytes);
            parts.add(first ? 0 : parts.size(), p);
            changed.signalAll();
        }
        return p;
    }

    /** One fetcher: takes the most urgent chunk, fetches it into the file, again and again. */
    private void fetch() {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        while (true) {
            Chunk c;
            lock.lock();
            try {
                while ((c = nextChunk()) == null) {
                    if (closed) return;
                    changed.await();
                }
                c.fetching = true;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            fetchChunk(c, buffer);
        }
    }

    private void fetchChunk(Chunk c, ByteBuffer buffer) {
        long at = c.start + c.filled;
        IOException broke = null;
        boolean fatal = false;
        try (InputStream in = file.open(at, c.end)) {
            byte[] bytes = buffer.array();
            while (at < c.end) {
                int n = in.read(bytes, 0, (int) Math.min(bytes.length, c.end - at));
                if (n < 0) throw new IOException("bytes " + at + "-" + (c.end - 1) + " of " + file.location() + " ended early");
                buffer.clear().limit(n);
                while (buffer.hasRemaining()) at += channel.write(buffer, at);
                filled(c, at - c.start);
                fetched.accept(n);
            }
        } catch (IOException e) {
            broke = e;
        } catch (RangedDownload.RangesIgnored e) {
            // the server stopped serving ranges, or the dump was replaced: fetching again cannot help
            broke = new IOException(e.getMessage(), e);
            fatal = true;
        } catch (BackupException e) {
            broke = new IOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            // whatever it was, the chunk's reader must hear of it rather than wait for it forever
            broke = new IOException(String.valueOf(e.getMessage()), e);
            fatal = true;
        }
        String again = null;
        lock.lock();
        try {
            c.fetching = false;
            if (broke != null && !closed) {
                c.attempts++;
                if (fatal || c.attempts >= ATTEMPTS) c.failure = broke;
                else again = "bytes " + at + "-" + (c.end - 1) + " of " + file.location() + " broke (" + broke.getMessage()
                        + "): fetching them again, attempt " + (c.attempts + 1) + " of " + ATTEMPTS;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (again != null) retries.accept(again);
    }

    private void filled(Chunk c, long filled) {
        lock.lock();
        try {
            c.filled = filled;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The chunk to fetch next, or null: the first part in order that still has one, each part's
     * chunks in order. Why not share the link among the parts being read: a part that comes whole
     * sooner lets its table's index builds start sooner, which then run while the next parts
     * arrive; shared, the big parts would all finish late and their builds pile up at the end.
     */
    private Chunk nextChunk() {
        if (closed) return null;
        for (Part p : parts) {
            Chunk c = p.nextToFetch();
            if (c != null) return c;
        }
        return null;
    }

    private static final class Chunk {
        final long start;
        final long end;
        long filled;
        boolean fetching;
        int attempts;
        IOException failure;

        Chunk(long start, long end) {
            this.start = start;
            this.end = end;
        }

        boolean done() {
            return start + filled == end;
        }
    }

    private static final class Part {
        final long from;
        final long end;
        final List<Chunk> chunks = new ArrayList<>();

        Part(long from, long end, int chunkBytes) {
            this.from = from;
            this.end = end;
            for (long a = from; a < end; a += chunkBytes) chunks.add(new Chunk(a, Math.min(end, a + chunkBytes)));
        }

        boolean complete() {
            for (Chunk c : chunks) if (!c.done()) return false;
            return true;
        }

        Chunk nextToFetch() {
            for (Chunk c : chunks) if (!c.done() && !c.fetching && c.failure == null) return c;
            return null;
        }

        Chunk at(long position) {
            return chunks.get((int) ((position - from) / (chunks.get(0).end - chunks.get(0).start)));
        }
    }

    /** A part read in order, waiting for each byte to be in the file. */
    private final class PartStream extends ArrayInputStream {
        private final Part part;
        private long at;
        private boolean done;

        /** Its own channel: an interrupt of the reading thread closes that one, not the file the fetchers write. */
        private FileChannel reader;

        PartStream(Part part) {
            this.part = part;
            this.at = part.from;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (done) throw new IOException("closed");
            if (at == part.end) return -1;
            long available;
            lock.lock();
            try {
                Chunk c = part.at(at);
                while (c.start + c.filled <= at) {
                    if (closed) throw new IOException("the download of " + file.location() + " was stopped");
                    if (c.failure != null) throw new IOException(c.failure.getMessage(), c.failure);
                    changed.await();
                }
                available = c.start + c.filled - at;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for " + file.location());
            } finally {
                lock.unlock();
            }
            if (reader == null) reader = FileChannel.open(path, StandardOpenOption.READ);
            int n = reader.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), at);
            if (n <= 0) throw new IOException("cannot read back " + path + " at " + at);
            at += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (done) return;
            done = true;
            if (reader != null) reader.close();
        }
    }
}
