package org.pgstaging.client;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.BackupSource;
import org.pgstaging.backup.BackupSources;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.backup.HttpBackupSource;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.config.Section;
import org.pgstaging.config.SessionSettings;
import org.pgstaging.host.LocalHost;
import org.pgstaging.postgres.ClusterAdmin;
import org.pgstaging.postgres.DatedDatabase;
import org.pgstaging.postgres.PostgresServerAddress;
import org.pgstaging.postgres.PostgresTools;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreFailedException;
import org.pgstaging.restore.RestorePipeline;
import org.pgstaging.restore.StagingTarget;
import org.pgstaging.restore.TargetProtocol;
import org.pgstaging.restore.TargetRestoreRequest;

/**
 * {@code pgstaging-client restore}: a restore next to the data for a console. Reads the request
 * on standard input, fetches the dump from the backup server itself and runs the pipeline without
 * pgbouncer's step, writing every event as a JSON line; then the outcome. The console keeps it
 * alive with a line every few seconds: when it cancels, goes silent or its input closes (the SSH
 * connection is gone), the restore stops and cleans up what it made.
 */
final class TargetRestoreCommand {
    /** Options that make sense only on the console, or that the request replaces. */
    private static final Set<String> CONSOLE_ONLY = Set.of("ssh_host", "ssh_user", "ssh_port", "ssh_identity", "ssh_key",
            "ssh_known_hosts", "ssh_config", "client_path", "restore_on", "sql_path", "use_sudo", "pgbouncer_conf",
            "approval");
    /** pg_restore reports an item per line: a console wants a few progress lines a second, not thousands. */
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final LocalHost local;
    private final RunRecords runs;
    private final InputStream in;
    private final OutputStream out;
    private final long silenceNanos;

    TargetRestoreCommand(LocalHost local, RunRecords runs, InputStream in, OutputStream out, Duration consoleSilence) {
        this.local = local;
        this.runs = runs;
        this.in = in;
        this.out = out;
        this.silenceNanos = consoleSilence.toNanos();
    }

    /** Runs the restore the request asks for; returns the exit status (0 done, 1 failed). */
    int run() throws IOException {
        String first = readLine(in, TargetRestoreRequest.MAX_BYTES);
        if (first == null) throw new PgStagingException("no restore request on standard input", null);
        TargetRestoreRequest request = TargetRestoreRequest.fromJson(first);
        Section section = section(request);
        String database = DatedDatabase.name(section.dbname(), request.date());
        if (!database.equals(request.database())) {
            throw new PgStagingException("the request names database " + request.database() + " but "
                    + section.dbname() + " on " + request.date() + " is " + database, null);
        }
        BackupSource source = BackupSources.forSection(section);
        if (!(source instanceof HttpBackupSource)) {
            throw new ClientUsageException("refusing backup_base_url '" + section.backupBaseUrl() + "' for a restore on this server",
                    "a restore on the database server fetches dumps over http(s) only: set backup_host or an http(s):// URL,"
                            + " or restore_on = console");
        }
        Path sqlDir = writeSql(section, request);
        if (sqlDir != null) section = section.with("sql_path", sqlDir.toString());
        PostgresServerAddress pg = new PostgresServerAddress(section.host(), section.postgresPort(), section.dbuser(),
                request.password());
        StagingTarget target = new StagingTarget(section, local, pg, new ClusterAdmin(pg, section.maintdb()), null,
                source, PostgresTools.of(section));
        EventLines lines = new EventLines(out);
        try (RunRecords.Held held = runs.start(database, section.dbname(), section.name(), consoleAddress())) {
            Object outcome = restore(target, source, request.date(), database, lines);
            held.close();
            lines.write(outcome instanceof TargetProtocol.Done d ? TargetProtocol.encode(d)
                    : TargetProtocol.encode((TargetProtocol.Error) outcome));
            return outcome instanceof TargetProtocol.Done ? 0 : 1;
        } finally {
            if (sqlDir != null) deleteTree(sqlDir);
        }
    }

    /** The pipeline on a worker thread, stopped by an interrupt when the console cancels or goes away. */
    private Object restore(StagingTarget target, BackupSource source, LocalDate date, String database, EventLines lines) {
        AtomicReference<Object> result = new AtomicReference<>();
        RestorePipeline pipeline = RestorePipeline.withoutPgbouncer(target, lines::event);
        Thread worker = new Thread(() -> {
            try {
                SessionSettings settings = pipeline.checkServers();
                BackupFile backup = BackupSources.resolve(source, target.section().dbname(), DateSpec.of(date), date);
                RestorePipeline.Outcome o = pipeline.run(RestorePipeline.Plan.fromBackup(database, backup,
                        target.section().removeDump()), settings);
                result.set(new TargetProtocol.Done(database, o.download(), o.restore(), o.vacuum(), o.total()));
            } catch (RestoreFailedException e) {
                result.set(new TargetProtocol.Error(e.step(), message(e), e.hint(), e.cleanup()));
            } catch (PgStagingException e) {
                result.set(new TargetProtocol.Error(null, e.getMessage(), e.hint(), "nothing was done"));
            } catch (RuntimeException e) {
                result.set(new TargetProtocol.Error(null, e.toString(), null, "nothing was done"));
            }
        }, "pgstaging-target-restore");
        Thread console = new Thread(() -> listen(worker), "pgstaging-console-listener");
        console.setDaemon(true);
        worker.start();
        console.start();
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                worker.interrupt();
            }
        }
        return result.get();
    }

    private static String message(RestoreFailedException e) {
        // the console prefixes the step itself, as the pipeline's exception does
        String m = e.getMessage();
        String prefix = e.step().label() + " failed: ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    /**
     * Reads the console's lines: a ping keeps the restore going, cancel or the end of input (the
     * SSH session closed) stop it, and so does silence longer than the console's ping interval allows.
     */
    private void listen(Thread worker) {
        AtomicLong lastHeard = new AtomicLong(System.nanoTime());
        Thread watchdog = new Thread(() -> {
            while (worker.isAlive()) {
                if (System.nanoTime() - lastHeard.get() > silenceNanos) {
                    worker.interrupt();
                    return;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pgstaging-console-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            String line;
            while ((line = readLine(in, 1024)) != null) {
                lastHeard.set(System.nanoTime());
                if (line.equals(TargetProtocol.CANCEL)) break;
            }
        } catch (IOException e) {
            // the connection is gone: same as end of input
        }
        worker.interrupt();
    }

    /** The request's options, minus what only the console uses, validated as pgstaging.ini's would be. */
    private static Section section(TargetRestoreRequest request) {
        Map<String, String> options = new LinkedHashMap<>();
        request.options().forEach((k, v) -> {
            if (!CONSOLE_ONLY.contains(k)) options.put(k, v);
        });
        options.put("restore_on", "console");
        return ConfigLoader.section(request.section(), options);
    }

    /** The console's SQL files, in a private directory of tmpdir laid out as sql_path/{pre,post}. */
    private static Path writeSql(Section section, TargetRestoreRequest request) throws IOException {
        if (request.pre().isEmpty() && request.post().isEmpty()) return null;
        Files.createDirectories(section.tmpdir());
        Path dir = Files.createTempDirectory(section.tmpdir(), ".pgstaging-sql-");
        for (var phase : Map.of("pre", request.pre(), "post", request.post()).entrySet()) {
            Path d = Files.createDirectories(dir.resolve(phase.getKey()));
            for (TargetRestoreRequest.SqlFile f : phase.getValue()) {
                Files.writeString(d.resolve(f.name()), f.text(), StandardCharsets.UTF_8);
            }
        }
        return dir;
    }

    private static void deleteTree(Path dir) {
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover directory of SQL files in tmpdir is harmless
        }
    }

    /** Where the SSH session comes from, for the run record: "client-address port" as sshd says. */
    private static String consoleAddress() {
        String c = System.getenv("SSH_CLIENT");
        return c == null ? "unknown" : c.split(" ")[0];
    }

    /** A line of at most {@code max} bytes, or null at end of input. */
    static String readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            if (line.size() >= max) throw new PgStagingException("a line of more than " + max + " bytes on standard input", null);
            line.write(c);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Events to the console, one JSON line each, progress thinned out; a console gone is not the restore's failure. */
    private static final class EventLines {
        private final OutputStream out;
        private long lastProgress;
        private boolean consoleGone;

        EventLines(OutputStream out) {
            this.out = out;
        }

        synchronized void event(RestoreEvent e) {
            if (e instanceof RestoreEvent.StepProgress p && p.done() != p.total()) {
                long now = System.nanoTime();
                if (now - lastProgress < PROGRESS_EVERY_NANOS) return;
                lastProgress = now;
            }
            write(TargetProtocol.encode(e));
        }

        synchronized void write(String json) {
            if (consoleGone) return;
            try {
                out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                consoleGone = true;
            }
        }
    }
}
