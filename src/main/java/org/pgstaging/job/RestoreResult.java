package org.pgstaging.job;

import java.time.Duration;

/** A finished restore: what was created, whether the alias was switched, how long each part took. */
public record RestoreResult(String section, String database, boolean switched,
                            Duration download, Duration restore, Duration vacuum, Duration total) {
}
