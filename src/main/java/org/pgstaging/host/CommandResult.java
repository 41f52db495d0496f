package org.pgstaging.host;

import java.time.Duration;
import java.util.List;

/** Outcome of a {@link Command}: exit code, the last lines of standard error (bounded), and how long it took. */
public record CommandResult(int exitCode, List<String> stderrTail, Duration elapsed) {
    public boolean ok() { return exitCode == 0; }
}
