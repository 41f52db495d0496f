package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One dump file fetched over several connections at once: a HEAD gives the length and whether the
 * server takes byte ranges; the file is cut in equal ranges, each GET with {@code Range} and
 * {@code If-Range} (so a dump replaced meanwhile is never stitched from two versions) writing at
 * its own offset of one preallocated {@code .name.part} through a fixed buffer; the part is
 * renamed once every range is whole. {@link #probe} says when this cannot work (no
 * {@code Accept-Ranges: bytes}, no length, a small file), and {@link RangesIgnored} when a server
 * answers a range with the whole file: the caller then downloads over one connection.
 */
final class RangedDownload {
    /** Below this per connection, more connections cost more than they bring. */
    static final long MIN_RANGE_BYTES = 16 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    /** The server sent 200 (or another range) to a range request. */
    static final class RangesIgnored extends RuntimeException {
        RangesIgnored(String message) { super(message, null, false, false); }
    }

    /** What a HEAD said: the length and the validator for If-Range. */
    record Probe(long length, String validator) { }

    private final URI url;
    private final Path target;
    private final Probe probe;
    private final int connections;
    private final DownloadListener listener;
    private final Set<HttpTransport.Exchange> open = ConcurrentHashMap.newKeySet();

    RangedDownload(URI url, Path target, Probe probe, int connections, DownloadListener listener) {
        this.url = url;
        this.target = target;
        this.probe = probe;
        this.connections = connections;
        this.listener = listener;
    }

    /** The length and validator when ranged connections can be used, else null. */
    static Probe probe(URI url, int connections) {
        try (HttpTransport.Exchange ex = HttpTransport.head(url)) {
            if (ex.status() != 200) return null;
            String ranges = ex.header("Accept-Ranges");
            String length = ex.header("Content-Length");
            if (ranges == null || !ranges.toLowerCase(java.util.Locale.ROOT).contains("bytes") || length == null) {
                return null;
            }
            long n = Long.parseLong(length.trim());
            if (n < MIN_RANGE_BYTES * 2) return null;
            String etag = ex.header("ETag");
            String validator = etag != null && !etag.startsWith("W/") ? etag : ex.header("Last-Modified");
            return new Probe(n, validator);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * GETs bytes {@code from}-{@code to} (with If-Range, so a dump replaced meanwhile is never stitched
     * from two versions) and checks the answer is exactly that range; the exchange is added to
     * {@code open} (for aborting) and returned open, positioned at the first byte.
     */
    static HttpTransport.Exchange openRange(URI url, Probe probe, long from, long to, Set<HttpTransport.Exchange> open) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Range", "bytes=" + from + "-" + to);
        if (probe.validator() != null) headers.put("If-Range", probe.validator());
        HttpTransport.Exchange ex = HttpTransport.get(url, headers);
        open.add(ex);
        boolean ok = false;
        try {
            if (ex.status() == 200) throw new RangesIgnored(url + " answered a range request with the whole file");
            if (ex.status() != 206) {
                throw new BackupException("GET " + url + " (bytes " + from + "-" + to + ") answered HTTP " + ex.status(),
                        "check the backup server's access rules and logs");
            }
            Matcher m = CONTENT_RANGE.matcher(String.valueOf(ex.header("Content-Range")));
            if (!m.matches() || Long.parseLong(m.group(1)) != from || Long.parseLong(m.group(2)) != to
                    || (!m.group(3).equals("*") && Long.parseLong(m.group(3)) != probe.length())) {
                throw new RangesIgnored(url + " answered bytes " + from + "-" + to + " with Content-Range "
                        + ex.header("Content-Range"));
            }
            ok = true;
            return ex;
        } finally {
            if (!ok) {
                open.remove(ex);
                ex.abort();
            }
        }
    }

    /** How many ranges a file of {@code length} is cut in. */
    static int parts(long length, int connections) {
        return (int) Math.max(1, Math.min(connections, length / MIN_RANGE_BYTES));
    }

    Path run() {
        long length = probe.length();
        Transfer.checkTargetDir(target.getParent(), length);
        Path part = Transfer.partFile(target);
        int n = parts(length, connections);
        ProgressMeter meter = new ProgressMeter(listener, length);
        AtomicLong received = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "download-range");
            t.setDaemon(true);
            return t;
        });
        boolean done = false;
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING)) {
            // the full length up front: a disk too small fails now, and every range has its place
            out.write(ByteBuffer.wrap(new byte[1]), length - 1);
            List<Future<?>> futures = new ArrayList<>();
            long chunk = length / n;
            for (int i = 0; i < n; i++) {
                long from = i * chunk;
                long to = i == n - 1 ? length - 1 : from + chunk - 1;
                futures.add(pool.submit(() -> {
                    fetchRange(from, to, out, received, meter);
                    return null;
                }));
            }
            for (Future<?> f : futures) await(f);
            if (received.get() != length) {
                throw new BackupException("truncated: got " + received.get() + " of " + length + " bytes of " + url,
                        "retry; if it keeps failing, check the dump on the backup server");
            }
            out.force(true);
            Transfer.commit(part, target);
            done = true;
            synchronized (meter) {
                meter.finish(length);
            }
            return target;
        } catch (IOException e) {
            if (Transfer.isDiskFull(e)) {
                throw new BackupException("disk full in " + target.getParent() + " while downloading " + target.getFileName()
                        + " (" + length + " bytes)", "free space in " + target.getParent() + " or set tmpdir to a larger filesystem", e);
            }
            throw new BackupException("cannot write " + part + ": " + e.getMessage(),
                    "check the permissions and free space of " + target.getParent(), e);
        } finally {
            open.forEach(HttpTransport.Exchange::abort);
            pool.shutdownNow();
            if (!done) Transfer.deleteQuietly(part);
        }
    }

    private void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("download of " + url + " interrupted; partial file removed", null, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new BackupException("cannot download " + url + ": " + e.getCause(), null, e.getCause());
        }
    }

    private void fetchRange(long from, long to, FileChannel out, AtomicLong received, ProgressMeter meter)
            throws IOException {
        HttpTransport.Exchange ex = openRange(url, probe, from, to, open);
        try {
            byte[] buf = new byte[Transfer.BUFFER_SIZE];
            long pos = from;
            InputStream in = ex.body();
            while (pos <= to) {
                if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException();
                int n;
                try {
                    n = in.read(buf, 0, (int) Math.min(buf.length, to + 1 - pos));
                } catch (IOException e) {
                    throw new BackupException("truncated: bytes " + from + "-" + to + " of " + url + " stopped at "
                            + pos + " (" + e.getMessage() + ")", "retry; if it keeps failing, check the backup server", e);
                }
                if (n < 0) {
                    throw new BackupException("truncated: bytes " + from + "-" + to + " of " + url + " ended at " + pos,
                            "retry; if it keeps failing, check the backup server");
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                try {
                    while (bb.hasRemaining()) pos += out.write(bb, pos);
                } catch (ClosedByInterruptException e) {
                    throw new java.io.InterruptedIOException("interrupted");
                }
                long total = received.addAndGet(n);
                synchronized (meter) {
                    meter.update(total);
                }
            }
            ex.close();
        } finally {
            open.remove(ex);
            ex.abort();
        }
    }
}
