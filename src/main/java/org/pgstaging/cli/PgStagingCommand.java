package org.pgstaging.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code pgstaging [options] COMMAND [ARGS]}: the global options (accepted before or after the
 * command) and, when no command is given, the console or script mode.
 */
@Command(name = "pgstaging", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Keeps development and pre-production PostgreSQL databases fresh from production backups."
                + " Without COMMAND: interactive console when standard input is a terminal, otherwise"
                + " (or with -) one command per line from standard input.",
        footer = {"", "DATE: YYYY-MM-DD, YYYYMMDD, today, latest or oldest.",
                "Exit codes: 0 ok, 1 operation failed, 2 usage error, 3 configuration error, 4 server busy (--no-wait),"
                        + " 130 interrupted.",
                "See pgstaging(1) and pgstaging.ini(5)."})
final class PgStagingCommand implements Callable<Integer> {
    private final Session session;
    private final Cli cli;
    private boolean verbose;
    private boolean quiet;
    private String tmpdir;

    PgStagingCommand(Session session, Cli cli) {
        this.session = session;
        this.cli = cli;
    }

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Configuration file (default: $PGSTAGING_CONFIG, else /etc/pgstaging/pgstaging.ini).")
    void config(String file) { session.configOption(file); }

    @Option(names = {"-n", "--dry-run"}, scope = ScopeType.INHERIT,
            description = "Show what would be done, change nothing.")
    void dryRun(boolean v) { session.dryRun(v); }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Also show the commands the engine runs.")
    void verbose(boolean v) { verbose = v; }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Print only essential results.")
    void quiet(boolean v) { quiet = v; }

    @Option(names = {"-t", "--tmpdir"}, paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Where dumps are downloaded (overrides tmpdir of the configuration).")
    void tmpdir(String dir) { tmpdir = dir; }

    @Option(names = "--no-wait", scope = ScopeType.INHERIT,
            description = "Fail at once (exit status 4) when the database server is busy with another change,"
                    + " instead of waiting its turn.")
    void noWait(boolean v) { session.noWait(v); }

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Results as JSON (one document per command).")
    void json(boolean v) { session.output().json(v); }

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    void debug(boolean v) { session.output().debug(v); }

    @Option(names = "--keep-going", scope = ScopeType.INHERIT,
            description = "Script mode: go on after a failing line (the exit code is still the first failure's).")
    void keepGoing(boolean v) { session.keepGoing(v); }

    @Parameters(arity = "0..*", paramLabel = "-", hidden = true, description = "Read commands from standard input.")
    List<String> rest;

    /** Checks and applies the options once parsed, before any command runs. */
    void apply() {
        if (verbose && quiet) {
            throw new UsageException("-v and -q contradict each other", "use one of them");
        }
        if (tmpdir != null) {
            Path dir = Path.of(tmpdir);
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new UsageException("--tmpdir " + tmpdir + " is not a writable directory",
                        "create it first, or pick another directory");
            }
            session.tmpdir(dir);
        }
        session.output().verbose(verbose);
        session.output().quiet(quiet);
        Logging.verbose(verbose, session.output().debug());
    }

    @Override
    public Integer call() {
        if (rest == null || rest.isEmpty()) return cli.interactiveOrScript();
        if (rest.equals(List.of("-"))) return cli.script();
        throw Errors.unknownCommand(rest.get(0));
    }
}
