package org.pgstaging.restore;

import java.time.Duration;

/**
 * What the engine tells its faces while it works. The engine never prints: the console draws
 * progress bars from these, the Slack bot edits its message, the job store keeps timings.
 */
public sealed interface RestoreEvent {
    /** Target database, e.g. {@code foodb_20261124}. */
    String database();

    record StepStarted(String database, Step step, String detail) implements RestoreEvent { }

    /** {@code total} is -1 when unknown; {@code unit} is "bytes" or "items". */
    record StepProgress(String database, Step step, long done, long total, String unit,
                        double ratePerSecond) implements RestoreEvent { }

    record StepFinished(String database, Step step, Duration elapsed, String detail) implements RestoreEvent { }

    /** A detail line: a command run, a SQL file sourced, a line of pg_restore's stderr. */
    record Detail(String database, Step step, String line) implements RestoreEvent { }

    record Failed(String database, Step step, String message, String hint, String cleanup) implements RestoreEvent { }

    record Completed(String database, Duration elapsed, boolean switched) implements RestoreEvent { }
}
