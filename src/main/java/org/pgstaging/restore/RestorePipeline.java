package org.pgstaging.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.config.Section;
import org.pgstaging.host.CommandResult;

/**
 * pg_staging's restore, step by step: create the dated database, add it to pgbouncer, fetch the
 * dump, filter its catalog, pre SQL, pg_restore, search_path, VACUUM ANALYZE, post SQL, switch,
 * remove the dump. On any failure nothing is switched, and what this run created is undone
 * (unless keep_failed), so the alias and pgbouncer.ini stay as they were.
 */
public final class RestorePipeline {
    private final StagingTarget target;
    private final RestoreListener listener;

    public RestorePipeline(StagingTarget target, RestoreListener listener) {
        this.target = target;
        this.listener = listener;
    }

    /** What a restore needs, validated before anything happens. */
    public record Plan(String database, BackupFile backup, Path localDump, boolean removeDumpAfter) {
        /** Restore from the listing: the dump is downloaded. */
        public static Plan fromBackup(String database, BackupFile backup, boolean removeDump) {
            return new Plan(database, backup, null, removeDump);
        }

        /** Restore from a file already on disk ({@code load}): never removed. */
        public static Plan fromFile(String database, Path dump) {
            return new Plan(database, null, dump, false);
        }
    }

    public record Outcome(String database, boolean switched, Duration download, Duration restore,
                          Duration vacuum, Duration total) { }

    /** Lines describing what {@link #run} would do, for dry runs. */
    public List<String> describe(Plan plan) {
        Section s = target.section();
        String db = plan.database();
        List<String> lines = new ArrayList<>();
        lines.add("create database " + db + " owner " + s.dbowner() + " encoding " + s.dbEncoding() + " on " + target.postgres());
        lines.add("add " + db + " to " + s.pgbouncerConf() + " and RELOAD pgbouncer on port " + s.pgbouncerPort());
        if (plan.backup() != null) lines.add("download " + plan.backup().location() + " to " + s.tmpdir());
        lines.add("filter the catalog (schemas=" + s.schemas() + ", schemas_nodata=" + s.schemasNodata()
                + ", tablename_nodata_regexp=" + s.tablenameNodataRegexp().map(Object::toString).orElse("") + ")");
        for (Path f : SqlScripts.files(target, true)) lines.add("psql -f " + f);
        lines.add(String.join(" ", new PgRestoreRunner(target, new EventEmitter(db, RestoreListener.NONE))
                .argv(db, plan.localDump() != null ? plan.localDump() : s.tmpdir().resolve(plan.backup().fileName()),
                        s.tmpdir().resolve(db + ".list"))));
        s.searchPath().ifPresent(p -> lines.add("ALTER DATABASE " + db + " SET search_path TO " + p));
        if (s.restoreVacuum()) lines.add("VACUUM ANALYZE " + db);
        for (Path f : SqlScripts.files(target, false)) lines.add("psql -f " + f);
        if (s.autoSwitch()) lines.add("switch pgbouncer alias " + s.dbname() + " to " + db);
        if (plan.removeDumpAfter()) lines.add("remove the dump");
        return lines;
    }

    /** The read-only checks a restore makes before touching anything; dry runs make them too. */
    public void preflight(Plan plan) {
        Section s = target.section();
        String db = plan.database();
        target.tools().checkPgRestore(s.name());
        if (!SqlScripts.files(target, true).isEmpty() || !SqlScripts.files(target, false).isEmpty()) {
            target.tools().checkPsql(s.name());
        }
        if (target.admin().exists(db)) {
            throw new PgStagingException("database " + db + " already exists on " + target.postgres(),
                    "drop it first (pgstaging drop " + s.name() + " " + db.substring(db.length() - 8)
                            + ") or restore another date");
        }
    }

    public Outcome run(Plan plan) {
        Section s = target.section();
        String db = plan.database();
        EventEmitter events = new EventEmitter(db, listener);
        long started = System.nanoTime();
        preflight(plan);

        Cleanup cleanup = new Cleanup(target, db, events);
        Step current = Step.CREATE_DATABASE;
        Path dump = plan.localDump();
        Duration download = Duration.ZERO;
        Duration restore;
        Duration vacuum = Duration.ZERO;
        boolean switched = false;
        try {
            events.step(Step.CREATE_DATABASE, db, () ->
                    target.admin().createDatabase(db, s.dbowner(), s.dbEncoding()));
            cleanup.createdDatabase();

            current = Step.PGBOUNCER_ADD;
            events.step(Step.PGBOUNCER_ADD, db, () ->
                    target.pgbouncer().addDatabase(db, target.pgbouncerEntryFor(db)));
            cleanup.addedPgbouncerEntry();

            if (plan.backup() != null) {
                current = Step.DOWNLOAD;
                long t0 = System.nanoTime();
                BackupFile backup = plan.backup();
                dump = events.step(Step.DOWNLOAD, backup.location().toString(), () ->
                        target.backups().download(backup, s.tmpdir(), (bytes, total, rate) ->
                                events.progress(Step.DOWNLOAD, bytes, total, "bytes", rate)));
                download = Duration.ofNanos(System.nanoTime() - t0);
                // a local source may hand back its own file: that one is the only copy, never removed
                boolean ownCopy = "file".equals(backup.location().getScheme())
                        && java.nio.file.Path.of(backup.location()).toAbsolutePath().equals(dump.toAbsolutePath());
                if (plan.removeDumpAfter() && !ownCopy) cleanup.downloaded(dump);
            }

            current = Step.CATALOG;
            Path dumpFile = dump;
            Path list = s.tmpdir().resolve("." + db + ".list");
            cleanup.temporaryFile(list);
            CatalogPreparer.Prepared prepared = events.step(Step.CATALOG, dumpFile.getFileName().toString(), () ->
                    CatalogPreparer.prepare(s, dumpFile, list));
            events.detail(Step.CATALOG, prepared.describe());

            current = Step.PRE_SQL;
            List<Path> pre = SqlScripts.files(target, true);
            if (!pre.isEmpty()) {
                events.step(Step.PRE_SQL, pre.size() + " file(s)", () -> SqlScripts.run(target, db, pre, Step.PRE_SQL, events));
            }

            current = Step.PG_RESTORE;
            long t1 = System.nanoTime();
            CommandResult result = events.step(Step.PG_RESTORE, prepared.kept() + " items", () ->
                    new PgRestoreRunner(target, events).run(db, dumpFile, list, prepared.kept()));
            if (!result.ok()) {
                throw new PgStagingException("pg_restore exited with " + result.exitCode() + ": "
                        + String.join("\n", result.stderrTail()),
                        hintForRestoreError(result.stderrTail()));
            }
            restore = Duration.ofNanos(System.nanoTime() - t1);

            current = Step.SEARCH_PATH;
            s.searchPath().ifPresent(path -> events.step(Step.SEARCH_PATH, path, () -> target.admin().setSearchPath(db, path)));

            if (s.restoreVacuum()) {
                current = Step.VACUUM;
                long t2 = System.nanoTime();
                events.step(Step.VACUUM, db, () -> target.admin().vacuumAnalyze(db));
                vacuum = Duration.ofNanos(System.nanoTime() - t2);
            }

            current = Step.POST_SQL;
            List<Path> post = SqlScripts.files(target, false);
            if (!post.isEmpty()) {
                events.step(Step.POST_SQL, post.size() + " file(s)", () -> SqlScripts.run(target, db, post, Step.POST_SQL, events));
            }

            if (Thread.currentThread().isInterrupted()) {
                throw new PgStagingException("cancelled", "the restore was cancelled before switching");
            }
            if (s.autoSwitch()) {
                current = Step.SWITCH;
                events.step(Step.SWITCH, s.dbname() + " -> " + db, () ->
                        target.pgbouncer().pointAlias(s.dbname(), db, target.pgbouncerEntryFor(db)));
                switched = true;
            }
        } catch (RuntimeException | Error e) {
            Step failedStep = current;
            String undone = cleanup.undo(s.keepFailed());
            PgStagingException pe = e instanceof PgStagingException p ? p : null;
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            String hint = pe != null ? pe.hint() : null;
            events.emit(new RestoreEvent.Failed(db, failedStep, message, hint, undone));
            throw new RestoreFailedException(failedStep, message, hint, undone, e);
        }
        cleanup.success();
        Duration total = Duration.ofNanos(System.nanoTime() - started);
        events.emit(new RestoreEvent.Completed(db, total, switched));
        return new Outcome(db, switched, download, restore, vacuum, total);
    }

    private static String hintForRestoreError(List<String> stderr) {
        String all = String.join("\n", stderr);
        if (all.contains("role") && all.contains("does not exist")) {
            return "the dump refers to roles missing on this server: load the cluster globals first (pgstaging init SECTION)";
        }
        if (all.contains("unsupported version")) {
            return "pg_restore is older than the pg_dump that made the dump: point pg_restore at a newer major version";
        }
        return "see the pg_restore output above; rerun with -v for every line";
    }
}
