package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.testkit.ApacheServer;
import org.pgstaging.testkit.HttpClientLogs;
import org.pgstaging.testkit.HttpServerProcess;
import org.pgstaging.testkit.NginxServer;

/** Chunks fetched over several ranged connections come out as the exact file, in order. */
class ChunkedRangeStreamTest {
    @TempDir
    static Path docroot;
    static Path dumps;
    static NginxServer nginx;
    static ApacheServer apache;

    @BeforeAll
    static void start() throws IOException {
        HttpClientLogs.quiet();
        dumps = SampleDumps.create(docroot);
        nginx = NginxServer.start(docroot, false);
        apache = ApacheServer.start(docroot, ApacheServer.Style.FANCY_TABLE);
    }

    @AfterAll
    static void stop() {
        if (nginx != null) nginx.close();
        if (apache != null) apache.close();
    }

    private static URI url(HttpServerProcess s) {
        return s.baseUrl().resolve(SampleDumps.DIR + "/foodb.2026-11-24.dump");
    }

    private static byte[] readAll(InputStream in, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[bufferSize];
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) out.write(buf, 0, n);
        return out.toByteArray();
    }

    @Test
    void givesTheExactFileInOrderFromNginxAndApache() throws IOException {
        byte[] expected = Files.readAllBytes(dumps.resolve("foodb.2026-11-24.dump"));
        for (HttpServerProcess server : new HttpServerProcess[] {nginx, apache}) {
            RangedDownload.Probe probe = RangedDownload.probe(url(server), 3);
            assertThat(probe).as("%s accepts ranges", server).isNotNull();
            // 100,000-byte chunks do not divide the 1,019,193-byte file; odd read sizes cross chunk ends
            try (ChunkedRangeStream in = new ChunkedRangeStream(url(server), probe, 3, 100_000)) {
                assertThat(in.length()).isEqualTo(expected.length);
                assertThat(readAll(in, 7_777)).isEqualTo(expected);
                assertThat(in.read()).isEqualTo(-1);
                // 11 chunks went through at most connections + 2 buffers
                assertThat(in.buffersAllocated()).isBetween(1, 5);
            }
        }
    }

    @Test
    void aRangeOfTheFileComesWholeAndAloneOverSeveralConnections() throws IOException {
        byte[] all = Files.readAllBytes(dumps.resolve("foodb.2026-11-24.dump"));
        RangedDownload.Probe probe = RangedDownload.probe(url(nginx), 3);
        long from = 123_457;
        long end = 876_543;
        try (ChunkedRangeStream in = new ChunkedRangeStream(url(nginx), probe, 3, 100_000, from, end)) {
            assertThat(readAll(in, 4_099)).isEqualTo(java.util.Arrays.copyOfRange(all, (int) from, (int) end));
        }
        // through RangedFile: small ranges over one connection, big ones chunked, both exact
        RangedFile file = new RangedFile(url(nginx), probe);
        try (InputStream one = file.open(10, 20_010, 3)) {
            assertThat(one).isNotInstanceOf(ChunkedRangeStream.class);
            assertThat(readAll(one, 1000)).isEqualTo(java.util.Arrays.copyOfRange(all, 10, 20_010));
        }
    }

    @Test
    void aDumpReplacedSinceTheProbeFailsTheStreamInsteadOfMixingVersions() throws IOException {
        RangedDownload.Probe probe = RangedDownload.probe(url(nginx), 2);
        RangedDownload.Probe stale = new RangedDownload.Probe(probe.length(), "\"not-the-current-etag\"");
        try (ChunkedRangeStream in = new ChunkedRangeStream(url(nginx), stale, 2, 100_000)) {
            // If-Range no longer matches: the server sends the whole file with 200, which is refused
            assertThatThrownBy(() -> readAll(in, 8192)).isInstanceOf(IOException.class)
                    .hasMessageContaining("whole file");
        }
    }

    /** A dump's head in small ranges spread over the connections, then doubling to the full chunk size. */
    @Test
    void rampingUpAsksForSmallRangesFirstThenDoublesThem() throws Exception {
        byte[] expected = Files.readAllBytes(dumps.resolve("foodb.2026-11-24.dump"));
        try (NginxServer own = NginxServer.start(docroot, false)) {
            URI url = url(own);
            RangedDownload.Probe probe = RangedDownload.probe(url, 3);
            try (ChunkedRangeStream in = ChunkedRangeStream.rampingUp(url, probe, 3, 50_000, 200_000)) {
                assertThat(readAll(in, 8_191)).isEqualTo(expected);
            }
            own.awaitRequestCount(url.getPath(), 7);
            List<String> ranges = own.accessLogLines().stream().filter(l -> l.contains("\"GET " + url.getPath() + " "))
                    .map(l -> l.substring(l.lastIndexOf("\"bytes=") + 7, l.length() - 1)).sorted(
                            java.util.Comparator.comparingLong(r -> Long.parseLong(r.substring(0, r.indexOf('-'))))).toList();
            // 1,019,193 bytes: 50,000, 100,000, then 200,000 at a time
            assertThat(ranges).containsExactly("0-49999", "50000-149999", "150000-349999", "350000-549999",
                    "550000-749999", "750000-949999", "950000-1019192");
        }
    }

    /** A chunk's first bytes reach the reader while the rest of it is still on its way (nginx logs a request once it is done). */
    @Test
    void theFirstBytesOfAChunkAreReadBeforeTheChunkIsIn() throws Exception {
        try (NginxServer slow = NginxServer.start(docroot, false, 100_000)) {
            URI url = url(slow);
            String path = url.getPath();
            RangedDownload.Probe probe = RangedDownload.probe(url, 2);
            long done = slow.requestCount(path);
            // the 1,019,193-byte file in chunks of 400,000, 400,000 and 219,193 bytes, all three
            // fetched at once at 100 KB/s each: the quickest takes two seconds
            try (ChunkedRangeStream in = new ChunkedRangeStream(url, probe, 2, 400_000)) {
                byte[] head = new byte[1000];
                int n = in.readNBytes(head, 0, head.length);
                assertThat(n).isEqualTo(head.length);
                assertThat(slow.requestCount(path)).as("no range request finished yet").isEqualTo(done);
                byte[] expected = Files.readAllBytes(dumps.resolve("foodb.2026-11-24.dump"));
                assertThat(head).isEqualTo(java.util.Arrays.copyOf(expected, head.length));
            }
        }
    }

    @Test
    void closingEarlyStopsTheFetchesAndFurtherReadsFail() throws IOException {
        RangedDownload.Probe probe = RangedDownload.probe(url(nginx), 2);
        ChunkedRangeStream in = new ChunkedRangeStream(url(nginx), probe, 2, 50_000);
        byte[] head = new byte[1000];
        assertThat(in.read(head, 0, head.length)).isPositive();
        in.close();
        assertThatThrownBy(() -> in.read(head, 0, head.length)).isInstanceOf(IOException.class);
    }
}
