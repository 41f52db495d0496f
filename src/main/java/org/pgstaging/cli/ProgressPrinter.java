package org.pgstaging.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreEvent.Completed;
import org.pgstaging.restore.RestoreEvent.Detail;
import org.pgstaging.restore.RestoreEvent.Failed;
import org.pgstaging.restore.RestoreEvent.StepFinished;
import org.pgstaging.restore.RestoreEvent.StepProgress;
import org.pgstaging.restore.RestoreEvent.StepStarted;
import org.pgstaging.restore.RestoreListener;

/**
 * Draws restore progress. On a terminal: one status line redrawn in place with {@code \r}
 * (download bytes, %, rate, ETA; pg_restore items done/total) and one line per finished step.
 * Otherwise (pipes, logs, --json): one plain line per step, "label detail ..." written when it
 * starts (so a log shows what is running) and completed with the time when it finishes. Quick and
 * synchronized, since the engine may report from several threads.
 */
public final class ProgressPrinter implements RestoreListener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final Output output;
    private final boolean terminal;
    private final BooleanSupplier showDetails;
    private final LongSupplier clock;
    private int shownLength;
    private long lastDraw;
    private boolean progressShown;
    /** Not a terminal: a step's "label detail ..." line awaits its time; its detail, "" when none. */
    private String openDetail;

    /**
     * @param terminal    stdout is an interactive terminal (in-place bar allowed)
     * @param showDetails whether Detail events are printed (-v, or a dry run's "would: ..." lines)
     */
    public ProgressPrinter(Output output, boolean terminal, BooleanSupplier showDetails) {
        this(output, terminal, showDetails, System::nanoTime);
    }

    ProgressPrinter(Output output, boolean terminal, BooleanSupplier showDetails, LongSupplier clock) {
        this.output = output;
        this.terminal = terminal;
        this.showDetails = showDetails;
        this.clock = clock;
    }

    @Override
    public synchronized void on(RestoreEvent event) {
        if (output.quiet()) return;
        if (event instanceof StepStarted s) {
            progressShown = false;
            if (inPlace()) {
                draw(s.step().label() + (blank(s.detail()) ? "" : " " + s.detail()) + " ...");
            } else {
                line(null);
                PrintWriter w = target();
                w.print(s.step().label() + (blank(s.detail()) ? " ..." : " " + s.detail() + " ..."));
                w.flush();
                openDetail = blank(s.detail()) ? "" : s.detail();
            }
        } else if (event instanceof StepProgress p) {
            if (inPlace()) progress(p);
        } else if (event instanceof StepFinished f) {
            if (openDetail != null) {
                // finishing the step whose start line is still open: complete it
                boolean sameDetail = blank(f.detail()) || f.detail().equals(openDetail);
                openDetail = null;
                PrintWriter w = target();
                w.println(" " + Human.duration(f.elapsed()) + (sameDetail ? "" : " (" + f.detail() + ")"));
                w.flush();
                return;
            }
            line(String.format(Locale.ROOT, "%-20s %8s%s", f.step().label(), Human.duration(f.elapsed()),
                    blank(f.detail()) ? "" : "  " + f.detail()));
        } else if (event instanceof Detail d) {
            if (showDetails.getAsBoolean()) line("  " + d.line());
        } else if (event instanceof Failed f) {
            line(f.step().label() + " failed" + (blank(f.cleanup()) ? "" : "; cleanup: " + f.cleanup()));
        } else if (event instanceof Completed c) {
            clear();
            line(null);
        }
    }

    private boolean inPlace() {
        return terminal && !output.json();
    }

    private void progress(StepProgress p) {
        long now = clock.getAsLong();
        boolean finished = p.total() >= 0 && p.done() >= p.total();
        // redraw at most ten times a second, but always the first and the last state
        if (!finished && progressShown && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        progressShown = true;
        draw(progressLine(p));
    }

    /** The status line for a progress event; package-private for tests. */
    static String progressLine(StepProgress p) {
        boolean bytes = "bytes".equals(p.unit());
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s", p.step().label()));
        if (p.total() > 0) {
            double ratio = Math.min(1.0, (double) p.done() / p.total());
            int filled = (int) Math.round(ratio * BAR_WIDTH);
            sb.append(" [").append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append(']');
            sb.append(String.format(Locale.ROOT, " %3d%%", (int) Math.floor(ratio * 100)));
        }
        if (bytes) {
            sb.append("  ").append(Human.size(p.done()));
            if (p.total() > 0) sb.append(" / ").append(Human.size(p.total()));
            if (p.ratePerSecond() > 0) {
                sb.append("  ").append(Human.rate(p.ratePerSecond()));
                if (p.total() > 0 && p.done() < p.total()) {
                    long eta = (long) Math.ceil((p.total() - p.done()) / p.ratePerSecond());
                    sb.append("  ETA ").append(Human.clock(eta));
                }
            }
        } else {
            sb.append("  ").append(p.done());
            if (p.total() >= 0) sb.append('/').append(p.total());
            sb.append(' ').append(p.unit() == null ? "" : p.unit());
        }
        return sb.toString().stripTrailing();
    }

    /** Redraws the in-place line, padding over what the previous one left behind. */
    private void draw(String text) {
        PrintWriter w = output.out();
        int pad = Math.max(0, shownLength - text.length());
        w.print("\r" + text + " ".repeat(pad));
        w.flush();
        shownLength = text.length();
    }

    private void clear() {
        if (shownLength == 0) return;
        PrintWriter w = output.out();
        w.print("\r" + " ".repeat(shownLength) + "\r");
        w.flush();
        shownLength = 0;
    }

    /** Prints a whole line (none when null), after ending whatever line is open. */
    private void line(String text) {
        clear();
        PrintWriter w = target();
        if (openDetail != null) {
            w.println();
            openDetail = null;
        }
        if (text != null) w.println(text);
        w.flush();
    }

    private PrintWriter target() {
        // with --json, stdout carries only the JSON document: progress goes to stderr
        return output.json() ? output.err() : output.out();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
