package org.pgstaging.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Runs one console or script line: split like a shell, then dispatched to the same commands as
 * the command line (without the global options, which belong to the whole session).
 */
final class LineRunner {
    private final Session session;
    private final CommandLine commandLine;
    private volatile String where;

    /** Root of line parsing: only subcommands, no global options. */
    @Command(name = "pgstaging")
    static final class LineRoot implements Runnable {
        @Override
        public void run() {
            // unreachable: empty lines are skipped before parsing
        }
    }

    LineRunner(Session session) {
        this.session = session;
        SessionFactory factory = new SessionFactory(session);
        this.commandLine = new CommandLine(new LineRoot(), factory);
        CommandRegistry.register(commandLine, factory);
        Errors.install(commandLine, session, () -> where);
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
}
