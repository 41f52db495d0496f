package org.pgstaging.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.config.ConfigWarning;
import org.pgstaging.config.Section;
import org.pgstaging.config.StagingConfig;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.StagingOperations;

/**
 * What lives across the commands of one run (a single command, a console or a script): the
 * global options, the configuration (loaded on first use, replaceable with {@code config FILE},
 * overridable with {@code set}) and the engine built from it.
 */
public final class Session {
    /** How commands arrive; some commands only make sense in a session that outlives them. */
    public enum Mode { ONE_SHOT, CONSOLE, SCRIPT }

    private final EngineFactory engines;
    private final Output output;
    private final ProgressPrinter progress;
    private Mode mode = Mode.ONE_SHOT;
    private String configOption;
    private Path configPath;
    private StagingConfig config;
    private StagingOperations ops;
    private EngineOptions opsOptions;
    private volatile boolean dryRun;
    private volatile boolean noWait;
    private Path tmpdir;
    private boolean keepGoing;
    private volatile boolean quitRequested;
    private volatile boolean interrupted;

    Session(EngineFactory engines, Output output, boolean terminal) {
        this.engines = engines;
        this.output = output;
        this.progress = new ProgressPrinter(output, terminal, () -> output.verbose() || dryRun);
    }

    public Output output() { return output; }
    public ProgressPrinter progress() { return progress; }
    public Mode mode() { return mode; }
    void mode(Mode m) { mode = m; }

    void configOption(String file) { configOption = file; }
    void dryRun(boolean v) { dryRun = v; }
    boolean dryRun() { return dryRun; }
    void noWait(boolean v) { noWait = v; }
    boolean noWait() { return noWait; }
    void tmpdir(Path dir) { tmpdir = dir; }
    void keepGoing(boolean v) { keepGoing = v; }
    boolean keepGoing() { return keepGoing; }

    boolean quitRequested() { return quitRequested; }
    void requestQuit() { quitRequested = true; }

    /** The console or script waits for its next line (guarded by this). */
    private boolean awaitingLine;

    /** The console or script is about to wait for its next line: nothing runs until it comes. */
    synchronized void awaitingLine() { awaitingLine = true; }

    /** A line came; false when the process is stopping, and then no command may start. */
    synchronized boolean lineArrived() {
        awaitingLine = false;
        return !quitRequested;
    }

    /**
     * For the shutdown hook (SIGTERM, SIGINT): true when the session only waits for its next line,
     * so the process may end at once (nothing to clean up); no command starts after that.
     */
    synchronized boolean stopIfIdle() {
        if (!awaitingLine) return false;
        quitRequested = true;
        return true;
    }

    /** Set by whoever interrupts the worker (Ctrl-C), so the failure it causes reports as 130. */
    void markInterrupted() { interrupted = true; }
    boolean interrupted() { return interrupted; }
    void clearInterrupted() { interrupted = false; }

    /** The file in use: -c, else $PGSTAGING_CONFIG, else /etc/pgstaging/pgstaging.ini. */
    public Path configPath() {
        if (configPath == null) configPath = ConfigLoader.resolvePath(configOption);
        return configPath;
    }

    public StagingConfig config() {
        if (config == null) {
            StagingConfig loaded = ConfigLoader.load(configPath());
            warn(loaded);
            config = loaded;
        }
        return config;
    }

    /** Replaces the configuration with another file; the old one stays if the new one fails to load. */
    void loadConfig(Path file) {
        StagingConfig loaded = ConfigLoader.load(file);
        warn(loaded);
        config = loaded;
        configPath = file;
        ops = null;
    }

    /** Session-only change of one option ({@code set}); the engine is rebuilt on next use. */
    void override(String section, String option, String value) {
        config = config().withOverride(section, option, value);
        ops = null;
    }

    public List<String> sectionNames() {
        return config().sections().stream().map(Section::name).toList();
    }

    public Optional<Section> findSection(String name) {
        return config().sections().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public StagingOperations ops() {
        EngineOptions wanted = new EngineOptions(dryRun, Optional.ofNullable(tmpdir)).withNoWait(noWait);
        // a console line with -n needs a dry-run engine; the next line gets the normal one back
        if (ops == null || !wanted.equals(opsOptions)) {
            ops = engines.create(config(), wanted, progress);
            opsOptions = wanted;
        }
        return ops;
    }

    private void warn(StagingConfig loaded) {
        for (ConfigWarning w : loaded.warnings()) output.warning(w.message());
    }
}
