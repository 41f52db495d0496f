package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A dump's body read in order while it is fetched as consecutive byte ranges over several
 * connections. Where each connection is limited (a WAN link, a per-connection rate limit on the
 * backup server), N connections bring N times the rate into a single {@code pg_restore} stdin, and
 * nothing touches the disk.
 *
 * <p>Memory is bounded and steady: at most {@code connections + 1} chunks are fetched ahead of the
 * reader, plus the one being read, in buffers that are reused (allocating a 4 MB array per chunk
 * filled the old generation with dead chunks between collections). The reader gets a chunk's bytes
 * as they arrive, not once the whole chunk is in: on a slow link a 4 MB chunk takes seconds, and the
 * catalog at the head of a dump, then pg_restore, would wait for all of it. Any failure of a range
 * (truncated, refused, ranges ignored) surfaces as an {@link IOException} from {@link #read}, so the
 * caller treats it as a broken stream.
 */
final class ChunkedRangeStream extends ArrayInputStream {
    /** Big enough that one request per chunk costs little even with a long round trip. */
    static final int DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

    private final URI url;
    private final RangedDownload.Probe probe;
    private final int chunkBytes;
    /** The size of the next chunk scheduled: {@code chunkBytes}, or less at first (see {@link #rampingUp}). */
    private int nextChunkBytes;
    private final int window;
    private final ExecutorService pool;
    private final Set<HttpTransport.Exchange> open = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Chunk> ahead = new ArrayDeque<>();
    /** Buffers no chunk holds; one more is allocated only while fewer than window + 1 exist. */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> free = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger allocated = new java.util.concurrent.atomic.AtomicInteger();
    private long nextFrom;
    /** Where the bytes handed out stop (exclusive): the file's length, or the end of one range. */
    private final long end;
    private Chunk current;
    private int pos;

    private boolean closed;

    /** One range's buffer, filled by its fetcher while the reader may already read its first bytes. */
    private static final class Chunk {
        final byte[] buffer;
        final int length;
        private int filled;
        private IOException failure;

        Chunk(byte[] buffer, int length) {
            this.buffer = buffer;
            this.length = length;
        }

        synchronized void filled(int n) {
            filled = n;
            notifyAll();
        }

        synchronized void failed(IOException e) {
            if (failure == null) failure = e;
            notifyAll();
        }

        /** Waits until more than {@code pos} bytes are in; returns how many are. */
        synchronized int awaitBeyond(int pos) throws IOException {
            while (filled <= pos && failure == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the next range");
                }
            }
            if (filled > pos) return filled;
            throw failure;
        }
    }

    ChunkedRangeStream(URI url, RangedDownload.Probe probe, int connections, int chunkBytes) {
        this(url, probe, connections, chunkBytes, chunkBytes, 0, probe.length());
    }

    /** Bytes {@code [from, end)} of the file only, in order, over {@code connections} connections. */
    ChunkedRangeStream(URI url, RangedDownload.Probe probe, int connections, int chunkBytes, long from, long end) {
        this(url, probe, connections, chunkBytes, chunkBytes, from, end);
    }

    /**
     * The whole file, its first chunks of {@code firstChunkBytes} each twice the one before until
     * {@code chunkBytes}: a dump's catalog, which is read before anything else and at one
     * connection's rate if it lay in one chunk, spreads over the connections; the data comes in big
     * chunks. (256 KB doubling to 4 MB: four requests more than 4 MB chunks throughout.)
     */
    static ChunkedRangeStream rampingUp(URI url, RangedDownload.Probe probe, int connections, int firstChunkBytes, int chunkBytes) {
        return new ChunkedRangeStream(url, probe, connections, Math.min(firstChunkBytes, chunkBytes), chunkBytes, 0, probe.length());
    }

    private ChunkedRangeStream(URI url, RangedDownload.Probe probe, int connections, int firstChunkBytes, int chunkBytes,
                               long from, long end) {
        if (connections < 2) throw new IllegalArgumentException("connections must be at least 2: " + connections);
        this.url = url;
        this.probe = probe;
        this.nextFrom = from;
        this.end = end;
        this.nextChunkBytes = firstChunkBytes;
        this.chunkBytes = chunkBytes;
        this.window = connections + 1;
        this.pool = Executors.newFixedThreadPool(connections, r -> {
            Thread t = new Thread(r, "stream-range");
            t.setDaemon(true);
            return t;
        });
        schedule();
    }

    /** Bytes of the whole body. */
    long length() {
        return probe.length();
    }

    private void schedule() {
        while (ahead.size() < window && nextFrom < end) {
            long from = nextFrom;
            long to = Math.min(end, from + nextChunkBytes) - 1;
            nextChunkBytes = (int) Math.min(chunkBytes, 2L * nextChunkBytes);
            nextFrom = to + 1;
            Chunk chunk = new Chunk(buffer(), (int) (to - from + 1));
            ahead.addLast(chunk);
            pool.execute(() -> fetch(chunk, from, to));
        }
    }

    private byte[] buffer() {
        byte[] b = free.poll();
        if (b != null) return b;
        // the window bounds the chunks in flight, so this runs at most window + 1 times
        allocated.incrementAndGet();
        return new byte[chunkBytes];
    }

    private void fetch(Chunk chunk, long from, long to) {
        HttpTransport.Exchange ex = null;
        try {
            ex = RangedDownload.openRange(url, probe, from, to, open);
            InputStream in = ex.body();
            int filled = 0;
            while (filled < chunk.length) {
                if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted");
                int n = in.read(chunk.buffer, filled, chunk.length - filled);
                if (n < 0) {
                    throw new IOException("truncated: bytes " + from + "-" + to + " of " + url + " ended at " + (from + filled));
                }
                filled += n;
                chunk.filled(filled);
            }
            ex.close();
        } catch (IOException | RuntimeException e) {
            chunk.failed(e instanceof IOException io ? io
                    : new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e));
        } finally {
            if (ex != null) {
                open.remove(ex);
                ex.abort();
            }
        }
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        if (len == 0) return 0;
        while (current == null || pos == current.length) {
            Chunk next = ahead.pollFirst();
            if (current != null) {
                free.offer(current.buffer);
                current = null;
            }
            if (next == null) return -1;
            current = next;
            pos = 0;
            schedule();
        }
        int filled = current.awaitBeyond(pos);
        int n = Math.min(len, filled - pos);
        System.arraycopy(current.buffer, pos, buf, off, n);
        pos += n;
        return n;
    }

    /** Chunk buffers allocated so far (for tests: stays at most connections + 2). */
    int buffersAllocated() {
        return allocated.get();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pool.shutdownNow();
        for (HttpTransport.Exchange ex : open) ex.abort();
        IOException closing = new IOException("stream closed");
        ahead.forEach(c -> c.failed(closing));
        if (current != null) current.failed(closing);
        ahead.clear();
        current = null;
    }
}
