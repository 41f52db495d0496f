package org.pgstaging.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.ScopeType;

/**
 * Runs one console or script line: split like a shell, then dispatched to the same commands as
 * the command line. The display options (-n, -v, -q, --json, --debug) may be given on a line and
 * last for that line only; -c, -t and --keep-going belong to the whole session.
 */
final class LineRunner {
    private final Session session;
    private final LineRoot root = new LineRoot();
    private final CommandLine commandLine;
    private volatile String where;

    /** Root of line parsing: the per-line options, then a command. */
    @Command(name = "pgstaging")
    static final class LineRoot implements Runnable {
        @Option(names = {"-n", "--dry-run"}, scope = ScopeType.INHERIT,
                description = "This line only: show what would be done, change nothing.")
        boolean dryRun;
        @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "This line only: verbose.")
        boolean verbose;
        @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "This line only: quiet.")
        boolean quiet;
        @Option(names = "--json", scope = ScopeType.INHERIT, description = "This line only: JSON result.")
        boolean json;
        @Option(names = "--no-wait", scope = ScopeType.INHERIT,
                description = "This line only: fail at once when the database server is busy.")
        boolean noWait;
        @Option(names = "--debug", scope = ScopeType.INHERIT, description = "This line only: stack traces.")
        boolean debug;

        @Override
        public void run() {
            // only options on the line, no command: nothing to do
        }
    }

    LineRunner(Session session) {
        this.session = session;
        SessionFactory factory = new SessionFactory(session);
        this.commandLine = new CommandLine(root, factory);
        CommandRegistry.register(commandLine, factory);
        Errors.install(commandLine, session, () -> where);
        commandLine.setExecutionStrategy(this::executeWithLineOptions);
    }

    CommandLine commandLine() { return commandLine; }

    /** Exit code of the line; 0 for blank and comment lines. {@code where} prefixes errors, may be null. */
    int run(String line, String where) {
        this.where = where;
        List<String> words;
        try {
            words = LineSplitter.split(line);
        } catch (UsageException e) {
            return Errors.report(session, e, where);
        }
        if (words.isEmpty()) return ExitCodes.OK;
        return commandLine.execute(words.toArray(String[]::new));
    }

    /** Applies the line's options, runs its command, then puts back only what the line changed. */
    private int executeWithLineOptions(CommandLine.ParseResult parsed) {
        Output out = session.output();
        if (root.verbose && root.quiet) {
            return Errors.report(session, new UsageException("-v and -q contradict each other", "use one of them"),
                    where);
        }
        boolean json = out.json();
        boolean quiet = out.quiet();
        boolean verbose = out.verbose();
        boolean debug = out.debug();
        boolean dryRun = session.dryRun();
        boolean noWait = session.noWait();
        try {
            if (root.json) out.json(true);
            if (root.quiet) {
                out.quiet(true);
                out.verbose(false);
            }
            if (root.verbose) {
                out.verbose(true);
                out.quiet(false);
            }
            if (root.debug) out.debug(true);
            if (root.dryRun) session.dryRun(true);
            if (root.noWait) session.noWait(true);
            return new RunLast().execute(parsed);
        } finally {
            if (root.json) out.json(json);
            if (root.quiet || root.verbose) {
                out.quiet(quiet);
                out.verbose(verbose);
            }
            if (root.debug) out.debug(debug);
            if (root.dryRun) session.dryRun(dryRun);
            if (root.noWait) session.noWait(noWait);
        }
    }
}
