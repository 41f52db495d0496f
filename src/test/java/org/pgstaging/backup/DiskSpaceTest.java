package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.testkit.HttpClientLogs;
import org.pgstaging.testkit.NginxServer;

/**
 * A full tmpdir, for real: a 2 MiB tmpfs mounted for the test (needs root and mount rights;
 * skipped otherwise), fed by a real nginx.
 */
class DiskSpaceTest {
    private static final long TMPFS_BYTES = 2 * 1024 * 1024;

    @TempDir
    static Path docroot;
    @TempDir
    static Path base;
    static Path tmpfs;
    static boolean mounted;
    static NginxServer nginx;
    static HttpBackupSource source;

    @BeforeAll
    static void mountAndServe() throws Exception {
        HttpClientLogs.quiet();
        tmpfs = Files.createDirectories(base.resolve("small-tmpdir"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_BYTES, "tmpfs", tmpfs.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (" + out.trim() + "): disk-full tests skipped");

        Path dir = Files.createDirectories(docroot.resolve("dumps"));
        Random random = new Random(7);
        SampleDumps.writeRandom(dir.resolve("foodb.2026-11-24.dump"), 3 * 1024 * 1024, random); // > tmpfs
        SampleDumps.writeRandom(dir.resolve("foodb.2026-11-23.dump"), 1024 * 1024, random);     // fits
        nginx = NginxServer.start(docroot, true);
        source = new HttpBackupSource(nginx.baseUrl().resolve("dumps/"),
                HttpBackupSource.newCache(HttpBackupSource.LISTING_TTL, Ticker.systemTicker()));
    }

    @AfterAll
    static void unmount() throws Exception {
        if (nginx != null) nginx.close();
        if (mounted) new ProcessBuilder("umount", tmpfs.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void empty() throws IOException {
        try (var files = Files.list(tmpfs)) {
            for (Path f : files.toList()) Files.delete(f);
        }
    }

    @Test
    void tooBigForTmpdirFailsBeforeDownloading() {
        BackupFile big = source.locate("foodb", LocalDate.of(2026, 11, 24));
        assertThatThrownBy(() -> source.download(big, tmpfs, DownloadListener.NONE))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("not enough space in " + tmpfs)
                .hasMessageContaining("needs 3.0 MB (3145728 bytes)")
                .satisfies(e -> assertThat(((BackupException) e).hint()).contains("tmpdir"));
        assertThat(tmpfs).isEmptyDirectory();
    }

    @Test
    void diskFillingUpDuringTheDownloadRemovesThePartial() {
        BackupFile dump = source.locate("foodb", LocalDate.of(2026, 11, 23));
        // the pre-check passes (1 MiB of 2 MiB free); then something else fills the disk
        ProgressRecorder fillDiskOnFirstProgress = new ProgressRecorder(DiskSpaceTest::fillTmpfs);
        assertThatThrownBy(() -> source.download(dump, tmpfs, fillDiskOnFirstProgress))
                .isInstanceOf(BackupException.class)
                .hasMessageStartingWith("disk full in " + tmpfs + " while downloading foodb.2026-11-23.dump")
                .hasMessageContaining("needed 1.0 MB (1048576 bytes)")
                .satisfies(e -> assertThat(((BackupException) e).hint()).contains("tmpdir"));
        assertThat(tmpfs.resolve(".foodb.2026-11-23.dump.part")).doesNotExist();
        assertThat(tmpfs.resolve("foodb.2026-11-23.dump")).doesNotExist();
    }

    private static void fillTmpfs() {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(tmpfs.resolve("filler"))) {
            while (true) out.write(block);
        } catch (IOException expectedNoSpace) {
            assertThat(Transfer.isDiskFull(expectedNoSpace)).as(expectedNoSpace.toString()).isTrue();
        }
    }
}
