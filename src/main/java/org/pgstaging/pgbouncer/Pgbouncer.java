package org.pgstaging.pgbouncer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.pgstaging.PgStagingException;
import org.pgstaging.host.CommandResult;
import org.pgstaging.host.Host;
import org.pgstaging.host.LockedFile;

/**
 * One pgbouncer as the engine sees it: its configuration file on a {@link Host} and its admin console.
 *
 * <p>Every change follows the same path: read the file, edit only the touched lines ({@link PgbouncerIni}),
 * check the new text reads back to exactly the intended entries, replace the file atomically (previous
 * content kept as {@code .bak}, owner and mode kept), RELOAD, then check with SHOW DATABASES that pgbouncer
 * really took it: pgbouncer 1.18 answers RELOAD with success even when it rejects the file. If the reload or
 * that check fails, the previous content is put back and reloaded, and the exception says so, so the file and
 * the running pgbouncer do not disagree and no broken pgbouncer.ini is left behind.
 *
 * <p>Each change holds {@link Host#withLockedFile} on the file from the read to the check, so two threads,
 * two sections sharing the file, or the bot and a console never lose each other's edits. On a remote
 * server the lock is held by pgstaging-client there for as long as the change lasts.
 */
public final class Pgbouncer {
    public static final String SERVICE_NAME = "pgbouncer";
    /** Bounds what {@link #service} keeps of systemctl's output. */
    private static final int MAX_SERVICE_OUTPUT_LINES = 200;

    private final Host host;
    private final Path configFile;
    private final PgbouncerConsole console;

    public Pgbouncer(Host host, Path configFile, PgbouncerConsole console) {
        this.host = Objects.requireNonNull(host, "host");
        this.configFile = Objects.requireNonNull(configFile, "configFile");
        this.console = Objects.requireNonNull(console, "console");
    }

    /** The machine pgbouncer runs on. */
    public Host host() {
        return host;
    }

    public Path configFile() {
        return configFile;
    }

    public PgbouncerConsole console() {
        return console;
    }

    /** The {@code [databases]} entries of the file (not of included files), in file order. */
    public Map<String, PgbouncerEntry> entries() {
        Map<String, PgbouncerEntry> result = new LinkedHashMap<>();
        read().databases().forEach((name, connstr) -> result.put(name, parseIn(name, connstr)));
        return Collections.unmodifiableMap(result);
    }

    public Optional<PgbouncerEntry> entry(String name) {
        return Optional.ofNullable(entries().get(name));
    }

    /** Adds {@code name = connstr}, or rewrites that line when {@code name} is already there; then reloads. */
    public synchronized void addDatabase(String name, String connstr) {
        PgbouncerEntry entry = PgbouncerEntry.parse(connstr);
        apply("add " + name, ini -> ini.withDatabase(name, entry.format()), Map.of(name, entry), Set.of());
    }

    /** Removes {@code name} and reloads. Returns false, changing nothing, when the file has no such entry. */
    public synchronized boolean removeDatabase(String name) {
        if (!read().databases().containsKey(name)) {
            return false;
        }
        apply("remove " + name, ini -> ini.withoutDatabase(name), Map.of(), Set.of(name));
        return true;
    }

    /**
     * Points {@code alias} at {@code targetDb} in one file change and one reload: the alias gets
     * {@code connstrForTarget}, and {@code targetDb} gets its own entry with the same connection string
     * when it has none (an existing one is left as it is).
     */
    public synchronized void pointAlias(String alias, String targetDb, String connstrForTarget) {
        PgbouncerEntry entry = PgbouncerEntry.parse(connstrForTarget);
        String dbname = entry.databaseFor(alias);
        if (!dbname.equals(targetDb)) {
            throw new PgbouncerException("The connection string for alias '" + alias + "' leads to database '"
                    + dbname + "', not to '" + targetDb + "'", "give it dbname=" + targetDb);
        }
        if (alias.equals(targetDb)) {
            throw new PgbouncerException("Alias '" + alias + "' cannot point at itself",
                    "point it at a dated database such as " + alias + "_YYYYMMDD");
        }
        boolean targetKnown = read().databases().containsKey(targetDb);
        Map<String, PgbouncerEntry> expected = new LinkedHashMap<>();
        expected.put(alias, entry);
        if (!targetKnown) {
            expected.put(targetDb, entry);
        }
        apply("point " + alias + " at " + targetDb, ini -> {
            PgbouncerIni edited = targetKnown ? ini : ini.withDatabase(targetDb, entry.format());
            return edited.withDatabase(alias, entry.format());
        }, expected, Set.of());
    }

    /**
     * Read-only check that a later change can go through: the file reads and parses, its directory
     * is writable, and the admin console answers. Throws with what to fix otherwise.
     */
    public void checkUsable() {
        read();
        host.checkReplaceable(configFile);
        console.showDatabases();
    }

    public List<DatabaseRow> showDatabases() {
        return console.showDatabases();
    }

    /** Clients connected to {@code db} (this console's own session excluded, as it is on database pgbouncer). */
    public List<ClientRow> clients(String db) {
        return console.showClients().stream().filter(c -> db.equals(c.database())).toList();
    }

    public void pause(String db) {
        console.pause(db);
    }

    public void resume(String db) {
        console.resume(db);
    }

    public void kill(String db) {
        console.kill(db);
    }

    /**
     * Runs {@code systemctl <action>} on pgbouncer's service of the host (with {@code sudo -n} when
     * configured: fail rather than wait for a password nobody will type). A failing
     * start/stop/restart/reload throws with systemctl's words; status returns whatever systemctl
     * answered, its exit code included.
     */
    public ServiceResult service(ServiceAction action) {
        List<String> argv = host.serviceCommand(action.verb());
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        java.util.function.Consumer<String> keep = line -> {
            if (output.size() < MAX_SERVICE_OUTPUT_LINES) {
                output.add(line);
            }
        };
        CommandResult result = host.service(action.verb(), keep);
        if (action != ServiceAction.STATUS && !result.ok()) {
            throw new PgbouncerException("'" + String.join(" ", argv) + "' failed on " + host.name() + " (exit "
                    + result.exitCode() + "): " + String.join(" ", result.stderrTail().isEmpty() ? output : result.stderrTail()).strip(),
                    "check the pgbouncer service there (journalctl -u " + SERVICE_NAME + ")"
                            + (argv.contains("sudo") ? " and that pgstaging's user may run it through sudo without a password" : ""));
        }
        return new ServiceResult(action, argv, result.exitCode(), List.copyOf(output));
    }

    // ---- the edit path ----------------------------------------------------------------------

    private PgbouncerIni read() {
        return PgbouncerIni.parse(host.readFile(configFile));
    }

    private PgbouncerEntry parseIn(String name, String connstr) {
        try {
            return PgbouncerEntry.parse(connstr);
        } catch (PgbouncerException e) {
            throw new PgbouncerException("Entry '" + name + "' of " + where() + " cannot be read: " + e.getMessage(),
                    e.hint(), e);
        }
    }

    private void apply(String what, UnaryOperator<PgbouncerIni> edit, Map<String, PgbouncerEntry> touched,
                       Set<String> removed) {
        // read, edit, write, RELOAD and check as one step against any other pgstaging editing this file
        host.withLockedFile(configFile, file -> {
            applyLocked(file, what, edit, touched, removed);
            return null;
        });
    }

    private void applyLocked(LockedFile file, String what, UnaryOperator<PgbouncerIni> edit,
                             Map<String, PgbouncerEntry> touched, Set<String> removed) {
        String before = file.read();
        PgbouncerIni ini = PgbouncerIni.parse(before);
        String after = edit.apply(ini).render();
        if (after.equals(before)) {
            return;
        }
        checkReadsBack(what, ini, after, touched, removed);
        file.replace(after);
        try {
            checkRunning(touched, removed, console.reloadAndShowDatabases());
        } catch (RuntimeException failure) {
            // Any failure (console refused, psql missing, thread interrupted) must not leave the new file behind.
            boolean interrupted = Thread.interrupted();
            try {
                throw rollBack(file, what, before, failure);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The text about to be written must parse to the old entries plus exactly the intended changes. */
    private void checkReadsBack(String what, PgbouncerIni ini, String after, Map<String, PgbouncerEntry> touched,
                                Set<String> removed) {
        Map<String, PgbouncerEntry> expected = new LinkedHashMap<>();
        ini.databases().forEach((name, connstr) -> expected.put(name, parseIn(name, connstr)));
        removed.forEach(expected::remove);
        expected.putAll(touched);
        Map<String, PgbouncerEntry> actual = new LinkedHashMap<>();
        PgbouncerIni.parse(after).databases().forEach((name, connstr) -> actual.put(name, parseIn(name, connstr)));
        if (!actual.equals(expected)) {
            throw new PgbouncerException("Refusing to " + what + " in " + where()
                    + ": the edited file would not read back as intended; nothing was changed",
                    "this is a pgstaging bug; please report it with the [databases] section of the file");
        }
    }

    /** pgbouncer 1.18 says RELOAD even when it rejects the file, so look at what it actually runs. */
    private void checkRunning(Map<String, PgbouncerEntry> touched, Set<String> removed, List<DatabaseRow> rows) {
        Map<String, DatabaseRow> running = new LinkedHashMap<>();
        for (DatabaseRow row : rows) {
            running.put(row.name(), row);
        }
        for (Map.Entry<String, PgbouncerEntry> e : touched.entrySet()) {
            DatabaseRow row = running.get(e.getKey());
            String wantDb = e.getValue().databaseFor(e.getKey());
            Integer wantPort = e.getValue().get("port").map(DatabaseRow::integer).orElse(null);
            if (row == null || !wantDb.equals(row.database())
                    || (wantPort != null && row.port() != null && !wantPort.equals(row.port()))) {
                throw new PgbouncerException("pgbouncer did not take the new configuration: after RELOAD, '"
                        + e.getKey() + "' " + (row == null ? "is unknown to it"
                        : "still leads to database '" + row.database() + "' port " + row.port()),
                        "pgbouncer rejected the file; its log says which line");
            }
        }
        for (String name : removed) {
            DatabaseRow row = running.get(name);
            // A removed database that still has connections lingers until they close: that is not a rejection.
            if (row != null && (row.currentConnections() == null || row.currentConnections() == 0)) {
                throw new PgbouncerException("pgbouncer did not take the new configuration: after RELOAD, '"
                        + name + "' is still served", "pgbouncer rejected the file; its log says which line");
            }
        }
    }

    /** Puts {@code before} back and reloads it, and says in the returned exception how far that got. */
    private PgbouncerException rollBack(LockedFile file, String what, String before, RuntimeException failure) {
        String hint = failure instanceof PgStagingException p ? p.hint() : null;
        String restored;
        try {
            file.replace(before);
            restored = "the previous " + configFile.getFileName() + " was put back (the rejected one is "
                    + configFile.getFileName() + ".bak)";
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return new PgbouncerException("Could not " + what + ": " + failure.getMessage()
                    + "; putting the previous file back ALSO failed (" + e.getMessage() + "): " + where()
                    + " holds the new content and pgbouncer may not run it",
                    "restore " + configFile + " from " + configFile + ".bak by hand, then RELOAD pgbouncer", failure);
        }
        try {
            console.reload();
            return new PgbouncerException("Could not " + what + ": " + failure.getMessage() + "; " + restored
                    + " and reloaded, so pgbouncer runs the previous configuration", hint, failure);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return new PgbouncerException("Could not " + what + ": " + failure.getMessage() + "; " + restored
                    + ", but reloading it failed too (" + e.getMessage() + ")",
                    "once pgbouncer's console answers, RELOAD it so it runs the file again", failure);
        }
    }

    private String where() {
        return configFile + " on " + host.name();
    }
}
