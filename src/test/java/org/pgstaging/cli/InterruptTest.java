package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.PgStagingException;

/**
 * Ctrl-C as Main handles it: the shutdown hook marks the run interrupted and interrupts the
 * worker thread; the engine sees the interrupt, cleans up and fails; the exit code is 130.
 */
class InterruptTest {
    @TempDir Path dir;

    @Test
    void interruptReachesTheEngineAndExits130() throws Exception {
        CliHarness harness = new CliHarness(dir);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean cleanedUp = new AtomicBoolean();
        harness.ops.duringRestore = () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();  // a long pg_restore
            } catch (InterruptedException e) {
                cleanedUp.set(true);
                throw new PgStagingException("restore of foodb_20261124 interrupted; the database was dropped",
                        "run restore again", e);
            }
        };
        StringWriter err = new StringWriter();
        Cli cli = harness.cli(new StringWriter(), err);
        Worker worker = new Worker();
        AtomicInteger code = new AtomicInteger(-1);
        Thread main = new Thread(() -> code.set(worker.run("pgstaging-main",
                () -> cli.run("-c", harness.config.toString(), "restore", "foodb.dev"))));
        main.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        // what Main's shutdown hook does on SIGINT
        cli.interrupted();
        assertThat(worker.interruptAndWait(Duration.ofSeconds(30))).isTrue();
        main.join();
        assertThat(cleanedUp).isTrue();
        assertThat(code.get()).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(err.toString()).startsWith("pgstaging: error: interrupted (restore of foodb_20261124 interrupted;"
                + " the database was dropped)\nhint: run restore again\n");
    }

    @Test
    void interruptedThreadIsReportedEvenWhenTheEngineSaysNothingAboutIt() {
        CliHarness harness = new CliHarness(dir);
        harness.ops.failure = new PgStagingException("pg_restore exited with status 1", null,
                new java.io.InterruptedIOException("read interrupted"));
        CliHarness.Result r = harness.line("restore foodb.dev");
        assertThat(r.code()).isEqualTo(ExitCodes.INTERRUPTED);
        // a socket timeout is an InterruptedIOException too, but it is a plain failure
        harness.ops.failure = new PgStagingException("download stalled", "check the backup server",
                new java.net.SocketTimeoutException("Read timed out"));
        assertThat(harness.line("restore foodb.dev").code()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void failureOfAChildThatGotCtrlCIsReportedAsInterruptedWithoutItsMisleadingHint() throws Exception {
        CliHarness harness = new CliHarness(dir);
        StringWriter err = new StringWriter();
        Cli cli = harness.cli(new StringWriter(), err);
        // the terminal's SIGINT made psql exit 3 before the JVM's handler marked the session
        harness.ops.duringRestore = () -> {
            cli.interrupted();
            throw new PgStagingException("pre SQL failed: psql exited with 3: canceling statement",
                    "fix the SQL file (it runs with ON_ERROR_STOP)");
        };
        int code = cli.run("-c", harness.config.toString(), "restore", "foodb.dev");
        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(err.toString()).startsWith("pgstaging: error: interrupted (pre SQL failed:")
                .contains("hint: cancelled by Ctrl-C").doesNotContain("fix the SQL file");
    }

    @Test
    void workerWithoutTaskHasNothingToInterrupt() {
        Worker w = new Worker();
        assertThat(w.busy()).isFalse();
        assertThat(w.interruptAndWait(Duration.ofSeconds(1))).isTrue();
        assertThat(w.run("t", () -> 7)).isEqualTo(7);
        assertThat(new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).quiet())
                .isFalse();
    }
}
