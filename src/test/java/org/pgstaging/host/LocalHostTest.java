package org.pgstaging.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.testkit.Unprivileged;

class LocalHostTest {
    private final LocalHost host = new LocalHost();

    @Test
    void runStreamsBothOutputsLineByLineAndKeepsOnlyTheStderrTail() {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        String script = "printf 'héllo\\r\\nworld\\nno-newline'; i=1; while [ $i -le 80 ]; do echo err$i >&2; i=$((i+1)); done; exit 3";
        CommandResult result = host.run(Command.of(List.of("sh", "-c", script)).withOutput(out::add, err::add));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.ok()).isFalse();
        assertThat(out).containsExactly("héllo", "world", "no-newline");
        assertThat(err).hasSize(80);
        assertThat(result.stderrTail()).hasSize(LocalHost.STDERR_TAIL_LINES)
                .startsWith("err31").endsWith("err80");
    }

    @Test
    void runPassesEnvironmentAndStdin(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("in.txt"), "from stdin\n");
        List<String> out = new ArrayList<>();
        CommandResult result = host.run(Command.of(List.of("sh", "-c", "cat; echo \"$PGSTAGING_TEST_VAR\""))
                .withEnv(Map.of("PGSTAGING_TEST_VAR", "from env")).withStdin(input).withOutput(out::add, l -> { }));
        assertThat(result.ok()).isTrue();
        assertThat(out).containsExactly("from stdin", "from env");
    }

    @Test
    void stdinStreamIsPumpedWholeThroughABoundedBuffer() {
        long size = 20L * 1024 * 1024 + 7; // many times the pump's buffer
        CountingStream source = new CountingStream(size, -1);
        List<String> out = new ArrayList<>();
        CommandResult result = host.run(Command.of(List.of("sh", "-c", "wc -c"))
                .withStdinStream(() -> source).withOutput(out::add, l -> { }));
        assertThat(result.ok()).isTrue();
        assertThat(result.stdinFailure()).isNull();
        assertThat(out).hasSize(1);
        assertThat(Long.parseLong(out.get(0).trim())).isEqualTo(size);
        assertThat(source.closed).isTrue();
        assertThat(source.largestRead).isLessThanOrEqualTo(LocalHost.STDIN_BUFFER_BYTES);
    }

    @Test
    void aFailingStdinStreamIsReportedAndTheProcessSeesEndOfInput() {
        CountingStream source = new CountingStream(10_000_000, 300_000);
        List<String> out = new ArrayList<>();
        CommandResult result = host.run(Command.of(List.of("sh", "-c", "wc -c"))
                .withStdinStream(() -> source).withOutput(out::add, l -> { }));
        assertThat(result.exitCode()).isZero();
        assertThat(result.ok()).as("exit 0 on a cut-short input is not a success").isFalse();
        assertThat(result.stdinFailure()).hasMessageContaining("connection reset");
        assertThat(Long.parseLong(out.get(0).trim())).isLessThan(10_000_000);
        assertThat(source.closed).isTrue();
    }

    @Test
    void aProcessThatStopsReadingIsNotAStdinFailure() {
        CountingStream source = new CountingStream(50L * 1024 * 1024, -1);
        CommandResult result = host.run(Command.of(List.of("sh", "-c", "head -c 1000 >/dev/null"))
                .withStdinStream(() -> source));
        assertThat(result.ok()).isTrue();
        assertThat(source.closed).as("closed so it can drop the rest").isTrue();
        assertThat(source.delivered).isLessThan(50L * 1024 * 1024);
    }

    @Test
    void interruptKillsAProcessFedFromAStream() throws Exception {
        CountingStream endless = new CountingStream(Long.MAX_VALUE, -1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                host.run(Command.of(List.of("sh", "-c", "cat >/dev/null")).withStdinStream(() -> endless));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        thread.start();
        while (endless.delivered < 1_000_000) Thread.sleep(10);
        thread.interrupt();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(HostException.class).hasMessageContaining("Interrupted");
    }

    /** Generates {@code size} bytes; throws like a reset connection after {@code failAt} bytes when not -1. */
    private static final class CountingStream extends java.io.InputStream {
        private final long size;
        private final long failAt;
        volatile long delivered;
        volatile boolean closed;
        volatile int largestRead;

        CountingStream(long size, long failAt) {
            this.size = size;
            this.failAt = failAt;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the pump reads blocks");
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            if (failAt >= 0 && delivered >= failAt) throw new java.io.IOException("connection reset");
            if (delivered >= size) return -1;
            int n = (int) Math.min(len, size - delivered);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            delivered += n;
            largestRead = Math.max(largestRead, len);
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void missingProgramIsAClearError() {
        assertThatThrownBy(() -> host.run(Command.of(List.of("/nonexistent/pgstaging-no-such-program"))))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("Cannot start")
                .hasMessageContaining("pgstaging-no-such-program");
    }

    @Test
    void interruptKillsTheWholeProcessTree() throws Exception {
        // sh starts sleep as a child (the "; true" stops sh from exec'ing it), so there is a tree to kill.
        List<String> pids = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                host.run(Command.of(List.of("sh", "-c", "sleep 60 & echo $!; echo $$; wait; true"))
                        .withOutput(pids::add, l -> { }));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        thread.start();
        while (pids.size() < 2) {
            Thread.sleep(20);
        }
        ProcessHandle sleep = ProcessHandle.of(Long.parseLong(pids.get(0))).orElseThrow();
        ProcessHandle shell = ProcessHandle.of(Long.parseLong(pids.get(1))).orElseThrow();
        assertThat(sleep.isAlive()).isTrue();
        thread.interrupt();
        Throwable thrown = outcome.get(30, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(HostException.class).hasMessageContaining("Interrupted");
        sleep.onExit().get(30, TimeUnit.SECONDS);
        shell.onExit().get(30, TimeUnit.SECONDS);
        assertThat(sleep.isAlive()).isFalse();
        assertThat(shell.isAlive()).isFalse();
    }

    @Test
    void readFileReadsUtf8AndExplainsMissingFiles(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.ini"), "ünïcode = 1\n");
        assertThat(host.readFile(file)).isEqualTo("ünïcode = 1\n");
        assertThatThrownBy(() -> host.readFile(dir.resolve("missing.ini")))
                .isInstanceOf(HostException.class).hasMessageContaining("does not exist");
        Path latin1 = Files.write(dir.resolve("latin1.ini"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> host.readFile(latin1))
                .isInstanceOf(HostException.class).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void replaceFileKeepsOwnerGroupModeAndWritesBackup(@TempDir Path dir) throws Exception {
        assumeTrue(Unprivileged.isRoot(), "changing owners needs root");
        Unprivileged.makeReadable(dir);
        Path file = Files.writeString(dir.resolve("pgbouncer.ini"), "old content\n");
        Unprivileged.giveTo(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        host.replaceFile(file, "new content\n");

        assertThat(Files.readString(file)).isEqualTo("new content\n");
        Path bak = dir.resolve("pgbouncer.ini.bak");
        assertThat(Files.readString(bak)).isEqualTo("old content\n");
        for (Path p : List.of(file, bak)) {
            PosixFileAttributes attrs = Files.readAttributes(p, PosixFileAttributes.class);
            assertThat(attrs.owner().getName()).isEqualTo(Unprivileged.USER);
            assertThat(attrs.group().getName()).isEqualTo(Unprivileged.USER);
            assertThat(PosixFilePermissions.toString(attrs.permissions())).isEqualTo("rw-r-----");
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("pgbouncer.ini", "pgbouncer.ini.bak");
        }
        // The service user can still read it: the point of keeping owner and mode.
        assertThat(Unprivileged.run(Unprivileged.argv("cat", file.toString()), dir, 30)).isEqualTo("new content\n");
    }

    @Test
    void replaceFileThroughASymlinkReplacesTheTarget(@TempDir Path dir) throws Exception {
        Path real = Files.writeString(dir.resolve("real.ini"), "v1\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.ini"), real);
        host.replaceFile(link, "v2\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("v2\n");
        assertThat(Files.readString(dir.resolve("real.ini.bak"))).isEqualTo("v1\n");
    }

    @Test
    void replaceFileCreatesAMissingFileReadableByOthers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("new.ini");
        host.replaceFile(file, "x\n");
        assertThat(Files.readString(file)).isEqualTo("x\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(dir.resolve("new.ini.bak")).doesNotExist();
    }

    @Test
    void replaceFileInAMissingDirectoryFailsWithoutLeavingAnything(@TempDir Path dir) {
        assertThatThrownBy(() -> host.replaceFile(dir.resolve("nope/x.ini"), "x"))
                .isInstanceOf(HostException.class).hasMessageContaining("Cannot replace");
    }
}
