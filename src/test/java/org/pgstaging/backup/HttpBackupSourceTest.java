package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgstaging.config.Section;
import org.pgstaging.testkit.ApacheServer;
import org.pgstaging.testkit.HttpClientLogs;
import org.pgstaging.testkit.HttpServerProcess;
import org.pgstaging.testkit.HttpTruncatingServer;
import org.pgstaging.testkit.NginxServer;

/** HttpBackupSource against real Apache and nginx processes serving {@link SampleDumps}. */
class HttpBackupSourceTest {
    private static final String LISTING_PATH = "/" + SampleDumps.DIR + "/";
    private static final String CACHE_PATH = "/PostgreSQL/cachetest/";
    private static final byte[] GLOBALS = "CREATE ROLE app_owner;\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path docroot;
    static Path dumps;
    static ApacheServer apacheTable;
    static ApacheServer apachePre;
    static ApacheServer apachePlain;
    static NginxServer nginxHtml;
    static NginxServer nginxJson;
    /**
     * 500 kB/s (nginx lets the first second's worth through at once), so the 1 MB dump takes over a
     * second: long enough for several throttled progress calls.
     */
    static NginxServer nginxSlow;

    @TempDir
    Path tmpdir;

    @BeforeAll
    static void startServers() throws IOException {
        HttpClientLogs.quiet();
        dumps = SampleDumps.create(docroot);
        Path cacheDir = Files.createDirectories(docroot.resolve(CACHE_PATH.substring(1)));
        Files.write(cacheDir.resolve("foodb.2026-11-24.dump"), new byte[] {1, 2, 3});
        Files.write(docroot.resolve("PostgreSQL/globals.sql"), GLOBALS);
        apacheTable = ApacheServer.start(docroot, ApacheServer.Style.FANCY_TABLE);
        apachePre = ApacheServer.start(docroot, ApacheServer.Style.FANCY_PRE);
        apachePlain = ApacheServer.start(docroot, ApacheServer.Style.PLAIN);
        nginxHtml = NginxServer.start(docroot, false);
        nginxJson = NginxServer.start(docroot, true);
        nginxSlow = NginxServer.start(docroot, false, 500_000);
    }

    @AfterAll
    static void stopServers() {
        for (HttpServerProcess s : new HttpServerProcess[] {apacheTable, apachePre, apachePlain, nginxHtml, nginxJson, nginxSlow}) {
            if (s != null) s.close();
        }
    }

    static Stream<String> servers() {
        return Stream.of("apache-table", "apache-pre", "apache-plain", "nginx-html", "nginx-json");
    }

    private static HttpServerProcess server(String name) {
        return Map.of("apache-table", apacheTable, "apache-pre", apachePre, "apache-plain", apachePlain,
                "nginx-html", (HttpServerProcess) nginxHtml, "nginx-json", nginxJson).get(name);
    }

    /** A source with its own cache, so tests do not see each other's listings. */
    private static HttpBackupSource source(HttpServerProcess s) {
        return new HttpBackupSource(s.baseUrl().resolve(SampleDumps.DIR + "/"),
                HttpBackupSource.newCache(HttpBackupSource.LISTING_TTL, Ticker.systemTicker()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void listsOnlyTheDumpsOfTheDatabaseOldestFirst(String name) {
        HttpServerProcess server = server(name);
        HttpBackupSource src = source(server);
        List<BackupFile> foodb = src.list("foodb");
        assertThat(foodb).extracting(BackupFile::date).containsExactly(
                LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24));
        assertThat(foodb.get(3).location())
                .isEqualTo(server.baseUrl().resolve(SampleDumps.DIR + "/foodb.2026-11-24.dump"));
        if (name.startsWith("nginx")) {
            assertThat(foodb).extracting(b -> b.size().getAsLong())
                    .containsExactly(1_048_576L, 11L, 109_064_249L, 1_019_193L);
        } else if (name.equals("apache-plain")) {
            assertThat(foodb).allMatch(b -> b.size().isEmpty());
        } else {
            assertThat(foodb.get(1).size()).hasValue(11); // Apache is exact below 1 KB only
        }
        assertThat(src.list("foo.db")).extracting(BackupFile::fileName).containsExactly("foo.db.2026-11-20.dump");
        assertThat(src.list("café")).extracting(BackupFile::location)
                .containsExactly(server.baseUrl().resolve(SampleDumps.DIR + "/caf%C3%A9.2026-11-17.dump"));
        assertThat(src.list("nosuchdb")).isEmpty();
    }

    @Test
    void sectionWithBackupHostAndPathReachesTheListing() {
        Section s = new Section("foodb.dev", Map.of("backup_host", nginxJson.hostAndPort(),
                "backup_base_url", "/PostgreSQL/foodb/nightly"));
        BackupSource src = BackupSources.forSection(s);
        assertThat(src.describe()).isEqualTo("http://" + nginxJson.hostAndPort() + LISTING_PATH);
        assertThat(src.list("foodb")).hasSize(4);
    }

    @Test
    void downloadsExactBytesReportingProgress() throws IOException {
        HttpBackupSource src = source(nginxSlow);
        BackupFile dump = src.list("foodb").get(3);
        ProgressRecorder progress = new ProgressRecorder();
        long started = System.nanoTime();

        Path file = src.download(dump, tmpdir, progress);
        double elapsedSeconds = (System.nanoTime() - started) / 1e9;

        assertThat(file).isEqualTo(tmpdir.resolve("foodb.2026-11-24.dump"));
        assertThat(Files.mismatch(file, dumps.resolve("foodb.2026-11-24.dump"))).isEqualTo(-1);
        try (Stream<Path> left = Files.list(tmpdir)) {
            assertThat(left).containsExactly(file); // no .part left behind
        }
        assertThat(progress.calls).hasSizeGreaterThanOrEqualTo(3); // first chunk, at least one in between, end
        assertThat(progress.calls).extracting(ProgressRecorder.Call::bytes).isSorted();
        assertThat(progress.calls).allMatch(c -> c.total() == 1_019_193L);
        assertThat(progress.last().bytes()).isEqualTo(1_019_193L);
        assertThat(progress.last().rate()).isPositive();
        // throttled: one call at the start, then at most one per 200 ms, plus the final one
        assertThat(progress.calls.size()).isLessThanOrEqualTo(2 + (int) (elapsedSeconds / 0.2) + 1);
        System.out.printf("downloaded 1019193 bytes from rate-limited nginx in %.2f s, %d progress calls%n",
                elapsedSeconds, progress.calls.size());
    }

    @Test
    void downloadsFromApacheWhoseListedSizeIsOnlyApproximate() throws IOException {
        HttpBackupSource src = source(apacheTable);
        BackupFile dump = src.list("foodb").get(3);
        assertThat(dump.size()).hasValue(1_048_576L); // "1.0M" in the listing
        ProgressRecorder progress = new ProgressRecorder();
        Path file = src.download(dump, tmpdir, progress);
        assertThat(Files.size(file)).isEqualTo(1_019_193L);
        assertThat(Files.mismatch(file, dumps.resolve("foodb.2026-11-24.dump"))).isEqualTo(-1);
        assertThat(progress.last().total()).isEqualTo(1_019_193L); // from Content-Length, exact
    }

    @Test
    void missingDumpNamesTheFileAndTheNearestDates() throws IOException {
        HttpBackupSource src = source(apacheTable);
        BackupFile missing = src.locate("foodb", LocalDate.of(2026, 11, 21));
        assertThatThrownBy(() -> src.download(missing, tmpdir, DownloadListener.NONE))
                .isInstanceOf(BackupException.class)
                .hasMessage("no dump foodb.2026-11-21.dump at " + src.listingUrl() + "foodb.2026-11-21.dump")
                .satisfies(e -> assertThat(((BackupException) e).hint())
                        .contains("2026-11-20, 2026-11-22, 2026-11-23").doesNotContain("2026-11-24"));
        assertThat(tmpdir).isEmptyDirectory();
        assertThatThrownBy(() -> src.openStream(missing)).hasMessageStartingWith("no dump foodb.2026-11-21.dump");
    }

    @Test
    void aDirectoryNamedLikeTheDumpIsNotSavedAsTheDump() {
        // Apache redirects .../foodb.2026-11-25.dump to .../foodb.2026-11-25.dump/ and lists it
        HttpBackupSource src = source(apacheTable);
        BackupFile dir = src.locate("foodb", LocalDate.of(2026, 11, 25));
        assertThatThrownBy(() -> src.download(dir, tmpdir, DownloadListener.NONE))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("answered an HTML page, not a dump");
        assertThat(tmpdir).isEmptyDirectory();
    }

    @Test
    void listingErrorNamesTheUrlAndStatus() {
        HttpBackupSource src = new HttpBackupSource(apacheTable.baseUrl().resolve("PostgreSQL/nothere/"),
                HttpBackupSource.newCache(HttpBackupSource.LISTING_TTL, Ticker.systemTicker()));
        assertThatThrownBy(() -> src.list("foodb"))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining(apacheTable.baseUrl() + "PostgreSQL/nothere/")
                .hasMessageContaining("HTTP 404")
                .satisfies(e -> assertThat(((BackupException) e).hint()).contains("backup_host", "backup_base_url"));
    }

    @Test
    void refusedConnectionSaysWhichServer() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpBackupSource src = new HttpBackupSource(URI.create("http://127.0.0.1:" + port + "/dumps/"));
        assertThatThrownBy(() -> src.list("foodb"))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + port)
                .hasMessageContaining("connection refused");
        assertThatThrownBy(() -> src.download(src.locate("foodb", LocalDate.of(2026, 11, 24)), tmpdir, null))
                .hasMessageContaining("connection refused");
        assertThat(tmpdir).isEmptyDirectory();
    }

    @Test
    void listingIsCachedUntilRefreshedOrExpired() throws InterruptedException {
        AtomicLong nanos = new AtomicLong();
        HttpBackupSource src = new HttpBackupSource(apacheTable.baseUrl().resolve(CACHE_PATH.substring(1)),
                HttpBackupSource.newCache(HttpBackupSource.LISTING_TTL, nanos::get));

        assertThat(src.list("foodb")).hasSize(1);
        assertThat(apacheTable.awaitRequestCount(CACHE_PATH, 1)).isEqualTo(1);
        src.list("foodb");
        src.list("other");
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(29));
        src.list("foodb");
        assertThat(src.list(("foodb"), true)).hasSize(1);
        assertThat(apacheTable.awaitRequestCount(CACHE_PATH, 2)).isEqualTo(2);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(31));
        src.list("foodb");
        assertThat(apacheTable.awaitRequestCount(CACHE_PATH, 3)).isEqualTo(3);
        // a later request on the same connection is logged after any earlier one: then the count is final
        source(apacheTable).list("foodb");
        apacheTable.awaitRequestCount(LISTING_PATH, 1);
        assertThat(apacheTable.requestCount(CACHE_PATH)).isEqualTo(3);
    }

    @Test
    void openStreamGivesTheBytesAndClosingEarlyDropsTheConnection() throws Exception {
        HttpBackupSource src = source(nginxHtml);
        BackupFile small = src.locate("foodb", LocalDate.of(2026, 11, 24));
        try (InputStream in = src.openStream(small)) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(dumps.resolve("foodb.2026-11-24.dump")));
        }
        // the 104 MB dump from the slow server: read a little, close, and check nginx did not send it all
        HttpBackupSource slow = source(nginxSlow);
        BackupFile big = slow.locate("foodb", LocalDate.of(2026, 11, 23));
        try (InputStream in = slow.openStream(big)) {
            assertThat(in.readNBytes(10_000)).hasSize(10_000);
        }
        assertThat(bodyBytesSent(nginxSlow, "foodb.2026-11-23.dump")).isLessThan(109_064_249L);
    }

    @Test
    void interruptingTheThreadAbortsAndRemovesThePartialFile() throws Exception {
        HttpBackupSource src = source(nginxSlow);
        BackupFile big = src.locate("foodb", LocalDate.of(2026, 11, 23));
        ProgressRecorder interruptOnFirstProgress = new ProgressRecorder(() -> Thread.currentThread().interrupt());
        try {
            assertThatThrownBy(() -> src.download(big, tmpdir, interruptOnFirstProgress))
                    .isInstanceOf(BackupException.class)
                    .hasMessageContaining("interrupted")
                    .hasMessageContaining("of 109064249");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(tmpdir).isEmptyDirectory();
        assertThat(bodyBytesSent(nginxSlow, "foodb.2026-11-23.dump")).isLessThan(109_064_249L);
    }

    @Test
    void anotherThreadCanCancelARunningDownload() throws Exception {
        HttpBackupSource src = source(nginxSlow);
        BackupFile big = src.locate("foodb", LocalDate.of(2026, 11, 23));
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                src.download(big, tmpdir, (bytes, total, rate) -> started.countDown());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(HttpTransport.SOCKET_TIMEOUT_SECONDS + 10));
        assertThat(worker.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(BackupException.class).hasMessageContaining("interrupted");
        assertThat(tmpdir).isEmptyDirectory();
    }

    @Test
    void truncatedBodyIsDetectedAndRemoved() throws IOException {
        // Apache and nginx never send less than their Content-Length: a raw socket server lies instead
        byte[] body = new byte[1000];
        try (HttpTruncatingServer liar = HttpTruncatingServer.start(body, 5000)) {
            HttpBackupSource src = new HttpBackupSource(liar.baseUrl());
            assertThatThrownBy(() -> src.download(src.locate("foodb", LocalDate.of(2026, 11, 24)), tmpdir, null))
                    .isInstanceOf(BackupException.class)
                    .hasMessageStartingWith("truncated: got 1000 of 5000 bytes of " + liar.baseUrl() + "foodb.2026-11-24.dump");
            assertThat(liar.requests()).isEqualTo(1);
        }
        assertThat(tmpdir).isEmptyDirectory();
    }

    @Test
    void dumpallUrlIsAPathOnBackupHost() throws IOException {
        Section s = new Section("foodb.dev", Map.of("backup_host", nginxHtml.hostAndPort(),
                "backup_base_url", LISTING_PATH, "dumpall_url", "/PostgreSQL/globals.sql"));
        URI url = BackupSources.dumpallUrl(s).orElseThrow();
        assertThat(url).isEqualTo(nginxHtml.baseUrl().resolve("PostgreSQL/globals.sql"));
        HttpBackupSource src = (HttpBackupSource) BackupSources.forSection(s);
        Path globals = src.download(url, tmpdir.resolve("foodb.dev.globals.sql"), DownloadListener.NONE);
        assertThat(Files.readAllBytes(globals)).isEqualTo(GLOBALS);

        URI missing = nginxHtml.baseUrl().resolve("PostgreSQL/nope.sql");
        assertThatThrownBy(() -> src.download(missing, tmpdir.resolve("nope.sql"), null))
                .hasMessage("not found: " + missing + " (HTTP 404)");
        assertThat(tmpdir.resolve("nope.sql")).doesNotExist();
    }

    @Test
    void resolvePicksLatestOldestOrTheExactDay() {
        HttpBackupSource src = source(nginxJson);
        LocalDate today = LocalDate.of(2026, 11, 25);
        assertThat(BackupSources.resolve(src, "foodb", DateSpec.latest(), today).date()).isEqualTo("2026-11-24");
        assertThat(BackupSources.resolve(src, "foodb", DateSpec.oldest(), today).date()).isEqualTo("2026-11-20");
        assertThat(BackupSources.resolve(src, "foodb", DateSpec.parse("20261122"), today).size()).hasValue(11);
        assertThatThrownBy(() -> BackupSources.resolve(src, "foodb", DateSpec.today(), today))
                .hasMessageContaining("no dump foodb.2026-11-25.dump")
                .satisfies(e -> assertThat(((BackupException) e).hint()).contains("2026-11-24"));
        assertThatThrownBy(() -> BackupSources.resolve(src, "nosuchdb", DateSpec.latest(), today))
                .hasMessageContaining("no dumps of nosuchdb at " + src.listingUrl());
    }

    /** nginx's combined log ends requests with status and $body_bytes_sent; waits for the line. */
    private static long bodyBytesSent(NginxServer server, String file) throws InterruptedException {
        String path = LISTING_PATH + file;
        server.awaitRequestCount(path, 1);
        List<String> lines = server.accessLogLines().stream().filter(l -> l.contains("\"GET " + path + " ")).toList();
        String last = lines.get(lines.size() - 1);
        String afterRequest = last.substring(last.indexOf("\" ", last.indexOf("\"GET ")) + 2);
        return Long.parseLong(afterRequest.split(" ")[1]);
    }

}
