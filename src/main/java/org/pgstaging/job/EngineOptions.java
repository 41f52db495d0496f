package org.pgstaging.job;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TEMPORARY PLACEHOLDER from the cli branch so the command line compiles; the lead's real
 * {@code EngineOptions} replaces this file at merge.
 */
public record EngineOptions(boolean dryRun, Optional<Path> tmpdir) {
}
