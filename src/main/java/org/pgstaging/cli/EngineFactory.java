package org.pgstaging.cli;

import org.pgstaging.config.StagingConfig;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.StagingOperations;
import org.pgstaging.restore.RestoreListener;

/** Builds the engine for a configuration; {@code Main.engines()} in production. */
@FunctionalInterface
public interface EngineFactory {
    StagingOperations create(StagingConfig config, EngineOptions options, RestoreListener listener);
}
