package org.pgstaging.cli;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.pgstaging.PgStagingException;
import org.pgstaging.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into {@code pgstaging: error: ...} + {@code hint: ...} on stderr and an
 * exit code: 1 engine failure, 2 usage, 3 configuration, 130 interrupted.
 */
final class Errors {
    private Errors() {}

    /** Installs the handlers on a command line; {@code where} locates errors (a script line), may give null. */
    static void install(CommandLine cl, Session session, Supplier<String> where) {
        cl.setOut(session.output().out());
        cl.setErr(session.output().err());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> report(session, ex, where.get()));
        cl.setParameterExceptionHandler((ex, args) -> usage(session, ex, where.get()));
    }

    static int report(Session session, Throwable ex, String where) {
        Output out = session.output();
        boolean knewItWasInterrupted = causedByInterrupt(ex);
        if (session.interrupted() || knewItWasInterrupted) {
            // Ctrl-C also reaches the psql or pg_restore we run (same process group): the engine may
            // then see a plain failure, whose hint ("fix the SQL file") would mislead
            String hint = knewItWasInterrupted && ex instanceof PgStagingException p ? p.hint()
                    : "cancelled by Ctrl-C, which the running command received too; run it again when needed";
            out.error(where, "interrupted" + (ex.getMessage() == null ? "" : " (" + ex.getMessage() + ")"), hint, ex);
            return ExitCodes.INTERRUPTED;
        }
        if (ex instanceof PgStagingException p) {
            out.error(where, p.getMessage(), p.hint(), ex);
            if (p instanceof UsageException) return ExitCodes.USAGE;
            if (p instanceof org.pgstaging.postgres.ServerBusyException) return ExitCodes.BUSY;
            return p instanceof ConfigException ? ExitCodes.CONFIG : ExitCodes.FAILED;
        }
        out.error(where, "unexpected " + ex.getClass().getSimpleName()
                        + (ex.getMessage() == null ? "" : ": " + ex.getMessage()),
                out.debug() ? "this is a bug in pgstaging; please report it with the trace above"
                        : "run again with --debug for the stack trace", ex);
        return ExitCodes.FAILED;
    }

    static int usage(Session session, ParameterException ex, String where) {
        CommandLine cl = ex.getCommandLine();
        boolean atRoot = cl.getCommandSpec().parent() == null;
        if (ex instanceof UnmatchedArgumentException u && atRoot && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return report(session, unknownCommand(u.getUnmatched().get(0)), where);
        }
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            // picocli counts the global options in its index: name the words instead
            message = "unexpected argument" + (u.getUnmatched().size() > 1 ? "s " : " ")
                    + String.join(" ", u.getUnmatched().stream().map(w -> "'" + w + "'").toList());
        }
        if (message != null && !message.isEmpty()) {
            message = message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
        }
        String hint;
        if (atRoot) {
            hint = HelpCommands.USAGE.substring("Usage: ".length()) + " ('pgstaging help' lists the commands)";
        } else {
            hint = "usage: " + CommandRegistry.synopsis(cl.getCommandSpec());
            if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                hint = "did you mean " + String.join(" or ", u.getSuggestions()) + "? " + hint;
            }
        }
        String prefix = atRoot ? "" : cl.getCommandSpec().name() + ": ";
        return report(session, new UsageException(prefix + message, hint), where);
    }

    static UsageException unknownCommand(String word) {
        List<String> names = CommandRegistry.names();
        String near = Suggestions.didYouMean(word, names);
        return new UsageException("unknown command '" + word + "'",
                near == null ? "'pgstaging help' lists the commands" : near + " ('pgstaging help' lists the commands)");
    }

    private static boolean causedByInterrupt(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            // a socket timeout is an InterruptedIOException too, but nobody pressed Ctrl-C
            boolean timeout = t instanceof java.net.SocketTimeoutException;
            if (t instanceof InterruptedException || (t instanceof InterruptedIOException && !timeout)
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }
}
