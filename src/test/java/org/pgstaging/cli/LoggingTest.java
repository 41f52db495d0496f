package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** WARN by default (logback.xml), INFO with -v, DEBUG with --debug, and only for pgstaging's own loggers. */
class LoggingTest {
    @TempDir Path dir;

    // levels are global to the JVM: other tests (the console's verbose) may have raised them
    @BeforeEach
    @AfterEach
    void reset() {
        Logging.verbose(false, false);
    }

    @Test
    void levelsFollowTheOptions() {
        Logger own = (Logger) LoggerFactory.getLogger("org.pgstaging.restore.Something");
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger http = (Logger) LoggerFactory.getLogger("org.apache.hc.client5.http.headers");
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(own.getEffectiveLevel()).isEqualTo(Level.WARN);

        CliHarness cli = new CliHarness(dir);
        cli.run("-v", "version");
        assertThat(own.getEffectiveLevel()).isEqualTo(Level.INFO);
        cli.run("--debug", "version");
        assertThat(own.getEffectiveLevel()).isEqualTo(Level.DEBUG);
        // third-party loggers may print credentials at DEBUG: they stay at WARN
        assertThat(http.getEffectiveLevel()).isEqualTo(Level.WARN);
        cli.run("version");
        assertThat(own.getEffectiveLevel()).isEqualTo(Level.WARN);
    }
}
