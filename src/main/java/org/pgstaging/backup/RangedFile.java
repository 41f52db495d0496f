package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dump on a server that serves byte ranges: its length, and any part of it as a stream of its
 * own (with If-Range: a dump replaced meanwhile is refused, never mixed). A range that ends early
 * is an {@link IOException} from the stream, like any broken download.
 */
public final class RangedFile {
    private final URI url;
    private final RangedDownload.Probe probe;
    private final Set<HttpTransport.Exchange> open = ConcurrentHashMap.newKeySet();

    RangedFile(URI url, RangedDownload.Probe probe) {
        this.url = url;
        this.probe = probe;
    }

    public long length() {
        return probe.length();
    }

    public String location() {
        return url.toString();
    }

    /**
     * Bytes {@code [from, end)} over up to {@code connections} connections: a range of more than two
     * {@link #CHUNK_BYTES} chunks comes as consecutive chunks fetched in parallel and handed out in
     * order, so one big table is not held to one connection's rate.
     */
    public InputStream open(long from, long end, int connections) {
        if (connections > 1 && end - from > 2L * CHUNK_BYTES) {
            if (from < 0 || end > probe.length() || from >= end) {
                throw new IllegalArgumentException("range " + from + "-" + end + " of a " + probe.length() + "-byte file");
            }
            return new ChunkedRangeStream(url, probe, connections, CHUNK_BYTES, from, end);
        }
        return open(from, end);
    }

    /**
     * Chunks of a range read over several connections: smaller than a whole dump's stream, since
     * several ranges may be read at once; a range holds at most {@code connections + 2} of them.
     */
    public static final int CHUNK_BYTES = 2 * 1024 * 1024;

    /**
     * Chunks of the head: a catalog's size is known only once it is read, so small enough that a
     * catalog of megabytes (thousands of tables) spreads over the connections, and that little is
     * fetched past a small one.
     */
    static final int HEAD_CHUNK_BYTES = 256 * 1024;

    /**
     * The file from its first byte, over {@code connections} connections in {@link #HEAD_CHUNK_BYTES}
     * chunks, for reading its catalog: closed once that is read, which stops the chunks still coming.
     * Why not one GET: the catalog is read before anything else can start, and over a link that
     * limits each connection one connection brings a large one at a fraction of the rate.
     */
    public InputStream openHead(int connections) {
        if (connections < 2 || probe.length() <= HEAD_CHUNK_BYTES) return open(0, probe.length());
        return new ChunkedRangeStream(url, probe, connections, HEAD_CHUNK_BYTES, 0, probe.length());
    }

    /** Bytes {@code [from, end)}; {@link BackupException} when the server refuses the range. */
    public InputStream open(long from, long end) {
        if (from < 0 || end > probe.length() || from >= end) {
            throw new IllegalArgumentException("range " + from + "-" + end + " of a " + probe.length() + "-byte file");
        }
        HttpTransport.Exchange ex = RangedDownload.openRange(url, probe, from, end - 1, open);
        return new RangeBody(ex, from, end);
    }

    /** Aborts every range still being read (a cancelled restore). */
    public void abortAll() {
        for (HttpTransport.Exchange ex : open) ex.abort();
    }

    private final class RangeBody extends ArrayInputStream {
        private final HttpTransport.Exchange ex;
        private final InputStream in;
        private final long from;
        private final long end;
        private long at;
        private boolean closed;

        RangeBody(HttpTransport.Exchange ex, long from, long end) {
            this.ex = ex;
            this.in = ex.body();
            this.from = from;
            this.end = end;
            this.at = from;
        }


        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("range closed");
            if (at == end) return -1;
            int n = in.read(b, off, (int) Math.min(len, end - at));
            if (n < 0) throw new IOException("truncated: bytes " + from + "-" + (end - 1) + " of " + url + " ended at " + at);
            at += n;
            return n;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            open.remove(ex);
            if (at == end) ex.close();
            else ex.abort();
        }
    }
}
