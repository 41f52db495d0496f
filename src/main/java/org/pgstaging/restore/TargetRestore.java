package org.pgstaging.restore;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.pgstaging.PgStagingException;
import org.pgstaging.config.Section;
import org.pgstaging.host.ClientProtocol;
import org.pgstaging.host.ClientSession;
import org.pgstaging.host.HostException;
import org.pgstaging.host.SshHost;

/**
 * A restore next to the data ({@code restore_on = target}): pgstaging-client on the database server
 * fetches the dump from the backup server and runs {@link RestorePipeline#withoutPgbouncer} there,
 * so the dump crosses the network once. This side checks what it can first (pgbouncer usable, the
 * copy absent), sends the request, relays every event to its listener, keeps the client alive (a
 * ping every {@link TargetProtocol#PING_SECONDS} s), cancels it on interrupt, and changes pgbouncer
 * itself once the copy is complete. Whatever fails, the alias is never switched and the half-made
 * database is dropped, by the client, by this side, or by the next pgstaging to use the section.
 */
public final class TargetRestore {
    /** How long a cancelled restore may take to clean up on the server before the session is cut. */
    private static final long CANCEL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Object END = new Object();

    private final StagingTarget target;
    private final SshHost host;
    private final RestoreListener listener;

    public TargetRestore(StagingTarget target, SshHost host, RestoreListener listener) {
        this.target = target;
        this.host = host;
        this.listener = listener;
    }

    /** What {@link #run} would do, for dry runs. */
    public List<String> describe(RestorePipeline.Plan plan) {
        List<String> lines = new ArrayList<>();
        lines.add("on " + host.name() + ", pgstaging-client fetches " + plan.backup().location() + " and restores it there:");
        RestorePipeline.withoutPgbouncer(target, RestoreListener.NONE).describe(plan).forEach(l -> lines.add("  " + l));
        lines.add("then, here: " + RestorePipeline.pgbouncerLine(target.section(), plan.database()));
        return lines;
    }

    /** The checks this side can make before anything changes: the server answers, pgbouncer is usable, the copy is absent. */
    public void check(RestorePipeline.Plan plan) {
        host.verify();
        target.pgbouncer().checkUsable();
        if (target.admin().exists(plan.database())) {
            throw new PgStagingException("database " + plan.database() + " already exists on " + target.postgres(),
                    "drop it first (pgstaging drop " + target.section().name() + " "
                            + plan.database().substring(plan.database().length() - 8) + ") or restore another date");
        }
    }

    public RestorePipeline.Outcome run(RestorePipeline.Plan plan) {
        Section s = target.section();
        String db = plan.database();
        EventEmitter events = new EventEmitter(db, listener);
        long started = System.nanoTime();
        check(plan);
        TargetRestoreRequest request = new TargetRestoreRequest(s.name(), s.values(), plan.backup().date(), db,
                sqlFiles(true), sqlFiles(false), target.postgres().password());
        Object last;
        try (ClientSession session = host.open(List.of(ClientProtocol.RESTORE), false, "restoring " + db)) {
            last = converse(session, request, events);
        }
        if (last instanceof TargetProtocol.Error e) {
            Step step = e.step() == null ? Step.CREATE_DATABASE : e.step();
            throw new RestoreFailedException(step, e.message(), e.hint(), e.cleanup(), null);
        }
        TargetProtocol.Done done = (TargetProtocol.Done) last;
        boolean switched = switchPgbouncer(db, events);
        Duration total = Duration.ofNanos(System.nanoTime() - started);
        events.emit(new RestoreEvent.Completed(db, total, switched));
        return new RestorePipeline.Outcome(db, switched, done.download(), done.restore(), done.vacuum(), total);
    }

    /** pgbouncer learns of the copy now that it is complete, as in a restore from this machine. */
    private boolean switchPgbouncer(String db, EventEmitter events) {
        Section s = target.section();
        Step step = s.autoSwitch() ? Step.SWITCH : Step.PGBOUNCER_ADD;
        try {
            if (s.autoSwitch()) {
                events.step(Step.SWITCH, s.dbname() + " -> " + db, () ->
                        target.pgbouncer().pointAlias(s.dbname(), db, target.pgbouncerEntryFor(db)));
                return true;
            }
            events.step(Step.PGBOUNCER_ADD, db, () -> target.pgbouncer().addDatabase(db, target.pgbouncerEntryFor(db)));
            return false;
        } catch (RuntimeException e) {
            String undone = dropHere(db, null);
            String hint = e instanceof PgStagingException p ? p.hint() : null;
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            events.emit(new RestoreEvent.Failed(db, step, message, hint, undone));
            throw new RestoreFailedException(step, message, hint, undone, e);
        }
    }

    /**
     * Sends the request, then relays the client's lines until its outcome. The lines are read on a
     * thread of their own so that this one can ping, and hear an interrupt (then the client is
     * asked to cancel and given time to clean up).
     */
    private Object converse(ClientSession session, TargetRestoreRequest request, EventEmitter events) {
        String db = request.database();
        OutputStream to = session.stdin();
        BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(session.stdout(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    try {
                        lines.add(TargetProtocol.decode(line));
                    } catch (IllegalArgumentException notOurs) {
                        lines.add(new RestoreEvent.Detail(db, null, line));
                    }
                }
            } catch (IOException ended) {
                // the session is gone: END says so
            }
            lines.add(END);
        }, "pgstaging-target-lines");
        reader.setDaemon(true);
        reader.start();
        send(to, request.toJson());
        boolean cancelled = false;
        long cancelDeadline = 0;
        Step current = Step.CREATE_DATABASE;
        KeepAlive keepAlive = new KeepAlive(TimeUnit.SECONDS.toNanos(TargetProtocol.PING_SECONDS), System.nanoTime());
        while (true) {
            Object item;
            try {
                item = lines.poll(keepAlive.waitNanos(System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (!cancelled) {
                    cancelled = true;
                    cancelDeadline = System.nanoTime() + CANCEL_GRACE_NANOS;
                    events.detail(current, "cancelling the restore on " + host.name());
                    send(to, TargetProtocol.CANCEL);
                }
                continue;
            }
            if (cancelled && item == null && System.nanoTime() > cancelDeadline) {
                session.close();   // END follows
            } else if (!cancelled && keepAlive.due(System.nanoTime())) {
                send(to, TargetProtocol.PING);
            }
            if (item == null) continue;
            if (item == END) {
                if (cancelled) Thread.currentThread().interrupt();
                return lost(session, db, current, events, cancelled);
            }
            if (item instanceof RestoreEvent e) {
                if (e instanceof RestoreEvent.StepStarted st) current = st.step();
                // Completed is this side's to say, once pgbouncer has the copy
                if (!(e instanceof RestoreEvent.Completed)) events.emit(e);
                continue;
            }
            try {
                to.close();
                session.waitFor(10);
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) cancelled = true;
            }
            if (cancelled) Thread.currentThread().interrupt();
            return item;
        }
    }

    /** The session ended without an outcome: the connection broke or the client died. */
    private TargetProtocol.Error lost(ClientSession session, String db, Step step, EventEmitter events, boolean cancelled) {
        HostException why = session.failure();
        String undone = dropHere(db, "pgstaging-client on " + host.name()
                + " drops it when it notices the console is gone (within " + TargetProtocol.CONSOLE_SILENCE_SECONDS
                + " s), or the next pgstaging to use [" + target.section().name() + "] does");
        String message = (cancelled ? "cancelled; " : "") + "the restore on " + host.name() + " stopped without a result: "
                + why.getMessage();
        events.emit(new RestoreEvent.Failed(db, step, message, why.hint(), undone));
        return new TargetProtocol.Error(step, message, why.hint(), undone);
    }

    /** Drops the half-made copy from here (JDBC), unless keep_failed; says what happened. */
    private String dropHere(String db, String otherwise) {
        if (target.section().keepFailed()) return "kept database " + db + " for inspection (keep_failed = True)";
        try {
            return target.admin().dropDatabase(db) ? "dropped database " + db : "database " + db + " was already gone";
        } catch (RuntimeException e) {
            return "CLEANUP INCOMPLETE: could not drop " + db + " (" + e.getMessage() + ")"
                    + (otherwise == null ? "" : "; " + otherwise);
        }
    }

    private static void send(OutputStream to, String line) {
        try {
            to.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            to.flush();
        } catch (IOException gone) {
            // the session ended: its reader sees the end and says why
        }
    }

    private List<TargetRestoreRequest.SqlFile> sqlFiles(boolean pre) {
        List<TargetRestoreRequest.SqlFile> files = new ArrayList<>();
        for (Path f : SqlScripts.files(target, pre)) {
            try {
                files.add(new TargetRestoreRequest.SqlFile(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new PgStagingException("cannot read " + f + ": " + e.getMessage(), "check sql_path and its files' permissions");
            }
        }
        return files;
    }

    // ---- restores that died on the server ---------------------------------------------------

    /**
     * Looks for restores of this section's copies that died on the server without cleaning up (the
     * client killed, the server rebooted): drops each one's half-made database, unless pgbouncer
     * serves it, and forgets it; reports the ones still running, and returns their databases. Says
     * what it found through the listener.
     */
    public List<String> settleLeftovers(boolean dryRun) {
        String dbname = target.section().dbname();
        List<String> running = new ArrayList<>();
        for (JsonObject run : runs(dbname, null)) {
            String db = run.get("database").getAsString();
            String what = "a restore of " + db + " on " + host.name() + " (pid " + run.get("pid").getAsLong() + ", started "
                    + run.get("started").getAsString() + " from " + run.get("console").getAsString() + ")";
            EventEmitter events = new EventEmitter(db, listener);
            if (run.get("running").getAsBoolean()) {
                events.step(Step.CLEANUP, what + " is still running there", () -> { });
                running.add(db);
                continue;
            }
            events.step(Step.CLEANUP, what + " died before it finished", () -> {
                boolean served = target.pgbouncer().entries().containsKey(db)
                        || target.pgbouncer().entry(dbname).map(e -> e.databaseFor(dbname).equals(db)).orElse(false);
                if (served) {
                    events.detail(Step.CLEANUP, "pgbouncer serves " + db + ": left as is");
                } else if (dryRun) {
                    events.detail(Step.CLEANUP, "would: drop database " + db + " if it exists");
                    return;
                } else {
                    events.detail(Step.CLEANUP, dropHere(db, null));
                }
                runs(dbname, db);
            });
        }
        return running;
    }

    private List<JsonObject> runs(String dbname, String forget) {
        List<String> args = new ArrayList<>(List.of(ClientProtocol.RUNS, ClientProtocol.DBNAME, dbname));
        if (forget != null) args.addAll(List.of(ClientProtocol.FORGET, forget));
        try (ClientSession s = host.open(args, false, "looking for unfinished restores")) {
            s.stdin().close();
            String out = new String(s.stdout().readNBytes(1 << 20), StandardCharsets.UTF_8);
            int exit = s.waitFor();
            if (exit != 0) throw s.failure();
            List<JsonObject> runs = new ArrayList<>();
            for (String line : out.lines().filter(l -> !l.isBlank()).toList()) runs.add(JsonParser.parseString(line).getAsJsonObject());
            return runs;
        } catch (IOException e) {
            throw new HostException("The SSH connection to " + host.name() + " failed while looking for unfinished restores: "
                    + e.getMessage(), "retry", e);
        }
    }
}
