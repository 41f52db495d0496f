package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script fed through a pipe that stays open (a supervisor, a FIFO) and waits for its next line
 * when SIGTERM comes: the process ends at once, since nothing runs that needs cleaning up. It used
 * to wait the whole 30 s cleanup grace on a read no interrupt ends, then say cleanup did not finish.
 */
class ScriptStopTest {
    @TempDir Path dir;

    @Test
    void sigtermWhileAScriptWaitsForItsNextLineEndsTheProcessAtOnce() throws Exception {
        Path ini = dir.resolve("pgstaging.ini");
        Files.writeString(ini, "[foodb.dev]\nhost = 127.0.0.1\ndbname = foodb\nbackup_host = backups.example.org\n"
                + "backup_base_url = /nightly/\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Duser.home=" + dir, "org.pgstaging.cli.Main", "-c", ini.toString()))
                .redirectError(dir.resolve("err.txt").toFile()).start();
        try {
            OutputStream in = p.getOutputStream();
            in.write("version\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the first line ran").isNotBlank();
            // now it reads the pipe, which stays open
            Thread.sleep(500);
            assertThat(p.isAlive()).as("still waiting for a line").isTrue();
            long t0 = System.nanoTime();
            // kill(1), not Process.destroy(): that also closes the pipe, and the script would end on its end of file
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start().waitFor()).isZero();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("ended within 10 s of SIGTERM").isTrue();
            assertThat((System.nanoTime() - t0) / 1e9).as("seconds to end").isLessThan(10.0);
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isEqualTo(143);
            assertThat(Files.readString(dir.resolve("err.txt"))).doesNotContain("cleanup did not finish");
        } finally {
            p.destroyForcibly();
        }
    }
}
