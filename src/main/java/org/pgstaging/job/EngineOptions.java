package org.pgstaging.job;

import java.nio.file.Path;
import java.util.Optional;

/** Options a face passes to the engine: dry run ({@code -n}) and a tmpdir override ({@code -t}). */
public record EngineOptions(boolean dryRun, Optional<Path> tmpdir) {
    public static EngineOptions defaults() {
        return new EngineOptions(false, Optional.empty());
    }
}
