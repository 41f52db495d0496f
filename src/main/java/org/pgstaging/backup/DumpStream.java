package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A dump's HTTP body read as it arrives, for a restore fed on stdin: counts the bytes (download
 * progress), checks the announced length at the end, and optionally tees every byte into
 * {@code .name.part} beside {@code keepAs}, renamed to {@code keepAs} only once the body is whole.
 *
 * <p>{@link #close()} before the end drops the connection (nothing more is downloaded), except when
 * teeing: then the rest is read into the copy first, because the reader (pg_restore) may stop
 * before the end of the archive while the kept file must be whole. Any failure (connection cut,
 * length mismatch, disk full) is remembered in {@link #failure()} and removes the partial copy.
 */
public final class DumpStream extends ArrayInputStream {
    private final String source;
    /** Called once on close: true when the body was read whole (its connection may be reused). */
    private final java.util.function.Consumer<Boolean> release;
    private final InputStream body;
    private final long expected;
    private final Path keepAs;
    private final Path part;
    private final FileChannel copy;
    private final ProgressMeter meter;
    private final long started = System.nanoTime();
    private long count;
    private boolean eof;
    private boolean closed;
    private boolean kept;
    private long finishedNanos = -1;
    private volatile IOException failure;

    DumpStream(String source, HttpTransport.Exchange exchange, Path keepAs, DownloadListener listener) {
        this(source, exchange.body(), exchange.contentLength(), whole -> {
            if (whole) exchange.close();
            else exchange.abort();
        }, keepAs, listener);
    }

    DumpStream(String source, InputStream body, long expected, java.util.function.Consumer<Boolean> release,
               Path keepAs, DownloadListener listener) {
        this.source = source;
        this.body = body;
        this.expected = expected;
        this.release = release;
        this.keepAs = keepAs;
        this.meter = new ProgressMeter(listener, expected);
        if (keepAs == null) {
            this.part = null;
            this.copy = null;
        } else {
            Transfer.checkTargetDir(keepAs.getParent(), expected);
            this.part = Transfer.partFile(keepAs);
            try {
                this.copy = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new BackupException("cannot write " + part + ": " + e.getMessage(),
                        "check the permissions and free space of " + keepAs.getParent(), e);
            }
        }
    }

    /** Bytes received so far. */
    public synchronized long bytes() { return count; }

    /** Content-Length, or -1 when the server did not announce it. */
    public long expected() { return expected; }

    /** The whole body was received and, when teeing, the copy is complete under its final name. */
    public synchronized boolean complete() { return eof && failure == null && (keepAs == null || kept); }

    /** Why the stream failed, or null. */
    public IOException failure() { return failure; }

    /** The kept copy, once complete; null when not teeing or not complete. */
    public synchronized Path keptFile() { return kept ? keepAs : null; }

    /** Nanoseconds from opening to the end of the body, or -1 while it is not over. */
    public synchronized long transferNanos() { return finishedNanos < 0 ? -1 : finishedNanos - started; }

    /** When the last byte was read ({@link System#nanoTime()}), or -1 before that. */
    public synchronized long finishedAt() { return finishedNanos; }


    @Override
    public synchronized int read(byte[] buf, int off, int len) throws IOException {
        if (failure != null) throw failure;
        if (eof) return -1;
        int n;
        try {
            n = body.read(buf, off, len);
        } catch (InterruptedIOException e) {
            throw fail(new IOException("interrupted after " + count + " bytes of " + source, e));
        } catch (IOException e) {
            throw fail(new IOException("reading " + source + " failed after " + count + " bytes" + ofExpected()
                    + ": " + e.getMessage(), e));
        }
        if (n < 0) {
            finish();
            return -1;
        }
        if (copy != null) {
            try {
                ByteBuffer bb = ByteBuffer.wrap(buf, off, n);
                while (bb.hasRemaining()) copy.write(bb);
            } catch (IOException e) {
                String why = Transfer.isDiskFull(e) ? "disk full in " + keepAs.getParent() : e.getMessage();
                throw fail(new IOException("cannot keep a copy in " + part + ": " + why, e));
            }
        }
        count += n;
        meter.update(count);
        return n;
    }

    private void finish() throws IOException {
        if (expected >= 0 && count != expected) {
            throw fail(new IOException("truncated: got " + count + " of " + expected + " bytes of " + source));
        }
        eof = true;
        finishedNanos = System.nanoTime();
        meter.finish(count);
        if (copy != null) {
            try {
                copy.force(true);
                copy.close();
                Transfer.commit(part, keepAs);
                kept = true;
            } catch (IOException e) {
                throw fail(new IOException("cannot keep a copy as " + keepAs + ": " + e.getMessage(), e));
            }
        }
    }

    private IOException fail(IOException e) {
        if (failure == null) failure = e;
        return failure;
    }

    /**
     * Ends the transfer where it is, also when a copy is being kept (which {@link #close()} would
     * complete): for a restore that failed before its pg_restore read the stream.
     */
    public synchronized void abort() {
        if (closed) return;
        fail(new IOException("aborted after " + count + " bytes of " + source));
        try {
            close();
        } catch (IOException expected) {
            // the failure just recorded
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            if (copy != null && !eof && failure == null) {
                // the reader is done but the kept copy must be whole: read the rest into it
                byte[] buf = new byte[Transfer.BUFFER_SIZE];
                while (read(buf, 0, buf.length) >= 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw fail(new IOException("interrupted after " + count + " bytes of " + source));
                    }
                }
            }
        } finally {
            release.accept(eof && failure == null);
            if (copy != null && !kept) {
                try {
                    copy.close();
                } catch (IOException ignored) {
                    // the partial copy is removed anyway
                }
                Transfer.deleteQuietly(part);
            }
        }
        if (failure != null) throw failure;
    }

    private String ofExpected() {
        return expected >= 0 ? " of " + expected : "";
    }
}
