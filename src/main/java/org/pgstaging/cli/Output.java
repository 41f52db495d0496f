package org.pgstaging.cli;

import org.pgstaging.TextTable;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import java.io.PrintWriter;

/**
 * Where results, messages and errors go, and in which form: human text (tables) or one
 * compact JSON document per command for scripts. Errors always go to stderr.
 */
public final class Output {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private final PrintWriter out;
    private final PrintWriter err;
    private volatile boolean json;
    private volatile boolean quiet;
    private volatile boolean verbose;
    private volatile boolean debug;

    public Output(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public PrintWriter out() { return out; }
    public PrintWriter err() { return err; }

    public boolean json() { return json; }
    public boolean quiet() { return quiet; }
    public boolean verbose() { return verbose; }
    public boolean debug() { return debug; }

    void json(boolean v) { json = v; }
    void quiet(boolean v) { quiet = v; }
    void verbose(boolean v) { verbose = v; }
    void debug(boolean v) { debug = v; }

    /** An essential result line: printed even with -q. */
    void result(String line) {
        out.println(line);
        out.flush();
    }

    /** A courtesy line (what was done, totals in prose): dropped with -q. */
    void info(String line) {
        if (!quiet) {
            out.println(line);
            out.flush();
        }
    }

    void table(TextTable table) {
        for (String line : table.lines(!quiet)) out.println(line);
        out.flush();
    }

    void emitJson(JsonElement element) {
        out.println(GSON.toJson(element));
        out.flush();
    }

    void warning(String message) {
        if (!quiet) {
            err.println("pgstaging: warning: " + message);
            err.flush();
        }
    }

    /** {@code pgstaging: error: <where: >message} and {@code hint: ...} on stderr. */
    void error(String where, String message, String hint, Throwable trace) {
        err.println("pgstaging: error: " + (where == null ? "" : where + ": ") + message);
        if (hint != null && !hint.isBlank()) err.println("hint: " + hint);
        if (trace != null && debug) trace.printStackTrace(err);
        err.flush();
    }
}
