package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.pgstaging.restore.RestoreEvent.Completed;
import org.pgstaging.restore.RestoreEvent.Detail;
import org.pgstaging.restore.RestoreEvent.Failed;
import org.pgstaging.restore.RestoreEvent.StepFinished;
import org.pgstaging.restore.RestoreEvent.StepProgress;
import org.pgstaging.restore.RestoreEvent.StepStarted;
import org.pgstaging.restore.Step;

/** Progress rendering: in place on a terminal, plain lines elsewhere, nothing with -q. */
class ProgressPrinterTest {
    static final String DB = "foodb_20261124";
    static final long TOTAL = 2_899_102_924L;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Output output = new Output(new PrintWriter(out), new PrintWriter(err));
    final AtomicLong clock = new AtomicLong();
    final AtomicBoolean details = new AtomicBoolean();

    ProgressPrinter printer(boolean terminal) {
        return new ProgressPrinter(output, terminal, details::get, clock::get);
    }

    @Test
    void downloadLineHasBarPercentSizesRateAndEta() {
        String line = ProgressPrinter.progressLine(
                new StepProgress(DB, Step.DOWNLOAD, 1_288_490_189L, TOTAL, "bytes", 40_000_000));
        assertThat(line).isEqualTo(
                "downloading  [###########-------------]  44%  1.2 GB / 2.7 GB  38.1 MB/s  ETA 0:41");
    }

    @Test
    void restoreLineCountsItems() {
        assertThat(ProgressPrinter.progressLine(new StepProgress(DB, Step.PG_RESTORE, 120, 480, "items", 3)))
                .isEqualTo("restoring    [######------------------]  25%  120/480 items");
        assertThat(ProgressPrinter.progressLine(new StepProgress(DB, Step.DOWNLOAD, 1536, -1, "bytes", 0)))
                .isEqualTo("downloading   1.5 kB");
    }

    @Test
    void plainLinesWhenNotATerminal() {
        ProgressPrinter p = printer(false);
        p.on(new StepStarted(DB, Step.DOWNLOAD, "foodb.2026-11-24.dump"));
        p.on(new StepProgress(DB, Step.DOWNLOAD, 100, TOTAL, "bytes", 10));
        p.on(new StepFinished(DB, Step.DOWNLOAD, Duration.ofMillis(72_000), "2.7 GB"));
        p.on(new Detail(DB, Step.PG_RESTORE, "pg_restore -L list ..."));
        p.on(new Completed(DB, Duration.ofSeconds(80), true));
        assertThat(out.toString()).isEqualTo("downloading foodb.2026-11-24.dump ... 1m12s (2.7 GB)\n")
                .doesNotContain("\r");
    }

    @Test
    void notATerminalOpenLineIsEndedByAnyOtherLine() {
        ProgressPrinter p = printer(false);
        details.set(true);
        p.on(new StepStarted(DB, Step.CREATE_DATABASE, "foodb_20261124"));
        p.on(new StepFinished(DB, Step.CREATE_DATABASE, Duration.ofMillis(300), "foodb_20261124"));
        p.on(new StepStarted(DB, Step.PG_RESTORE, "480 items"));
        p.on(new Detail(DB, Step.PG_RESTORE, "pg_restore -L list ..."));
        p.on(new StepFinished(DB, Step.PG_RESTORE, Duration.ofSeconds(5), "480 items"));
        p.on(new StepStarted(DB, Step.VACUUM, null));
        p.on(new Failed(DB, Step.VACUUM, "vacuum failed", null, null));
        assertThat(out.toString()).isEqualTo("creating database foodb_20261124 ... 0.3s\n"
                + "restoring 480 items ...\n"
                + "  pg_restore -L list ...\n"
                + "restoring                5.0s  480 items\n"
                + "vacuum analyze ...\n"
                + "vacuum analyze failed\n");
    }

    @Test
    void inPlaceBarOnATerminalThrottledAndClearedByStepLines() {
        ProgressPrinter p = printer(true);
        p.on(new StepStarted(DB, Step.DOWNLOAD, null));
        p.on(new StepProgress(DB, Step.DOWNLOAD, TOTAL / 4, TOTAL, "bytes", 40_000_000));
        clock.addAndGet(10_000_000);  // 10 ms later: not redrawn
        p.on(new StepProgress(DB, Step.DOWNLOAD, TOTAL / 3, TOTAL, "bytes", 40_000_000));
        clock.addAndGet(200_000_000);
        p.on(new StepProgress(DB, Step.DOWNLOAD, TOTAL / 2, TOTAL, "bytes", 40_000_000));
        p.on(new StepFinished(DB, Step.DOWNLOAD, Duration.ofSeconds(70), null));
        String s = out.toString();
        assertThat(s).startsWith("\rdownloading ...");
        assertThat(s).contains("\rdownloading  [######------------------]  25%");
        assertThat(s).doesNotContain(" 33%");
        assertThat(s).contains("\rdownloading  [############------------]  50%");
        // the finished line starts after the bar was blanked out
        assertThat(s).containsPattern("\r +\rdownloading +1m10s\n$");
    }

    @Test
    void detailsOnlyWhenAsked() {
        ProgressPrinter p = printer(false);
        p.on(new Detail(DB, Step.CREATE_DATABASE, "would: CREATE DATABASE \"foodb_20261124\""));
        assertThat(out.toString()).isEmpty();
        details.set(true);
        p.on(new Detail(DB, Step.CREATE_DATABASE, "would: CREATE DATABASE \"foodb_20261124\""));
        assertThat(out.toString()).isEqualTo("  would: CREATE DATABASE \"foodb_20261124\"\n");
    }

    @Test
    void failureNamesTheStepAndTheCleanup() {
        printer(false).on(new Failed(DB, Step.PG_RESTORE, "pg_restore exited 1", "see the log",
                "dropped database foodb_20261124"));
        assertThat(out.toString()).isEqualTo("restoring failed; cleanup: dropped database foodb_20261124\n");
    }

    @Test
    void quietPrintsNothingAndJsonGoesToStderr() {
        output.quiet(true);
        ProgressPrinter p = printer(true);
        p.on(new StepStarted(DB, Step.VACUUM, null));
        p.on(new StepFinished(DB, Step.VACUUM, Duration.ofSeconds(3), null));
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEmpty();
        output.quiet(false);
        output.json(true);
        p.on(new StepStarted(DB, Step.VACUUM, null));
        p.on(new StepProgress(DB, Step.VACUUM, 1, 2, "items", 1));
        p.on(new StepFinished(DB, Step.VACUUM, Duration.ofSeconds(3), null));
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("vacuum analyze ... 3.0s\n");
    }
}
