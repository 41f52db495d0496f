package org.pgstaging.host;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Outcome of a {@link Command}: exit code, the last lines of standard error (bounded), how long it
 * took, and, for a command fed from a stream, why that stream failed (null when it did not): a
 * process that exits 0 after reading a cut-short input has not done its job.
 */
public record CommandResult(int exitCode, List<String> stderrTail, Duration elapsed, IOException stdinFailure) {
    public CommandResult(int exitCode, List<String> stderrTail, Duration elapsed) {
        this(exitCode, stderrTail, elapsed, null);
    }

    public boolean ok() { return exitCode == 0 && stdinFailure == null; }
}
