package org.pgstaging.backup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

/**
 * Dumps published by a web server's directory listing (Apache mod_autoindex, nginx autoindex HTML
 * or JSON; see {@link ListingParser}), downloaded with Apache HttpClient.
 *
 * <p>Listings are cached for {@link #LISTING_TTL} by each source, because a command often lists
 * several times (resolve {@code latest}, then show sizes) and the job layer keeps one source per
 * section for as long as it runs (a console session, the bot); {@link #refresh()} forgets the listing. Dumps are streamed through a fixed buffer into
 * {@code targetDir/.name.part}, then renamed: see {@link #download(BackupFile, Path, DownloadListener)}.
 */
public final class HttpBackupSource implements BackupSource {
    public static final Duration LISTING_TTL = Duration.ofSeconds(30);
    /** Files of a directory-format dump fetched at once when no connection count is given. */
    static final int DIRECTORY_CONNECTIONS = 4;
    /** A listing bigger than this is not a backup directory; refusing it keeps memory bounded. */
    static final int MAX_LISTING_BYTES = 16 * 1024 * 1024;


    private final URI listingUrl;
    private final Cache<URI, List<ListingEntry>> cache;
    /** Whether each directory-format dump has its toc.dat yet. */
    private final Cache<URI, Boolean> tocs = Caffeine.newBuilder().expireAfterWrite(LISTING_TTL).maximumSize(1024).build();

    /** @param listingUrl the directory listing, {@code http(s)://host[:port]/path/}; a missing final slash is added */
    public HttpBackupSource(URI listingUrl) {
        this(listingUrl, newCache(LISTING_TTL, Ticker.systemTicker()));
    }

    HttpBackupSource(URI listingUrl, Cache<URI, List<ListingEntry>> cache) {
        this.listingUrl = directoryUrl(listingUrl);
        this.cache = cache;
    }

    /** A listing cache; tests pass their own ticker to expire entries without waiting. */
    static Cache<URI, List<ListingEntry>> newCache(Duration ttl, Ticker ticker) {
        return Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(256).ticker(ticker).build();
    }

    public URI listingUrl() { return listingUrl; }

    @Override
    public String describe() { return listingUrl.toString(); }

    /** Every entry of the listing (cached), including the ones that are not dumps. */
    public List<ListingEntry> entries() {
        return cache.get(listingUrl, this::fetchListing);
    }

    /** Forgets the cached listing of this URL, so the next call asks the server. */
    public void refresh() {
        cache.invalidate(listingUrl);
    }

    @Override
    public List<BackupFile> list(String dbname) {
        DumpName.checkDbname(dbname); // before any request
        return DumpName.select(dbname, entries(), this::fileUrl).stream()
                .filter(b -> !b.isDirectory() || hasToc(b))
                .toList();
    }

    /**
     * pg_dump -Fd writes toc.dat last, so a directory without it is a dump still being written (or
     * not a dump at all) and must not be picked as the latest; a HEAD per directory tells, cached
     * like listings.
     */
    private boolean hasToc(BackupFile dir) {
        return tocs.get(dir.location(), url -> {
            try (HttpTransport.Exchange ex = HttpTransport.head(url.resolve("toc.dat"))) {
                return ex.status() == 200;
            }
        });
    }

    /** {@link #list(String)}, asking the server again first when {@code refresh} is true. */
    public List<BackupFile> list(String dbname, boolean refresh) {
        if (refresh) refresh();
        return list(dbname);
    }

    /** The dump of that day as pg_staging addresses it (listing URL + file name), without any request. */
    public BackupFile locate(String dbname, LocalDate date) {
        String name = DumpName.fileName(dbname, date);
        return new BackupFile(dbname, date, name, fileUrl(name), OptionalLong.empty());
    }

    /**
     * Downloads into {@code targetDir/backup.fileName()}: fails early when targetDir lacks room for the
     * announced Content-Length, reports progress, checks the received length, fsyncs, then renames
     * {@code .name.part} to the final name. Interrupting the calling thread aborts and removes the partial.
     */
    @Override
    public Path download(BackupFile backup, Path targetDir, DownloadListener listener) {
        if (backup.isDirectory()) return download(backup, targetDir, listener, DIRECTORY_CONNECTIONS);
        checkFileName(backup);
        Path target = targetDir.resolve(backup.fileName());
        return fetch(backup.location(), target, listener, () -> dumpNotFound(backup), true);
    }

    /**
     * {@link #download(BackupFile, Path, DownloadListener)} over up to {@code connections} ranged
     * connections when the server accepts byte ranges (see {@link RangedDownload}); one connection
     * otherwise, or when the server turns out to ignore ranges.
     */
    @Override
    public Path download(BackupFile backup, Path targetDir, DownloadListener listener, int connections) {
        if (backup.isDirectory()) {
            checkFileName(backup);
            List<ListingEntry> files = fetchListing(requireHttp(backup.location()));
            return DirectoryDownload.run(backup, files, targetDir, connections, listener, this::fetchMember);
        }
        if (connections <= 1) return download(backup, targetDir, listener);
        checkFileName(backup);
        Path target = targetDir.resolve(backup.fileName());
        Transfer.checkTargetDir(targetDir, -1);
        RangedDownload.Probe probe = RangedDownload.probe(requireHttp(backup.location()), connections);
        if (probe == null) return download(backup, targetDir, listener);
        try {
            return new RangedDownload(backup.location(), target, probe, connections, listener).run();
        } catch (RangedDownload.RangesIgnored e) {
            return download(backup, targetDir, listener);
        }
    }

    /** One file of a directory dump, with a download's guarantees. */
    private Path fetchMember(URI url, Path target, DownloadListener listener) {
        return fetch(url, target, listener, () -> new BackupException("not found: " + url
                + " (HTTP 404), listed in its dump's directory", "retry: the dump may be being replaced"), false);
    }

    /**
     * Downloads any file, e.g. the {@code pg_dumpall -g} globals named by {@code dumpall_url}
     * (see {@link BackupSources#dumpallUrl}), with the same guarantees as a dump download.
     */
    public Path download(URI url, Path target, DownloadListener listener) {
        if (target.getFileName() == null) throw new BackupException("no file name in download target " + target, null);
        return fetch(requireHttp(url), target.toAbsolutePath(), listener,
                () -> new BackupException("not found: " + url + " (HTTP 404)",
                        "check the URL; for the globals file, check dumpall_url"), false);
    }

    /**
     * The dump's bytes as they arrive, for restores that stream instead of storing. The caller must
     * close it; closing before the end drops the connection instead of reading the rest. A body cut
     * short raises an IOException from {@code read}.
     */
    public InputStream openStream(BackupFile backup) {
        checkFileName(backup);
        // a directory dump's catalog is its toc.dat
        URI url = backup.isDirectory() ? backup.location().resolve("toc.dat") : backup.location();
        HttpTransport.Exchange ex = HttpTransport.get(requireHttp(url));
        boolean ok = false;
        try {
            checkStatus(ex, () -> dumpNotFound(backup));
            checkNotHtml(ex);
            InputStream body = ex.body();
            ok = true;
            return new FilterInputStream(body) {
                private boolean eof;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    eof |= b < 0;
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    eof |= n < 0;
                    return n;
                }

                @Override
                public void close() {
                    if (eof) ex.close();
                    else ex.abort();
                }
            };
        } finally {
            if (!ok) ex.abort();
        }
    }

    @Override
    public java.util.Optional<RangedFile> ranged(BackupFile backup) {
        if (backup.isDirectory()) return java.util.Optional.empty();
        checkFileName(backup);
        URI url = requireHttp(backup.location());
        RangedDownload.Probe probe = RangedDownload.probe(url, 2);
        return probe == null ? java.util.Optional.empty() : java.util.Optional.of(new RangedFile(url, probe));
    }

    @Override
    public java.util.Optional<DumpFiles> files(BackupFile backup) {
        if (!backup.isDirectory()) return java.util.Optional.empty();
        checkFileName(backup);
        List<ListingEntry> entries = fetchListing(requireHttp(backup.location()));
        return java.util.Optional.of(new DumpFiles(backup, entries, this::fetchMember));
    }

    @Override
    public boolean canStream(BackupFile backup) {
        return !backup.isDirectory();
    }

    /**
     * GETs the dump and hands its body over as it arrives, teed into {@code keepAs} when not null.
     * Status, HTML answers and free space (for the copy) are checked before returning.
     */
    @Override
    public DumpStream stream(BackupFile backup, Path keepAs, DownloadListener listener) {
        return stream(backup, keepAs, listener, 1);
    }

    /**
     * With {@code connections > 1} and a server that accepts byte ranges, the body comes over that
     * many connections in 4 MB chunks ({@link ChunkedRangeStream}), still in order; otherwise one GET.
     */
    @Override
    public DumpStream stream(BackupFile backup, Path keepAs, DownloadListener listener, int connections) {
        checkFileName(backup);
        if (connections > 1) {
            URI url = requireHttp(backup.location());
            RangedDownload.Probe probe = RangedDownload.probe(url, connections);
            if (probe != null && probe.length() > 2L * ChunkedRangeStream.DEFAULT_CHUNK_BYTES) {
                ChunkedRangeStream body = ChunkedRangeStream.rampingUp(url, probe, connections,
                        RangedFile.HEAD_CHUNK_BYTES, ChunkedRangeStream.DEFAULT_CHUNK_BYTES);
                return new DumpStream(url.toString(), body, probe.length(), whole -> body.close(), keepAs, listener);
            }
        }
        HttpTransport.Exchange ex = HttpTransport.get(requireHttp(backup.location()));
        boolean ok = false;
        try {
            checkStatus(ex, () -> dumpNotFound(backup));
            checkNotHtml(ex);
            DumpStream s = new DumpStream(backup.location().toString(), ex, keepAs, listener);
            ok = true;
            return s;
        } finally {
            if (!ok) ex.abort();
        }
    }

    private Path fetch(URI url, Path target, DownloadListener listener, Supplier<BackupException> notFound,
                       boolean dump) {
        Transfer.checkTargetDir(target.getParent(), -1);
        HttpTransport.Exchange ex = HttpTransport.get(url);
        boolean ok = false;
        try {
            checkStatus(ex, notFound);
            if (dump) checkNotHtml(ex);
            Path result = new Transfer(url.toString(), target, ex.contentLength(), listener).run(ex.body());
            ok = true;
            return result;
        } finally {
            if (ok) ex.close();
            else ex.abort();
        }
    }

    private static void checkStatus(HttpTransport.Exchange ex, Supplier<BackupException> notFound) {
        if (ex.status() == 404) throw notFound.get();
        if (ex.status() != 200) {
            throw new BackupException("GET " + ex.url() + " answered HTTP " + ex.status() + " "
                    + ex.response().getReasonPhrase(), "check the backup server's access rules and logs");
        }
    }

    /**
     * Redirects are followed (http to https, moved servers), so a dump URL can end on a directory
     * listing or a login page; storing that as a dump would only fail later, in pg_restore.
     */
    private static void checkNotHtml(HttpTransport.Exchange ex) {
        HttpEntity entity = ex.response().getEntity();
        String type = entity == null || entity.getContentType() == null ? "" : entity.getContentType().toLowerCase();
        if (type.startsWith("text/html")) {
            throw new BackupException("GET " + ex.url() + " answered an HTML page, not a dump",
                    "check that the URL names a dump file (not a directory) and that the server needs no login");
        }
    }

    private List<ListingEntry> fetchListing(URI url) {
        try (HttpTransport.Exchange ex = HttpTransport.get(url)) {
            if (ex.status() != 200) {
                throw new BackupException("backup listing " + url + " answered HTTP " + ex.status() + " "
                        + ex.response().getReasonPhrase(),
                        "check backup_host and backup_base_url: the listing is http://<backup_host><backup_base_url>");
            }
            String body = readListing(ex);
            try {
                return List.copyOf(ListingParser.parse(body));
            } catch (BackupException e) {
                throw new BackupException(url + ": " + e.getMessage(), e.hint(), e);
            }
        }
    }

    private static String readListing(HttpTransport.Exchange ex) {
        HttpEntity entity = ex.response().getEntity();
        if (entity == null) return "";
        if (entity.getContentLength() > MAX_LISTING_BYTES) throw listingTooBig(ex.url());
        byte[] bytes;
        try {
            // not closed here: closing the body stream reads it to the end; the exchange closes it
            bytes = entity.getContent().readNBytes(MAX_LISTING_BYTES + 1);
        } catch (IOException e) {
            throw HttpTransport.failure(ex.url(), e);
        }
        if (bytes.length > MAX_LISTING_BYTES) {
            ex.abort();
            throw listingTooBig(ex.url());
        }
        Charset cs = StandardCharsets.UTF_8;
        try {
            ContentType ct = ContentType.parse(entity.getContentType());
            if (ct != null && ct.getCharset() != null) cs = ct.getCharset();
        } catch (RuntimeException unknownCharset) {
            // servers label listings loosely; UTF-8 is what Apache and nginx write
        }
        return new String(bytes, cs);
    }

    private static BackupException listingTooBig(URI url) {
        return new BackupException("backup listing " + url + " is larger than " + MAX_LISTING_BYTES + " bytes",
                "backup_base_url should point to the directory holding the dumps");
    }

    private BackupException dumpNotFound(BackupFile backup) {
        String hint;
        try {
            List<BackupFile> available = list(backup.dbname(), true);
            hint = available.isEmpty()
                    ? "no dumps of " + backup.dbname() + " are listed at " + listingUrl
                    : "nearest available dates: " + nearest(available, backup.date()) + " (list them with: backups "
                    + backup.dbname() + ")";
        } catch (BackupException listingFailed) {
            hint = "the listing " + listingUrl + " could not be read either: " + listingFailed.getMessage();
        }
        return new BackupException("no dump " + backup.fileName() + " at " + backup.location(), hint);
    }

    /** Up to three dates closest to {@code wanted}, in calendar order. */
    static String nearest(List<BackupFile> available, LocalDate wanted) {
        return available.stream()
                .map(BackupFile::date)
                .sorted(Comparator.comparingLong((LocalDate d) -> Math.abs(ChronoUnit.DAYS.between(wanted, d)))
                        .thenComparing(Comparator.reverseOrder()))
                .limit(3)
                .sorted()
                .map(LocalDate::toString)
                .collect(Collectors.joining(", "));
    }

    private URI fileUrl(String fileName) {
        return listingUrl.resolve(encodeSegment(fileName));
    }

    private static void checkFileName(BackupFile backup) {
        if (DumpName.dateOf(backup.dbname(), backup.fileName()).isEmpty()) {
            throw new BackupException("'" + backup.fileName() + "' is not a dump name of " + backup.dbname(),
                    "dump files are named dbname.YYYY-MM-DD.dump");
        }
    }

    private static URI requireHttp(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new BackupException("not an http(s) URL with a host: " + url, "use http://host[:port]/path");
        }
        return url;
    }

    private static URI directoryUrl(URI url) {
        requireHttp(url);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (!path.endsWith("/")) path = path + "/";
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + path);
    }

    /** Percent-encodes all but RFC 3986 unreserved characters, as UTF-8. */
    static String encodeSegment(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
