package org.pgstaging.cli;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Script mode: one command per line from standard input, {@code #} comments and blank lines
 * skipped. Stops at the first failure (unless --keep-going; never after Ctrl-C) and returns
 * the exit code of the first failure.
 */
final class ScriptRunner {
    private final Session session;
    private final LineRunner runner;

    ScriptRunner(Session session, LineRunner runner) {
        this.session = session;
        this.runner = runner;
    }

    int run(BufferedReader in) {
        session.mode(Session.Mode.SCRIPT);
        int first = ExitCodes.OK;
        int number = 0;
        try {
            while (!session.quitRequested()) {
                session.awaitingLine();
                String line = in.readLine();
                if (line == null || !session.lineArrived()) break;
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) continue;
                if (session.output().verbose()) {
                    session.output().err().println("+ " + text);
                    session.output().err().flush();
                }
                int code = runner.run(text, "line " + number);
                if (code == ExitCodes.OK) continue;
                if (first == ExitCodes.OK) first = code;
                if (!session.keepGoing() || code == ExitCodes.INTERRUPTED) break;
            }
        } catch (IOException e) {
            session.output().error(null, "cannot read commands from standard input: " + e.getMessage(), null, e);
            return first == ExitCodes.OK ? ExitCodes.FAILED : first;
        }
        return first;
    }
}
