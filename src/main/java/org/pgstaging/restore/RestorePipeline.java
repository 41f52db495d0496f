package org.pgstaging.restore;

import org.pgstaging.catalog.FilterRules;
import org.pgstaging.catalog.DataBlocks;
import org.pgstaging.catalog.FilterSummary;
import org.pgstaging.backup.RangedFile;
import java.util.Optional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.pgstaging.backup.DownloadListener;
import org.pgstaging.backup.DumpFiles;
import org.pgstaging.backup.DumpStream;
import org.pgstaging.backup.HeadCopy;
import org.pgstaging.backup.ReplayedHead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pgstaging.BackgroundCheck;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.config.Section;
import org.pgstaging.config.SessionSettings;
import org.pgstaging.host.CommandResult;
import org.pgstaging.postgres.CopyMark;

/**
 * pg_staging's restore, step by step: create the dated database, add it to pgbouncer, fetch the
 * dump, filter its catalog, pre SQL, pg_restore, search_path, VACUUM ANALYZE, post SQL, switch,
 * remove the dump. On any failure nothing is switched, and what this run created is undone
 * (unless keep_failed), so the alias and pgbouncer.ini stay as they were.
 */
public final class RestorePipeline {
    /** Connections a spool opens at most: the backup server's per-client share stays modest. */
    private static final int SPOOL_CONNECTIONS = 8;
    /** Room tmpdir keeps besides a spooled dump, so that the restore does not fill the disk. */
    private static final long SPOOL_MARGIN = 256L * 1024 * 1024;

    private final StagingTarget target;
    private final RestoreListener listener;
    private final boolean pgbouncerStep;

    public RestorePipeline(StagingTarget target, RestoreListener listener) {
        this(target, listener, true);
    }

    private RestorePipeline(StagingTarget target, RestoreListener listener, boolean pgbouncerStep) {
        this.target = target;
        this.listener = listener;
        this.pgbouncerStep = pgbouncerStep;
    }

    /**
     * The restore as pgstaging-client runs it on a database server for a console
     * ({@code restore_on = target}): every step but pgbouncer's, which the console changes once it
     * has the complete copy (it holds pgbouncer's credentials; the server never needs them).
     * {@code target.pgbouncer()} may be null.
     */
    public static RestorePipeline withoutPgbouncer(StagingTarget target, RestoreListener listener) {
        return new RestorePipeline(target, listener, false);
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

        /** The dump's name, as the copy's mark says where it comes from. */
        public String source() {
            return backup != null ? backup.fileName() : localDump.getFileName().toString();
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
        RestoreMode.Choice mode = RestoreMode.choose(s, plan.backup(), target.backups());
        if (mode.streams()) {
            lines.add("read the catalog from the head of " + plan.backup().location() + ", then stream it into pg_restore ["
                    + mode + "]" + (plan.removeDumpAfter() ? "" : ", keeping a copy in " + s.tmpdir()));
        } else if (mode.byBlocks() && plan.backup().isDirectory()) {
            lines.add("fetch toc.dat of " + plan.backup().location() + ", restore pre-data, then fetch each kept table's"
                    + " data file and load it as it arrives, " + s.restoreJobs() + " at a time, removing each once loaded,"
                    + " then post-data with --jobs=" + s.restoreJobs() + " [" + mode + "]");
        } else if (mode.byBlocks()) {
            lines.add("read the catalog from the head of " + plan.backup().location() + ", restore pre-data, then fetch"
                    + " each kept table's data with its own byte range and load it as it arrives, " + s.restoreJobs()
                    + " at a time, then post-data with --jobs=" + s.restoreJobs() + " [" + mode + "]");
        } else if (plan.backup() != null) {
            lines.add("download " + plan.backup().location() + " to " + s.tmpdir() + " [" + mode + "]");
        }
        lines.add("filter the catalog (schemas=" + s.schemas() + ", schemas_nodata=" + s.schemasNodata()
                + ", tablename_nodata_regexp=" + s.tablenameNodataRegexp().map(Object::toString).orElse("") + ")");
        for (Path f : SqlScripts.files(target, true)) lines.add("psql -f " + f);
        SessionSettings settings = s.restoreSettings();
        if (!settings.isEmpty()) {
            lines.add("pg_restore's sessions set " + settings + " (restore_settings"
                    + (settings.explicit() ? ")" : " default; a memory size only where the server's is lower)"));
        }
        if (!mode.byBlocks()) {
            lines.add(String.join(" ", new PgRestoreRunner(target, new EventEmitter(db, RestoreListener.NONE), settings)
                    .argv(db, plan.localDump() != null ? plan.localDump()
                                    : mode.streams() ? null : s.tmpdir().resolve(plan.backup().fileName()),
                            s.tmpdir().resolve(db + ".list"))));
        }
        s.searchPath().ifPresent(p -> lines.add("ALTER DATABASE " + db + " SET search_path TO " + p));
        if (s.restoreVacuum()) lines.add("VACUUM ANALYZE " + db);
        for (Path f : SqlScripts.files(target, false)) lines.add("psql -f " + f);
        if (pgbouncerStep) lines.add(pgbouncerLine(s, db));
        if (plan.removeDumpAfter() && !mode.streams()) lines.add("remove the dump");
        return lines;
    }

    /** This process, as a copy's mark names who restores it: {@code user@host pid N}. */
    private static String processName() {
        String host = System.getenv("HOSTNAME");
        try {
            host = java.nio.file.Files.readString(Path.of("/etc/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            // keep $HOSTNAME
        }
        return System.getProperty("user.name") + "@" + (host == null || host.isBlank() ? "localhost" : host)
                + " pid " + ProcessHandle.current().pid();
    }

    /** What the last step does to pgbouncer, for dry runs. */
    static String pgbouncerLine(Section s, String db) {
        return (s.autoSwitch() ? "add " + db + " and point alias " + s.dbname() + " at it in "
                : "add " + db + " to ") + s.pgbouncerConf() + ", then RELOAD pgbouncer on port " + s.pgbouncerPort();
    }

    /**
     * The read-only checks that need no dump (dry runs make them too): the tools are there,
     * pgbouncer is usable, the server accepts restore_settings. A caller may run them while it
     * fetches the listing, then {@link #checkPlan} and {@link #run}. Returns the settings
     * pg_restore's sessions will get.
     */
    public SessionSettings checkServers() {
        Section s = target.section();
        target.tools().checkPgRestore(s.name());
        if (!SqlScripts.files(target, true).isEmpty() || !SqlScripts.files(target, false).isEmpty()) {
            target.tools().checkPsql(s.name());
        }
        // pgbouncer is changed only at the end: a broken pgbouncer.ini or a console that does not
        // answer must fail now, not after hours of restore. It is asked while PostgreSQL checks the
        // settings: two servers' round trips (over SSH for pgbouncer.ini) overlap rather than add up.
        BackgroundCheck bouncer = !pgbouncerStep ? BackgroundCheck.none()
                : BackgroundCheck.start("pgbouncer-check", target.pgbouncer()::checkUsable);
        SessionSettings settings = null;
        RuntimeException settingsFailed = null;
        try {
            settings = target.admin().checkSessionSettings(s.restoreSettings(), "[" + s.name() + "] restore_settings");
        } catch (RuntimeException e) {
            settingsFailed = e;
        }
        // pgbouncer's failure first when both fail, as when they ran one after the other
        bouncer.await();
        if (settingsFailed != null) throw settingsFailed;
        return settings;
    }

    /** The checks of this restore: its database does not exist yet, its restore_mode is possible. */
    public void checkPlan(Plan plan) {
        if (target.admin().exists(plan.database())) throw alreadyExists(target, plan.database());
        RestoreMode.choose(target.section(), plan.backup(), target.backups()); // an impossible restore_mode fails here
    }

    /** The refusal of a restore whose dated database is already there. */
    public static PgStagingException alreadyExists(StagingTarget target, String db) {
        return new PgStagingException("database " + db + " already exists on " + target.postgres(),
                "drop it first (pgstaging drop " + target.section().name() + " " + db.substring(db.length() - 8)
                        + ") or restore another date");
    }

    /**
     * What the catalog filter would leave out of {@code plan}'s dump, read before anything is made
     * (the dump on disk, or only the catalog at the head of the backup); refuses a catalog the
     * filtered list could not restore ({@link CatalogPreparer#refuseConflicts}). Null when the
     * section restores every schema: then nothing is left out for what it needs.
     */
    public FilterSummary checkCatalog(Plan plan) {
        if (!FilterRules.of(target.section()).restrictsSchemas()) return null;
        FilterSummary f = CatalogPreparer.preview(target, plan.localDump(), plan.backup());
        CatalogPreparer.refuseConflicts(target.section(), f);
        return f;
    }

    /** Runs {@code plan}; {@code checked} is what {@link #checkServers()} returned for this target. */
    public Outcome run(Plan plan, SessionSettings checked) {
        return run(plan, checked, false);
    }

    /**
     * Runs {@code plan}; {@code absent}: the caller has just seen that its database does not exist
     * (holding the server's lock, so nobody else makes it meanwhile), which is then not asked again.
     */
    public Outcome run(Plan plan, SessionSettings checked, boolean absent) {
        Section s = target.section();
        String db = plan.database();
        EventEmitter events = new EventEmitter(db, listener);
        long started = System.nanoTime();
        if (!absent) checkPlan(plan);
        RestoreMode.Choice mode = RestoreMode.choose(s, plan.backup(), target.backups());

        Run run = new Run(plan, events, new Cleanup(target, db, events), mode, checked);
        Duration vacuum = Duration.ZERO;
        boolean switched = false;
        try {
            // the filtered list is known, and refused when it could not be restored, before anything
            // is made: a streamed restore reads it from the backup's head now, not after CREATE DATABASE
            run.current = Step.CATALOG;
            if (mode.streams() && plan.backup() != null) {
                run.readStreamCatalog();
            } else if (mode.byBlocks()) {
                run.readBlockCatalog();
            } else {
                checkCatalog(plan);
            }
            run.current = Step.CREATE_DATABASE;
            events.step(Step.CREATE_DATABASE, db, () -> {
                // from now until it is complete, the copy says so itself: a crash cannot make it look whole
                target.admin().createIncompleteCopy(db, s.dbowner(), s.dbEncoding(), CopyMark.incomplete(plan.source(), processName()));
            });
            run.cleanup.createdDatabase();

            if (run.mode.byBlocks()) {
                run.blockRestore();
            } else if (!run.mode.streams() || !run.streamRestore()) {
                run.fileRestore();
            }

            run.current = Step.SEARCH_PATH;
            s.searchPath().ifPresent(path -> events.step(Step.SEARCH_PATH, path, () -> target.admin().setSearchPath(db, path)));

            if (s.restoreVacuum()) {
                run.current = Step.VACUUM;
                long t2 = System.nanoTime();
                events.step(Step.VACUUM, db, () -> target.admin().vacuumAnalyze(db));
                vacuum = Duration.ofNanos(System.nanoTime() - t2);
            }

            run.current = Step.POST_SQL;
            List<Path> post = SqlScripts.files(target, false);
            if (!post.isEmpty()) {
                events.step(Step.POST_SQL, post.size() + " file(s)", () -> SqlScripts.run(target, db, post, Step.POST_SQL, events));
            }

            if (Thread.currentThread().isInterrupted()) {
                throw new PgStagingException("cancelled", "the restore was cancelled before switching");
            }
            target.admin().comment(db, CopyMark.complete(plan.source()));
            // pgbouncer learns of the copy only now, once it is complete: with auto_switch the entry
            // and the alias change in one file write and one RELOAD, and a failed restore never
            // touched pgbouncer.ini (pgstaging restores straight into PostgreSQL, not through pgbouncer)
            if (!pgbouncerStep) {
                // the console that asked for this restore changes pgbouncer
            } else if (s.autoSwitch()) {
                run.current = Step.SWITCH;
                events.step(Step.SWITCH, s.dbname() + " -> " + db, () ->
                        target.pgbouncer().pointAlias(s.dbname(), db, target.pgbouncerEntryFor(db)));
                switched = true;
            } else {
                run.current = Step.PGBOUNCER_ADD;
                events.step(Step.PGBOUNCER_ADD, db, () ->
                        target.pgbouncer().addDatabase(db, target.pgbouncerEntryFor(db)));
                run.cleanup.addedPgbouncerEntry();
            }
        } catch (RuntimeException | Error e) {
            Step failedStep = run.current;
            String undone = run.cleanup.undo(s.keepFailed());
            PgStagingException pe = e instanceof PgStagingException p ? p : null;
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            String hint = pe != null ? pe.hint() : null;
            events.emit(new RestoreEvent.Failed(db, failedStep, message, hint, undone));
            throw new RestoreFailedException(failedStep, message, hint, undone, e);
        }
        run.cleanup.success();
        Duration total = Duration.ofNanos(System.nanoTime() - started);
        events.emit(new RestoreEvent.Completed(db, total, switched));
        return new Outcome(db, switched, run.download, run.restore, vacuum, total);
    }

    /** One restore's moving parts: the step under way (for failure reports) and timings. */
    private final class Run {
        final Plan plan;
        final EventEmitter events;
        final Cleanup cleanup;
        RestoreMode.Choice mode;
        final Section s = target.section();
        final String db;
        final Path list;
        final SessionSettings settings;
        Step current = Step.CREATE_DATABASE;
        Duration download = Duration.ZERO;
        Duration restore = Duration.ZERO;

        Run(Plan plan, EventEmitter events, Cleanup cleanup, RestoreMode.Choice mode, SessionSettings settings) {
            this.settings = settings;
            this.plan = plan;
            this.events = events;
            this.cleanup = cleanup;
            this.mode = mode;
            this.db = plan.database();
            this.list = s.tmpdir().resolve("." + db + ".list");
        }

        /** Download (or take the local file), catalog, pre SQL, pg_restore from the file. */
        void fileRestore() {
            Path dump = plan.localDump();
            if (plan.backup() != null) {
                current = Step.DOWNLOAD;
                long t0 = System.nanoTime();
                BackupFile backup = plan.backup();
                createTmpdir();
                dump = events.step(Step.DOWNLOAD, backup.location() + " [" + mode + "]", () ->
                        target.backups().download(backup, s.tmpdir(), (bytes, total, rate) ->
                                events.progress(Step.DOWNLOAD, bytes, total, "bytes", rate), s.downloadConnections()));
                download = Duration.ofNanos(System.nanoTime() - t0);
                // a local source may hand back its own file: that one is the only copy, never removed
                boolean ownCopy = "file".equals(backup.location().getScheme())
                        && java.nio.file.Path.of(backup.location()).toAbsolutePath().equals(dump.toAbsolutePath());
                if (plan.removeDumpAfter() && !ownCopy) cleanup.downloaded(dump);
            }

            current = Step.CATALOG;
            Path dumpFile = dump;
            cleanup.temporaryFile(list);
            CatalogPreparer.Prepared prepared = events.step(Step.CATALOG, dumpFile.getFileName().toString(), () ->
                    CatalogPreparer.prepare(s, dumpFile, list));
            events.detail(Step.CATALOG, prepared.describe());

            preSql();

            current = Step.PG_RESTORE;
            long t1 = System.nanoTime();
            CommandResult result = events.step(Step.PG_RESTORE, prepared.kept() + " items", () ->
                    new PgRestoreRunner(target, events, settings).run(db, dumpFile, list, prepared.kept()));
            checkRestored(result);
            restore = Duration.ofNanos(System.nanoTime() - t1);
        }

        /** For restore_mode = ranges: where the dump's blocks lie, and how each reaches its pg_restore. */
        DataBlocks.Result blockCatalog;
        BlockFeed feed;
        /** The data blocks' restore, made once the catalog is read. */
        BlockRestore blocks;

        /**
         * restore_mode = ranges: the catalog from the backup's head into the list, noting where each
         * data block lies, then the head itself into tmpdir; all before the database is created. Falls
         * back to file mode, saying why, when the server serves no ranges or the dump records no offsets.
         */
        void readBlockCatalog() {
            BackupFile backup = plan.backup();
            String why = s.pgRestoreSingleTransaction() ? "pg_restore_st = True restores in one transaction"
                    : !plan.removeDumpAfter() ? "remove_dump = False asks for a copy of the dump, which ranges do not make"
                    : null;
            if (backup.isDirectory()) {
                readFilesCatalog(why);
                return;
            }
            Optional<RangedFile> ranged = why != null ? Optional.empty() : target.backups().ranged(backup);
            if (why == null && ranged.isEmpty()) why = "the server does not serve byte ranges of " + backup.fileName();
            if (why != null) {
                toFileMode(why);
                checkCatalog(plan);
                return;
            }
            createTmpdir();
            cleanup.temporaryFile(list);
            Path head = s.tmpdir().resolve("." + db + ".head");
            cleanup.temporaryFile(head);
            // the bytes the catalog is read from, over several connections, are the head the
            // loaders need: kept, not fetched again
            AtomicReference<HeadCopy> copy = new AtomicReference<>();
            DataBlocks.Result r = events.step(Step.CATALOG, "head of " + backup.location(), () -> {
                copy.set(HeadCopy.of(ranged.get().openHead(s.downloadConnections()), head));
                return CatalogPreparer.prepareBlocks(s, copy.get(), backup.fileName(), list);
            });
            events.detail(Step.CATALOG, CatalogPreparer.describe(r.summary()));
            CatalogPreparer.refuseConflicts(s, r.summary());
            Optional<String> noBlocks = r.blocks().whyNotByBlocks();
            if (noBlocks.isPresent()) {
                Cleanup.delete(head);
                toFileMode(noBlocks.get());
                return;
            }
            blockCatalog = r;
            if (!copy.get().keep(r.blocks().catalogEnd())) RangeFeed.fetchHead(ranged.get(), r.blocks(), head);
            feed = rangeFeed(ranged.get(), head);
            blocks = new BlockRestore(target, events, settings, feed, r.blocks(), db, list);
            // the blocks come while the database is created and pre SQL and pre-data run
            cleanup.transfer(feed::abortAll);
            blocks.startFetching();
        }

        /**
         * With fetch_ahead (the default), blocks fetched ahead into a local copy over
         * {@code restore_jobs x download_connections} connections (at most {@link #SPOOL_CONNECTIONS})
         * when tmpdir has room for the whole dump; else each streamed through memory over
         * {@code download_connections}.
         */
        private BlockFeed rangeFeed(RangedFile file, Path head) {
            if (!s.fetchAhead()) return new RangeFeed(file, head, s.downloadConnections());
            long free;
            try {
                free = Files.getFileStore(s.tmpdir()).getUsableSpace();
            } catch (IOException e) {
                free = -1;
            }
            long room = file.length() + SPOOL_MARGIN;
            if (free < room) {
                events.detail(Step.CATALOG, "tmpdir " + s.tmpdir() + " has " + (free < 0 ? "an unknown amount of space" : org.pgstaging.Sizes.human(free))
                        + " free, less than the dump's " + org.pgstaging.Sizes.human(file.length()) + " and " + org.pgstaging.Sizes.human(SPOOL_MARGIN)
                        + ": each block streams through memory instead of being fetched ahead");
                return new RangeFeed(file, head, s.downloadConnections());
            }
            Path copy = s.tmpdir().resolve("." + db + ".spool");
            cleanup.temporaryFile(copy);
            int connections = Math.min(SPOOL_CONNECTIONS, Math.max(1, s.restoreJobs()) * s.downloadConnections());
            events.detail(Step.CATALOG, "data blocks fetched ahead into " + copy + " over " + connections
                    + " connections, in the order they load, from now on");
            return RangeFeed.spooled(file, head, copy, connections, line -> events.detail(Step.DOWNLOAD, line));
        }

        /**
         * restore_mode = ranges on a directory dump: its toc.dat into a directory of its own in
         * tmpdir, the catalog filtered from it, before the database is created; the data files come
         * one by one later ({@link DumpFileFeed}).
         */
        private void readFilesCatalog(String why) {
            BackupFile backup = plan.backup();
            Optional<DumpFiles> files = why != null ? Optional.empty() : target.backups().files(backup);
            if (why == null && files.isEmpty()) why = target.backups().describe() + " does not serve the files of " + backup.fileName();
            if (why != null) {
                toFileMode(why);
                checkCatalog(plan);
                return;
            }
            createTmpdir();
            Path dir = s.tmpdir().resolve("." + db + ".dir");
            cleanup.temporaryFile(dir);
            cleanup.temporaryFile(list);
            DataBlocks.Result r = events.step(Step.CATALOG, "toc.dat of " + backup.location(), () -> {
                try {
                    Cleanup.delete(dir);
                    Files.createDirectory(dir);
                    Path toc = files.get().fetchToc(dir, DownloadListener.NONE);
                    return CatalogPreparer.prepareBlocks(s, Files.newInputStream(toc), backup.fileName(), list);
                } catch (IOException e) {
                    throw new PgStagingException("cannot write " + dir + ": " + e.getMessage(),
                            "check the permissions and free space of tmpdir " + s.tmpdir(), e);
                }
            });
            events.detail(Step.CATALOG, CatalogPreparer.describe(r.summary()));
            CatalogPreparer.refuseConflicts(s, r.summary());
            blockCatalog = r;
            feed = new DumpFileFeed(files.get(), dir, BlockRestore.ATTEMPTS);
            blocks = new BlockRestore(target, events, settings, feed, r.blocks(), db, list);
        }

        private void toFileMode(String why) {
            mode = new RestoreMode.Choice(RestoreMode.FILE, "restore_mode = " + s.restoreMode() + " fell back: " + why);
            events.detail(Step.CATALOG, "restoring from a downloaded file: " + why);
        }

        /** Pre SQL, then pre-data, the data blocks as they arrive, post-data ({@link BlockRestore}). */
        void blockRestore() {
            preSql();
            BackupFile backup = plan.backup();
            current = Step.DOWNLOAD;
            long t0 = System.nanoTime();
            events.emit(new RestoreEvent.StepStarted(db, Step.DOWNLOAD, "fetch the data of " + backup.location()
                    + (backup.isDirectory() ? " file by file" : " block by block") + ", loading each as it arrives [" + mode + "]"));
            current = Step.PG_RESTORE;
            long bytes = events.step(Step.PG_RESTORE, blockCatalog.summary().kept() + " items, "
                    + s.restoreJobs() + " at a time", blocks::run);
            restore = Duration.ofNanos(System.nanoTime() - t0);
            download = restore;
            events.emit(new RestoreEvent.StepFinished(db, Step.DOWNLOAD, download, bytes + " bytes of data blocks"));
        }

        /** The filtered list of a streamed restore, from the head of the backup ({@link #readStreamCatalog}). */
        CatalogPreparer.Prepared streamCatalog;
        /** The stream the catalog was read from, which goes on into pg_restore; null: pg_restore's is a request of its own. */
        DumpStream catalogStream;
        ReplayedHead replayedHead;
        /** Progress of the download is shown once its step has started, not while the catalog is read. */
        final AtomicBoolean downloading = new AtomicBoolean();

        /**
         * Reads the catalog at the head of the backup into the list file, before the database is
         * created; refuses a list that could not be restored. Nothing is left behind when it fails.
         * When only CREATE DATABASE comes between the catalog and pg_restore, the catalog's request
         * goes on into pg_restore ({@link ReplayedHead}); pre SQL scripts may run for longer than a
         * web server waits for a client to read, so with them pg_restore's request is its own.
         */
        void readStreamCatalog() {
            BackupFile backup = plan.backup();
            createTmpdir();
            cleanup.temporaryFile(list);
            streamCatalog = events.step(Step.CATALOG, "head of " + backup.location(), () ->
                    CatalogPreparer.prepare(s, openForCatalog(backup), backup.fileName(), list));
            events.detail(Step.CATALOG, streamCatalog.describe());
            CatalogPreparer.refuseConflicts(s, streamCatalog.summary());
        }

        /** The stream the catalog is read from: the download that goes on into pg_restore, or a request of its own. */
        private InputStream openForCatalog(BackupFile backup) {
            if (!SqlScripts.files(target, true).isEmpty()) return target.backups().openStream(backup);
            Path head = s.tmpdir().resolve("." + db + ".head");
            cleanup.temporaryFile(head);
            catalogStream = openDumpStream(backup);
            cleanup.transfer(catalogStream::abort);
            replayedHead = new ReplayedHead(catalogStream, head);
            return replayedHead.forCatalog();
        }

        private DumpStream openDumpStream(BackupFile backup) {
            Path keepAs = plan.removeDumpAfter() ? null : s.tmpdir().resolve(backup.fileName());
            return target.backups().stream(backup, keepAs, (bytes, total, rate) -> {
                if (downloading.get()) events.progress(Step.DOWNLOAD, bytes, total, "bytes", rate);
            }, s.downloadConnections());
        }

        /**
         * Catalog from the head of the remote dump, pre SQL, then pg_restore reading the download on
         * stdin. Returns false when the stream broke: the database was then dropped and created again,
         * empty, for {@link #fileRestore()} to start over; nothing half-restored goes further.
         */
        boolean streamRestore() {
            BackupFile backup = plan.backup();
            current = Step.DOWNLOAD;
            long t0 = System.nanoTime();
            events.emit(new RestoreEvent.StepStarted(db, Step.DOWNLOAD,
                    "stream " + backup.location() + " into pg_restore [" + mode + "]"));
            createTmpdir();

            CatalogPreparer.Prepared prepared = streamCatalog;

            preSql();

            current = Step.PG_RESTORE;
            downloading.set(true);
            AtomicReference<DumpStream> opened = new AtomicReference<>();
            Supplier<InputStream> archive = () -> {
                if (replayedHead != null) {
                    opened.set(catalogStream);
                    return replayedHead.replay();
                }
                DumpStream d = openDumpStream(backup);
                opened.set(d);
                return d;
            };
            long t1 = System.nanoTime();
            CommandResult result = events.step(Step.PG_RESTORE, prepared.kept() + " items", () ->
                    new PgRestoreRunner(target, events, settings).runFromStream(db, archive, list, prepared.kept()));
            DumpStream stream = opened.get();
            IOException broken = stream != null && stream.failure() != null ? stream.failure() : result.stdinFailure();
            if (broken != null && result.exitCode() != 0) {
                fallBack(broken, stream);
                return false;
            }
            checkRestored(result);
            restore = Duration.ofNanos(System.nanoTime() - t1);
            long streamed = stream == null ? 0 : stream.bytes();
            if (stream == null || stream.finishedAt() < 0) {
                download = Duration.ofNanos(System.nanoTime() - t0);
            } else if (replayedHead != null) {
                // the catalog's request began before this step: its time until then was the catalog's
                download = Duration.ofNanos(Math.max(0, stream.finishedAt() - t0));
            } else {
                download = Duration.ofNanos(stream.transferNanos());
            }
            String detail = streamed + " bytes streamed";
            if (broken != null) {
                // pg_restore had all it needed; only the copy of the rest failed
                detail += "; no copy kept: " + broken.getMessage();
            } else if (stream != null && stream.keptFile() != null) {
                detail += "; copy kept as " + stream.keptFile();
            }
            events.emit(new RestoreEvent.StepFinished(db, Step.DOWNLOAD, download, detail));
            if (plan.removeDumpAfter()) cleanup.streamedWithoutCopy();
            return true;
        }

        private void fallBack(IOException broken, DumpStream stream) {
            events.detail(Step.DOWNLOAD, "the stream broke after " + (stream == null ? 0 : stream.bytes())
                    + " bytes (" + broken.getMessage() + "): dropping " + db
                    + " and creating it again, then downloading to a file (restore_mode = file)");
            mode = new RestoreMode.Choice(RestoreMode.FILE, "fallback: the stream broke");
            current = Step.CREATE_DATABASE;
            events.step(Step.CREATE_DATABASE, db + " again, empty, after the broken stream", () -> {
                target.admin().dropDatabase(db);
                target.admin().createIncompleteCopy(db, s.dbowner(), s.dbEncoding(), CopyMark.incomplete(plan.source(), processName()));
            });
        }

        private void preSql() {
            current = Step.PRE_SQL;
            List<Path> pre = SqlScripts.files(target, true);
            if (!pre.isEmpty()) {
                events.step(Step.PRE_SQL, pre.size() + " file(s)", () -> SqlScripts.run(target, db, pre, Step.PRE_SQL, events));
            }
        }

        private void checkRestored(CommandResult result) {
            refuseFailed(result, null);
        }

        private void createTmpdir() {
            try {
                Files.createDirectories(s.tmpdir());
            } catch (IOException e) {
                throw new PgStagingException("cannot create tmpdir " + s.tmpdir() + ": " + e.getMessage(),
                        "set tmpdir to a writable directory", e);
            }
        }
    }

    /** A pg_restore that exited with an error, as the restore's failure: its last lines and a hint. */
    static void refuseFailed(CommandResult result, String of) {
        if (result.exitCode() == 0) return;
        throw new PgStagingException("pg_restore" + (of == null ? "" : " of the " + of) + " exited with " + result.exitCode()
                + ": " + String.join("\n", result.stderrTail()), hintForRestoreError(result.stderrTail()));
    }

    static String hintForRestoreError(List<String> stderr) {
        String all = String.join("\n", stderr);
        if (all.contains("unsupported startup parameter")) {
            // a pooler (pgbouncer) refuses libpq's options, which carry restore_settings
            return "postgres_port must reach PostgreSQL itself, not a connection pooler; or set restore_settings = none";
        }
        if (all.contains("role") && all.contains("does not exist")) {
            return "the dump refers to roles missing on this server: load the cluster globals first (pgstaging init SECTION)";
        }
        if (all.contains("unsupported version")) {
            return "pg_restore is older than the pg_dump that made the dump: point pg_restore at a newer major version";
        }
        return "see the pg_restore output above; rerun with -v for every line";
    }
}
