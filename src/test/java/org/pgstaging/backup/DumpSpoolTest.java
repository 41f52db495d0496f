package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.testkit.HttpClientLogs;
import org.pgstaging.testkit.NginxServer;

/** Parts of a dump fetched ahead into a local file come out exact, survive a broken connection, and stop on close. */
class DumpSpoolTest {
    private static final String PATH = "/" + SampleDumps.DIR + "/foodb.2026-11-24.dump";

    @TempDir
    static Path docroot;
    @TempDir
    Path work;
    static byte[] dump;
    static NginxServer nginx;

    @BeforeAll
    static void start() throws IOException {
        HttpClientLogs.quiet();
        Path dumps = SampleDumps.create(docroot);
        dump = Files.readAllBytes(dumps.resolve("foodb.2026-11-24.dump"));
        nginx = NginxServer.start(docroot, false);
    }

    @AfterAll
    static void stop() {
        if (nginx != null) nginx.close();
    }

    private static RangedFile file(URI base) {
        URI url = base.resolve(PATH);
        return new RangedFile(url, RangedDownload.probe(url, 3));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[6_151];
        for (int n = in.read(buf, 0, buf.length); n >= 0; n = in.read(buf, 0, buf.length)) out.write(buf, 0, n);
        return out.toByteArray();
    }

    private static byte[] slice(long from, long end) {
        return Arrays.copyOfRange(dump, (int) from, (int) end);
    }

    @Test
    void partsReadAtOnceComeOutExactAndLieAtTheirOffsetsInTheFile() throws Exception {
        Path copy = work.resolve("copy");
        long[][] parts = {{1_000, 420_000}, {420_000, 420_001}, {500_000, dump.length}, {123, 777}};
        AtomicLong fetched = new AtomicLong();
        try (DumpSpool spool = new DumpSpool(file(nginx.baseUrl()), copy, 3, 100_000, line -> { }, fetched::addAndGet)) {
            List<CompletableFuture<byte[]>> reads = new ArrayList<>();
            for (long[] p : parts) {
                reads.add(CompletableFuture.supplyAsync(() -> {
                    try (InputStream in = spool.read(p[0], p[1])) {
                        return readAll(in);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            for (int i = 0; i < parts.length; i++) {
                assertThat(reads.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(slice(parts[i][0], parts[i][1]));
                assertThat(spool.has(parts[i][0], parts[i][1])).isTrue();
            }
            assertThat(spool.has(0, 1_000)).as("a part nobody asked for").isFalse();
        }
        assertThat(fetched.get()).as("each byte counted once, as it landed")
                .isEqualTo(Arrays.stream(parts).mapToLong(p -> p[1] - p[0]).sum());
        byte[] written = Files.readAllBytes(copy);
        for (long[] p : parts) assertThat(Arrays.copyOfRange(written, (int) p[0], (int) p[1])).isEqualTo(slice(p[0], p[1]));
    }

    @Test
    void wantedPartsArriveWithoutAReaderAndTheHeadAlreadyInTheFileStays() throws Exception {
        Path copy = work.resolve("copy");
        Files.write(copy, slice(0, 500));
        try (DumpSpool spool = new DumpSpool(file(nginx.baseUrl()), copy, 2, 100_000, line -> { }, n -> { })) {
            spool.want(500, 300_000);
            spool.want(600_000, 900_000);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(spool.has(500, 300_000) && spool.has(600_000, 900_000)) && System.nanoTime() < until) Thread.sleep(20);
            assertThat(spool.has(600_000, 900_000)).isTrue();
            // read back from the file, not fetched again
            try (InputStream in = spool.read(600_000, 900_000)) {
                assertThat(readAll(in)).isEqualTo(slice(600_000, 900_000));
            }
        }
        byte[] written = Files.readAllBytes(copy);
        assertThat(Arrays.copyOfRange(written, 0, 300_000)).isEqualTo(slice(0, 300_000));
        assertThat(written).hasSize(900_000);
    }

    @Test
    void aChunkCutShortIsFetchedAgainFromWhereItBrokeAndTheReaderNeverSeesIt() throws Exception {
        // the second request (the second chunk) is cut after 40,000 bytes, headers included
        try (CuttingProxy proxy = new CuttingProxy(nginx.port(), PATH, n -> n == 2, 40_000)) {
            List<String> said = Collections.synchronizedList(new ArrayList<>());
            AtomicLong fetched = new AtomicLong();
            try (DumpSpool spool = new DumpSpool(file(URI.create("http://" + proxy.hostAndPort() + "/")),
                    work.resolve("copy"), 1, 100_000, said::add, fetched::addAndGet);
                 InputStream in = spool.read(0, 450_000)) {
                assertThat(readAll(in)).isEqualTo(slice(0, 450_000));
            }
            assertThat(proxy.cuts()).isOne();
            assertThat(fetched.get()).as("the bytes before the cut are not counted again").isEqualTo(450_000);
            assertThat(said).singleElement().asString().contains("broke").contains("attempt 2 of 3");
        }
    }

    @Test
    void aChunkThatKeepsBreakingFailsItsReaderAfterThreeAttemptsAndAFreshReadTriesAgain() throws Exception {
        // requests 2-4 all cut within their headers: the second chunk breaks three times without a byte; 5 onwards pass
        try (CuttingProxy proxy = new CuttingProxy(nginx.port(), PATH, n -> n >= 2 && n <= 4, 100)) {
            List<String> said = Collections.synchronizedList(new ArrayList<>());
            try (DumpSpool spool = new DumpSpool(file(URI.create("http://" + proxy.hostAndPort() + "/")),
                    work.resolve("copy"), 1, 100_000, said::add, n -> { })) {
                try (InputStream in = spool.read(0, 250_000)) {
                    assertThatThrownBy(() -> readAll(in)).isInstanceOf(IOException.class);
                }
                assertThat(said).hasSize(2);
                try (InputStream in = spool.read(0, 250_000)) {
                    assertThat(readAll(in)).isEqualTo(slice(0, 250_000));
                }
            }
            assertThat(proxy.cuts()).isEqualTo(3);
        }
    }

    @Test
    void aDumpReplacedSinceTheProbeFailsAtOnceInsteadOfMixingVersions() throws Exception {
        URI url = nginx.baseUrl().resolve(PATH);
        RangedDownload.Probe probe = RangedDownload.probe(url, 2);
        RangedFile stale = new RangedFile(url, new RangedDownload.Probe(probe.length(), "\"not-the-current-etag\""));
        List<String> said = Collections.synchronizedList(new ArrayList<>());
        try (DumpSpool spool = new DumpSpool(stale, work.resolve("copy"), 2, 100_000, said::add, n -> { });
             InputStream in = spool.read(0, 300_000)) {
            assertThatThrownBy(() -> readAll(in)).isInstanceOf(IOException.class).hasMessageContaining("whole file");
        }
        assertThat(said).as("not fetched again").isEmpty();
    }

    @Test
    void closingWakesAReaderWaitingForBytes() throws Exception {
        // a server that takes the connection and never answers keeps the reader waiting on its first chunk
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI url = nginx.baseUrl().resolve(PATH);
            RangedFile nowhere = new RangedFile(URI.create("http://127.0.0.1:" + silent.getLocalPort() + PATH),
                    RangedDownload.probe(url, 2));
            DumpSpool spool = new DumpSpool(nowhere, work.resolve("copy"), 1, 100_000, line -> { }, n -> { });
            InputStream in = spool.read(0, 200_000);
            CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    readAll(in);
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (held.isEmpty() && System.nanoTime() < until) Thread.sleep(10);
            assertThat(held).as("the fetch reached the server").isNotEmpty();
            assertThat(reader).isNotDone();
            spool.close();
            assertThat(reader.get(30, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessageContaining("stopped");
            for (java.net.Socket s : held) s.close();
        }
    }
}
