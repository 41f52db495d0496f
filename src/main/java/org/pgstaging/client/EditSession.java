package org.pgstaging.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.pgstaging.PgStagingException;
import org.pgstaging.host.ClientProtocol;
import org.pgstaging.host.LocalHost;
import org.pgstaging.pgbouncer.PgbouncerEntry;
import org.pgstaging.pgbouncer.PgbouncerIni;

/**
 * The server side of a pgbouncer.ini change: holds the file's lock (the same one pgstaging takes
 * on its own machine) while the console reads the file, replaces it and checks that pgbouncer took
 * it, so no other pgstaging edits it meanwhile. A replacement may only change the database entries
 * of {@code [databases]}: every other line must stay as it is, and the entries must parse.
 */
final class EditSession {
    private final LocalHost local;
    private final Path file;
    private final InputStream in;
    private final OutputStream out;

    EditSession(LocalHost local, Path file, InputStream in, OutputStream out) {
        this.local = local;
        this.file = file;
        this.in = in;
        this.out = out;
    }

    /** Serves the console until it says done or goes away; the lock is released either way. */
    void run() {
        local.withFileLock(file, () -> {
            try {
                ClientProtocol.writeFrame(out, ClientProtocol.FRAME_LOCKED, new byte[0]);
                serve();
            } catch (IOException e) {
                // the console went away: nothing half-done here, every replacement is atomic
            }
            return null;
        });
    }

    private void serve() throws IOException {
        while (true) {
            ClientProtocol.Frame f = ClientProtocol.readFrame(in);
            if (f == null || f.word().equals(ClientProtocol.FRAME_DONE)) return;
            try {
                switch (f.word()) {
                    case ClientProtocol.FRAME_READ -> ClientProtocol.writeFrame(out, ClientProtocol.FRAME_CONTENT, local.readFile(file));
                    case ClientProtocol.FRAME_REPLACE -> {
                        String content = f.text();
                        checkOnlyDatabasesChange(local.readFile(file), content);
                        local.replaceFile(file, content);
                        ClientProtocol.writeFrame(out, ClientProtocol.FRAME_REPLACED, new byte[0]);
                    }
                    default -> {
                        ClientProtocol.writeFrame(out, ClientProtocol.FRAME_ERROR,
                                ClientProtocol.errorPayload("unknown request '" + ClientArguments.printable(f.word()) + "'", null));
                        return;
                    }
                }
            } catch (PgStagingException e) {
                ClientProtocol.writeFrame(out, ClientProtocol.FRAME_ERROR, ClientProtocol.errorPayload(e.getMessage(), e.hint()));
            } catch (UncheckedIOException e) {
                ClientProtocol.writeFrame(out, ClientProtocol.FRAME_ERROR, ClientProtocol.errorPayload(e.getMessage(), null));
            }
        }
    }

    /** The new text must parse as pgbouncer reads it and differ from the current one only in [databases] entries. */
    static void checkOnlyDatabasesChange(String current, String proposed) {
        PgbouncerIni before = PgbouncerIni.parse(current);
        PgbouncerIni after;
        try {
            after = PgbouncerIni.parse(proposed);
        } catch (PgStagingException e) {
            throw new PgStagingException("refusing the new pgbouncer.ini: " + e.getMessage(), e.hint());
        }
        List<String> kept = before.linesOutsideDatabases();
        List<String> proposedKept = after.linesOutsideDatabases();
        if (!kept.equals(proposedKept)) {
            String first = firstDifference(kept, proposedKept);
            throw new PgStagingException("refusing the new pgbouncer.ini: it changes more than the [databases] entries ("
                    + first + ")", "pgstaging only adds, changes and removes database entries; edit other settings by hand");
        }
        after.databases().forEach((name, connstr) -> PgbouncerEntry.parse(connstr));
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) return "'" + shown(a.get(i)) + "' would become '" + shown(b.get(i)) + "'";
        }
        return a.size() > b.size() ? "'" + shown(a.get(b.size())) + "' would go"
                : "'" + shown(b.get(a.size())) + "' would be added";
    }

    /** A line of the file in a message: passwords masked, control characters replaced. */
    private static String shown(String line) {
        return ClientArguments.printable(PgbouncerEntry.redact(line));
    }
}
