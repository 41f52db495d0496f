package org.pgstaging.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The interactive console: {@code pgstaging> } prompt, history in ~/.pgstaging_history, tab
 * completion. An error prints and the console goes on; Ctrl-C interrupts the running command
 * (which cleans up) or clears the line being typed; quit, exit or Ctrl-D leave.
 */
final class Console {
    static final String PROMPT = "pgstaging> ";

    private final Session session;
    private final LineRunner runner;
    private final Terminal terminal;
    private final Path historyFile;
    private final Worker worker = new Worker();

    Console(Session session, LineRunner runner, Terminal terminal, Path historyFile) {
        this.session = session;
        this.runner = runner;
        this.terminal = terminal;
        this.historyFile = historyFile;
    }

    static Path defaultHistory() {
        return Path.of(System.getProperty("user.home"), ".pgstaging_history");
    }

    int run() {
        session.mode(Session.Mode.CONSOLE);
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("pgstaging")
                .completer(new ConsoleCompleter(runner.commandLine(),
                        () -> ConsoleCompleter.quietly(session::sectionNames),
                        () -> ConsoleCompleter.optionNames(session)))
                .variable(LineReader.HISTORY_FILE, historyFile)
                .build();
        // Ctrl-C while a command runs: interrupt it (the engine cleans up), keep the console
        terminal.handle(Terminal.Signal.INT, signal -> {
            session.markInterrupted();
            worker.interrupt();
        });
        greet();
        while (!session.quitRequested()) {
            String line;
            session.awaitingLine();
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            if (!session.lineArrived()) break;
            session.clearInterrupted();
            worker.run("pgstaging-command", () -> runner.run(line, null));
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            session.output().warning("cannot save the history to " + historyFile + ": " + e.getMessage());
        }
        return ExitCodes.OK;
    }

    private void greet() {
        Output out = session.output();
        out.info("pgstaging " + VersionInfo.version() + " console; 'help' lists the commands, 'quit' leaves.");
        try {
            int n = session.sectionNames().size();
            out.info("configuration: " + session.configPath() + " (" + n + (n == 1 ? " section)" : " sections)"));
        } catch (RuntimeException e) {
            // the console still works (help, config FILE): report and go on
            Errors.report(session, e, null);
        }
    }
}
