package org.pgstaging.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.RunLast;

/**
 * One run of pgstaging: a single command, the console, or a script from standard input, with
 * its streams and engine factory given (so tests drive it without a process).
 */
public final class Cli {
    /** Builds the console's terminal; the system terminal in production. */
    @FunctionalInterface
    public interface TerminalFactory {
        Terminal open() throws IOException;
    }

    private final EngineFactory engines;
    private final InputStream in;
    private final Output output;
    private final BooleanSupplier stdinTerminal;
    private final boolean stdoutTerminal;
    private TerminalFactory terminals = () -> TerminalBuilder.builder().system(true).build();
    private Path historyFile = Console.defaultHistory();
    private volatile Session session;

    /**
     * @param stdinTerminal asked only when no command is given (console or script?), since
     *                      finding out may cost a native call or a subprocess
     */
    public Cli(EngineFactory engines, InputStream in, PrintWriter out, PrintWriter err,
               BooleanSupplier stdinTerminal, boolean stdoutTerminal) {
        this.engines = engines;
        this.in = in;
        this.output = new Output(out, err);
        this.stdinTerminal = stdinTerminal;
        this.stdoutTerminal = stdoutTerminal;
    }

    /** For tests: a terminal on given streams instead of the system one, and another history file. */
    Cli console(TerminalFactory terminals, Path historyFile) {
        this.terminals = terminals;
        this.historyFile = historyFile;
        return this;
    }

    /** Parses {@code args} and runs; returns the exit code (see {@link ExitCodes}). */
    public int run(String... args) {
        session = new Session(engines, output, stdoutTerminal);
        PgStagingCommand root = new PgStagingCommand(session, this);
        SessionFactory factory = new SessionFactory(session);
        CommandLine cl = new CommandLine(root, factory);
        CommandRegistry.registerFor(cl, factory, args);
        Errors.install(cl, session, () -> null);
        cl.setExecutionStrategy(parsed -> {
            try {
                root.apply();
            } catch (RuntimeException e) {
                return Errors.report(session, e, null);
            }
            return new RunLast().execute(parsed);
        });
        int code = cl.execute(args);
        output.out().flush();
        output.err().flush();
        return code;
    }

    /** For the shutdown hook: true when a console or script only waits for its next line (and then runs no more). */
    public boolean stopIfIdle() {
        Session s = session;
        return s != null && s.stopIfIdle();
    }

    /** Ctrl-C from outside (the shutdown hook): the failure it causes is reported as 130. */
    public void interrupted() {
        Session s = session;
        if (s != null) s.markInterrupted();
    }

    int interactiveOrScript() {
        return stdinTerminal.getAsBoolean() ? console() : script();
    }

    int script() {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        return new ScriptRunner(session, new LineRunner(session)).run(reader);
    }

    int console() {
        try (Terminal terminal = terminals.open()) {
            return new Console(session, new LineRunner(session), terminal, historyFile).run();
        } catch (IOException e) {
            output.error(null, "cannot open the terminal: " + e.getMessage(),
                    "give a command, or pipe commands in: pgstaging - < FILE", e);
            return ExitCodes.FAILED;
        }
    }
}
