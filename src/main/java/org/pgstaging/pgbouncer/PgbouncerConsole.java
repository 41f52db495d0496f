package org.pgstaging.pgbouncer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.pgstaging.host.Command;
import org.pgstaging.host.CommandResult;
import org.pgstaging.host.CommandRunner;

/**
 * pgbouncer's admin console (database {@code pgbouncer}, users listed in {@code admin_users}).
 *
 * <p>It is driven with {@code psql --csv}, one session per command, not JDBC: pgjdbc 42.7.5 and later sends
 * {@code SET extra_float_digits} after login to any server reporting a version below 12, the console reports
 * its own version (1.18) and answers "SET failed", so a JDBC connection to it cannot be opened at all
 * (pgbouncer issue #1509, fixed only in much later pgbouncer versions). psql needs no such statement and is
 * installed wherever pg_restore is. The password, if any, goes through PGPASSWORD, never argv.
 */
public final class PgbouncerConsole {
    private static final Pattern SHOW_WHAT = Pattern.compile("[A-Za-z_]+");

    private final CommandRunner runner;
    private final Path psql;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    /**
     * @param runner   where psql runs (normally the local machine)
     * @param psql     the psql program, e.g. {@code /usr/lib/postgresql/15/bin/psql} or just {@code psql}
     * @param password null when the console needs none (trust, peer, or a ~/.pgpass entry)
     */
    public PgbouncerConsole(CommandRunner runner, Path psql, String host, int port, String user, String password) {
        if (port < 1 || port > 65535) {
            throw new PgbouncerException("Invalid pgbouncer port " + port, "set pgbouncer_port to a port between 1 and 65535");
        }
        this.runner = runner;
        this.psql = psql;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** host:port, for messages. */
    public String address() {
        return host + ":" + port;
    }

    public String version() {
        List<Map<String, String>> rows = query("SHOW VERSION");
        if (rows.isEmpty()) {
            throw new PgbouncerException("pgbouncer at " + address() + " answered SHOW VERSION with no row",
                    "check that " + address() + " is a pgbouncer admin console");
        }
        return rows.get(0).values().iterator().next();
    }

    public List<DatabaseRow> showDatabases() {
        return query("SHOW DATABASES").stream().map(DatabaseRow::of).toList();
    }

    public List<ClientRow> showClients() {
        return query("SHOW CLIENTS").stream().map(ClientRow::of).toList();
    }

    /** Any {@code SHOW} list (POOLS, STATS, SERVERS...), rows as column name to text. */
    public List<Map<String, String>> show(String what) {
        if (!SHOW_WHAT.matcher(what).matches()) {
            throw new PgbouncerException("Invalid pgbouncer SHOW subject '" + what + "'",
                    "use one word such as POOLS, STATS, SERVERS or CLIENTS");
        }
        return query("SHOW " + what);
    }

    /**
     * Makes pgbouncer re-read its configuration file. Beware: pgbouncer 1.18 answers RELOAD with success even
     * when it rejects the file (it logs the error and keeps the previous settings), so callers that changed
     * the file must check the result with {@link #showDatabases()}, as {@link Pgbouncer} does.
     */
    public void reload() {
        execute("RELOAD");
    }

    /**
     * RELOAD, then SHOW DATABASES in the same console session: pgbouncer re-reads its file while it
     * handles RELOAD, so the rows are those of the configuration now running. One psql run instead
     * of two on every pgbouncer change.
     */
    public List<DatabaseRow> reloadAndShowDatabases() {
        return query(List.of("RELOAD", "SHOW DATABASES")).stream().map(DatabaseRow::of).toList();
    }

    /** Waits until every server connection of {@code db} is released, then holds new queries until {@link #resume}. */
    public void pause(String db) {
        execute("PAUSE " + quoteName(db));
    }

    public void resume(String db) {
        execute("RESUME " + quoteName(db));
    }

    /** Drops every client and server connection of {@code db}; on 1.18 the database then stays paused until {@link #resume}. */
    public void kill(String db) {
        execute("KILL " + quoteName(db));
    }

    /**
     * The console's parser takes a double-quoted identifier ({@code ""} for a quote) for names with characters
     * other than letters, digits and '_', and keeps the case either way (checked against pgbouncer 1.18:
     * {@code PAUSE dash-name} is a syntax error, {@code PAUSE "dash-name"} works, {@code "UpperCase"} stays upper).
     */
    static String quoteName(String db) {
        if (db == null || db.isEmpty() || db.codePoints().anyMatch(Character::isISOControl)) {
            throw new PgbouncerException("Invalid pgbouncer database name '" + db + "'",
                    "give a non-empty name without control characters");
        }
        return "\"" + db.replace("\"", "\"\"") + "\"";
    }

    private void execute(String command) {
        query(command);
    }

    private List<Map<String, String>> query(String command) {
        return query(List.of(command));
    }

    /** Runs {@code commands} in one session, in order; the rows are those of the last one that returns any. */
    private List<Map<String, String>> query(List<String> commands) {
        String command = String.join("; ", commands);
        List<String> argv = new java.util.ArrayList<>(List.of(psql.toString(), "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1",
                "-h", host, "-p", Integer.toString(port), "-U", user, "-d", "pgbouncer"));
        for (String c : commands) {
            argv.add("-c");
            argv.add(c);
        }
        Map<String, String> env = new HashMap<>();
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "pgstaging");
        // A PGOPTIONS inherited from the environment would make pgbouncer refuse the login ("unsupported startup parameter").
        env.put("PGOPTIONS", "");
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        StringBuilder out = new StringBuilder();
        CommandResult result = runner.run(Command.of(argv).withEnv(env)
                .withOutput(line -> out.append(line).append('\n'), line -> { }));
        if (result.exitCode() == 2) {
            throw new PgbouncerException("Cannot reach the pgbouncer console at " + address() + " as " + user
                    + ": " + String.join(" ", result.stderrTail()).strip(),
                    "check that pgbouncer runs and listens on " + address() + ", that '" + user
                            + "' is in its admin_users and that the password (if any) is right");
        }
        if (!result.ok()) {
            throw new PgbouncerException("pgbouncer at " + address() + " refused '" + command + "': "
                    + String.join(" ", result.stderrTail()).strip(),
                    "see pgbouncer's log on that host for details");
        }
        return CsvRows.parse(out.toString());
    }
}
