package org.pgstaging.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.BackupSources;
import org.pgstaging.backup.HttpBackupSource;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.backup.DumpName;
import org.pgstaging.catalog.FilterSummary;
import org.pgstaging.config.Section;
import org.pgstaging.config.SessionSettings;
import org.pgstaging.config.StagingConfig;
import org.pgstaging.host.Command;
import org.pgstaging.host.CommandResult;
import org.pgstaging.host.LocalHost;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.store.ChangeLog;
import org.pgstaging.job.store.ServerKey;
import org.pgstaging.pgbouncer.Pgbouncer;
import org.pgstaging.pgbouncer.PgbouncerEntry;
import org.pgstaging.pgbouncer.PgbouncerConsole;
import org.pgstaging.pgbouncer.ServiceAction;
import org.pgstaging.pgbouncer.ServiceResult;
import org.pgstaging.postgres.ClusterAdmin;
import org.pgstaging.postgres.CopyMark;
import org.pgstaging.postgres.DatedDatabase;
import org.pgstaging.postgres.PostgresServerAddress;
import org.pgstaging.postgres.PostgresTools;
import org.pgstaging.postgres.ServerLock;
import org.pgstaging.restore.CatalogPreparer;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.RestorePipeline;
import org.pgstaging.restore.SqlScripts;
import org.pgstaging.restore.StagingTarget;
import org.pgstaging.restore.TargetRestore;
import org.pgstaging.restore.Step;

/**
 * The engine's front: every operation of {@link StagingOperations} on a loaded configuration.
 * Faces build one per configuration and call it; it builds a {@link StagingTarget} per call so
 * that configuration changes (console {@code set}) apply at once.
 */
public final class StagingService implements StagingOperations {

    private final SectionTargets targets;
    private final EngineOptions options;
    private final RestoreListener listener;
    /** Where changes are recorded; null: nowhere (tests, the engine alone). */
    private final java.util.function.Supplier<ChangeLog> history;

    public StagingService(StagingConfig config, EngineOptions options, RestoreListener listener) {
        this(new SectionTargets(config, options.tmpdir()), options, listener, null);
    }

    private StagingService(SectionTargets targets, EngineOptions options, RestoreListener listener,
                           java.util.function.Supplier<ChangeLog> history) {
        this.targets = targets;
        this.options = options;
        this.listener = listener == null ? RestoreListener.NONE : listener;
        this.history = history;
    }

    public StagingConfig config() { return targets.config(); }

    /**
     * Loads the HTTP client, the JDBC driver and the logger on a daemon thread, so that their class
     * loading (about 0.15 s) runs on a second core while the command line is parsed and the
     * configuration read, instead of after. Nothing here may fail a command: the first real use
     * reports any problem.
     */
    public static void warmUp() {
        startDaemon("pgstaging-warm-up", () -> {
            try {
                BackupSources.warmUp();
                PostgresServerAddress.loadDriver();
                org.slf4j.LoggerFactory.getILoggerFactory();
            } catch (RuntimeException | LinkageError e) {
                // see above
            }
        });
    }

    private static void startDaemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public List<String> sections() {
        return targets.config().sections().stream().map(Section::name).toList();
    }

    /** The section with the -t tmpdir override applied. */
    public Section section(String name) {
        return targets.section(name);
    }

    /**
     * What a section's operations act on, built once per section (see {@link SectionTargets}). Public
     * so the bot can run pipelines itself. The first use of a section restoring on its server in this
     * process looks there for restores that died without cleaning up.
     */
    public StagingTarget target(String sectionName) {
        StagingTarget t = targets.target(sectionName);
        if (restoresOnTarget(t.section()) && !targets.settled(t.section().name())) settle(t, listener);
        return t;
    }

    /**
     * A restore that died on the server is cleaned up the next time its section is used. Returns
     * the copies that restores still running there are making.
     */
    private List<String> settle(StagingTarget t, RestoreListener l) {
        List<String> running = onTarget(t, l).settleLeftovers(options.dryRun());
        targets.markSettled(t.section().name());
        return running;
    }

    private static boolean restoresOnTarget(Section s) {
        return s.remote() && "target".equals(s.restoreOn());
    }

    private TargetRestore onTarget(StagingTarget t, RestoreListener l) {
        return new TargetRestore(t, targets.servers().ssh(t.section()), l);
    }

    /**
     * A StagingService acting for {@code who}: the bot runs each job as the Slack user who asked.
     * {@code noWait}: a change of a busy server fails at once (a button must not hang for an hour).
     */
    public StagingService actingFor(String who, boolean noWait) {
        return new StagingService(targets, options.actingAs(who).withNoWait(noWait), listener, history);
    }

    /**
     * A StagingService that records every change in the history kept under {@code stateDir}, the one
     * the bot and every console sharing that directory write to (opened on the first change only).
     */
    public StagingService recordingIn(Path stateDir) {
        return recordingTo(() -> ChangeLog.shared(stateDir));
    }

    /** A StagingService that records every change in the history {@code changes} opens (lazily, once). */
    public StagingService recordingTo(java.util.function.Supplier<ChangeLog> changes) {
        return new StagingService(targets, options, listener, changes);
    }

    /** The history of changes, newest first: of one section (null: all), since a day (null: ever), at most {@code limit}. */
    @Override
    public List<Change> history(String section, LocalDate since, int limit) {
        if (section != null) section(section);   // an unknown section says so, with the nearest names
        if (history == null) return List.of();
        return history.get().read(section, since == null ? null : since.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), limit);
    }

    /**
     * Runs a change of the section's database server holding that server's lock, so that one
     * change at a time runs there whoever asks: a console, a script or the bot, on any machine.
     * Waits its turn, saying what runs and how many wait before it, unless --no-wait; a dry run
     * changes nothing and takes no turn.
     */
    private <T> T exclusive(String sectionName, String kind, Object date, RestoreListener l,
                            java.util.function.Function<RestoreListener, T> change) {
        if (options.dryRun()) return change.apply(l);
        Section s = section(sectionName);
        String what = kind + " " + s.name() + (date == null ? "" : " " + date);
        // the history opens beside the lock: on a console it is the first use of its file
        CompletableFuture<ChangeLog> changes = history == null ? null
                : CompletableFuture.supplyAsync(history, work -> startDaemon("pgstaging-history", work));
        RestoreListener out = both(l);
        ServerLock lock = new ServerLock(new PostgresServerAddress(s.host(), s.postgresPort(), s.dbuser()), s.maintdb());
        long[] waitStart = {0};
        try (ServerLock.Held held = lock.take(what, options.actor(), options.noWait(), (holder, ahead) -> {
            String line = "behind " + holder.describe() + (ahead.isEmpty() ? "" : "; " + ahead.size() + " more ahead")
                    + estimatedStart(changes, holder, ahead);
            if (waitStart[0] == 0) {
                waitStart[0] = System.nanoTime();
                out.on(new RestoreEvent.StepStarted(s.name(), Step.WAITING, line));
            } else {
                out.on(new RestoreEvent.Detail(s.name(), Step.WAITING, line));
            }
        })) {
            if (waitStart[0] != 0) {
                out.on(new RestoreEvent.StepFinished(s.name(), Step.WAITING, Duration.ofNanos(System.nanoTime() - waitStart[0]),
                        "the server is free: " + what));
            }
            ChangeLog log = opened(changes);
            ChangeRecording recording = log == null ? null : ChangeRecording.start(log, kind, s.name(),
                    date == null ? null : date.toString(), ServerKey.of(s).toString(), options.actor());
            if (recording == null) return change.apply(l);
            try {
                // the service's own listener hears every event once: the watcher forwards only to another one
                T result = change.apply(recording.watching(l == null || l == listener ? RestoreListener.NONE : l));
                recording.done(result);
                return result;
            } catch (RuntimeException | Error e) {
                recording.failed(e, Thread.currentThread().isInterrupted());
                throw e;
            }
        }
    }

    /** "; estimated start HH:MM" from the history of such changes, or nothing when it has none. */
    private static String estimatedStart(CompletableFuture<ChangeLog> changes, ServerLock.Holder holder,
                                         List<ServerLock.Holder> ahead) {
        ChangeLog log = opened(changes);
        if (log == null) return "";
        return StartEstimate.of(log, holder, ahead).map(at -> "; estimated start "
                + java.time.format.DateTimeFormatter.ofPattern("HH:mm").format(at.atZone(java.time.ZoneId.systemDefault())))
                .orElse("");
    }

    /** The history once open; null (said in the log) when it cannot be: a change never fails for its audit. */
    private static ChangeLog opened(CompletableFuture<ChangeLog> changes) {
        if (changes == null) return null;
        try {
            return changes.join();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(StagingService.class).warn("history not written: {}",
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return null;
        }
    }

    // ---- main operation ---------------------------------------------------------------

    @Override
    public RestoreResult restore(String section, DateSpec date, RestoreListener l) {
        return exclusive(section, "restore", orToday(date), l, out -> restoreNow(section, date, out));
    }

    private RestoreResult restoreNow(String section, DateSpec date, RestoreListener l) {
        StagingTarget t = targets.target(section);   // restoreOnTarget settles itself
        if (restoresOnTarget(t.section())) return restoreOnTarget(t, date, l);
        RestorePipeline pipeline = new RestorePipeline(t, both(l));
        // the checks that need no dump (pgbouncer, restore_settings on the server, and with them the
        // loading of pgjdbc) run while the listing is fetched: ~0.1 s less before pg_restore starts
        CompletableFuture<SessionSettings> checked = CompletableFuture.supplyAsync(pipeline::checkServers,
                work -> startDaemon("restore-checks", work));
        BackupFile backup = findBackup(t, orToday(date));
        String db = DatedDatabase.name(t.section().dbname(), backup.date());
        RestorePipeline.Plan plan = RestorePipeline.Plan.fromBackup(db, backup, t.section().removeDump());
        boolean replacing = replaceIncomplete(t, db, List.of(), l);
        return runPipeline(pipeline, t, plan, await(checked), l, replacing);
    }

    /**
     * A copy of this date left incomplete by a restore that died is replaced: this restore holds the
     * server's lock, so no live restore of this machine or another owns it, and a restore still
     * running on the server itself ({@code runningThere}, from its run records) is refused. Says so.
     * Returns whether there was such a copy (a dry run only says it would drop it).
     */
    private boolean replaceIncomplete(StagingTarget t, String db, List<String> runningThere, RestoreListener l) {
        String mark = t.admin().commentsStartingWith(db).get(db);
        if (!CopyMark.isIncomplete(mark)) return false;
        if (runningThere.contains(db)) {
            throw new PgStagingException(db + " is being restored by a restore still running on " + t.pgbouncer().host().name(),
                    "wait for it to end, or cancel it from where it was started");
        }
        if (options.dryRun()) {
            wouldDo(l, db, "drop " + db + ", left incomplete by a restore that died (" + mark + ")");
            return true;
        }
        RestoreListener out = both(l);
        out.on(new RestoreEvent.StepStarted(db, Step.CLEANUP, "replacing " + db + ": a restore that died left it incomplete ("
                + mark + ")"));
        long start = System.nanoTime();
        new DatedCopies(t).drop(db);
        out.on(new RestoreEvent.StepFinished(db, Step.CLEANUP, Duration.ofNanos(System.nanoTime() - start), "dropped " + db));
        return true;
    }

    /** restore_on = target: pgstaging-client on the database server fetches and restores; pgbouncer changes here. */
    private RestoreResult restoreOnTarget(StagingTarget t, DateSpec date, RestoreListener l) {
        // before every restore there, not only the first: a bot lives long
        List<String> running = settle(t, both(l));
        TargetRestore remote = onTarget(t, both(l));
        BackupFile backup = findBackup(t, orToday(date));
        String db = DatedDatabase.name(t.section().dbname(), backup.date());
        RestorePipeline.Plan plan = RestorePipeline.Plan.fromBackup(db, backup, t.section().removeDump());
        boolean replacing = replaceIncomplete(t, db, running, l);
        if (options.dryRun()) {
            if (!replacing) remote.check(plan);
            remote.describe(plan).forEach(line -> wouldDo(l, db, line));
            return new RestoreResult(t.section().name(), db, false, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        RestorePipeline.Outcome o = remote.run(plan);
        return new RestoreResult(t.section().name(), o.database(), o.switched(), o.download(), o.restore(), o.vacuum(), o.total());
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgStagingException("cancelled", "the restore was cancelled before it started");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public RestoreResult load(String section, Path dumpFile, RestoreListener l) {
        return exclusive(section, "load", dumpFile.getFileName(), l, out -> loadNow(section, dumpFile, out));
    }

    private RestoreResult loadNow(String section, Path dumpFile, RestoreListener l) {
        StagingTarget t = target(section);
        Path file = dumpFile.isAbsolute() ? dumpFile : t.section().tmpdir().resolve(dumpFile);
        LocalDate date = DumpName.dateOfFile(file.getFileName().toString());
        if (!Files.isReadable(file)) {
            throw new PgStagingException("cannot read dump file " + file, "give an existing dump path (relative names are looked up in tmpdir)");
        }
        String db = DatedDatabase.name(t.section().dbname(), date);
        RestorePipeline pipeline = new RestorePipeline(t, both(l));
        RestorePipeline.Plan plan = RestorePipeline.Plan.fromFile(db, file);
        return runPipeline(pipeline, t, plan, pipeline.checkServers(), l, replaceIncomplete(t, db, List.of(), l));
    }

    private RestoreResult runPipeline(RestorePipeline pipeline, StagingTarget t, RestorePipeline.Plan plan,
                                      SessionSettings checked, RestoreListener l, boolean replacing) {
        if (options.dryRun()) {
            if (!replacing) pipeline.checkPlan(plan);
            pipeline.describe(plan).forEach(line -> wouldDo(l, plan.database(), line));
            return new RestoreResult(t.section().name(), plan.database(), false,
                    Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        RestorePipeline.Outcome o = pipeline.run(plan, checked);
        return new RestoreResult(t.section().name(), o.database(), o.switched(), o.download(), o.restore(), o.vacuum(), o.total());
    }

    @Override
    public Path fetch(String section, DateSpec date, RestoreListener l) {
        return exclusive(section, "fetch", orToday(date), l, out -> fetchNow(section, date, out));
    }

    private Path fetchNow(String section, DateSpec date, RestoreListener l) {
        StagingTarget t = target(section);
        BackupFile backup = findBackup(t, orToday(date));
        if (options.dryRun()) {
            wouldDo(l, backup.fileName(), "download " + backup.location() + " to " + t.section().tmpdir());
            return t.section().tmpdir().resolve(backup.fileName());
        }
        RestoreListener out = both(l);
        String name = backup.fileName();
        out.on(new RestoreEvent.StepStarted(name, Step.DOWNLOAD, backup.location().toString()));
        long start = System.nanoTime();
        Path file = t.backups().download(backup, mkdirs(t.section().tmpdir()),
                (bytes, total, rate) -> out.on(new RestoreEvent.StepProgress(name, Step.DOWNLOAD, bytes, total, "bytes", rate)),
                t.section().downloadConnections());
        out.on(new RestoreEvent.StepFinished(name, Step.DOWNLOAD, Duration.ofNanos(System.nanoTime() - start), file.toString()));
        return file;
    }

    @Override
    public String createdb(String section, DateSpec date) {
        return exclusive(section, "createdb", orToday(date), listener, out -> createdbNow(section, date));
    }

    private String createdbNow(String section, DateSpec date) {
        StagingTarget t = target(section);
        LocalDate d = orToday(date).fixedDate(LocalDate.now()).orElseThrow(() -> new PgStagingException(
                "createdb needs a date, not '" + date + "'", "give YYYY-MM-DD, YYYYMMDD or today"));
        String db = DatedDatabase.name(t.section().dbname(), d);
        if (options.dryRun()) {
            wouldDo(listener, db, "CREATE DATABASE " + db + " and add it to pgbouncer");
            return db;
        }
        // an unreachable server or a pgbouncer.ini that cannot change fails before the database exists
        t.pgbouncer().checkUsable();
        t.admin().createDatabase(db, t.section().dbowner(), t.section().dbEncoding());
        try {
            t.pgbouncer().addDatabase(db, t.pgbouncerEntryFor(db));
        } catch (RuntimeException e) {
            t.admin().dropDatabase(db);
            throw e;
        }
        return db;
    }

    @Override
    public String drop(String section, DateSpec date) {
        return exclusive(section, "drop", date == null ? DateSpec.oldest() : date, listener, out -> dropNow(section, date));
    }

    private String dropNow(String section, DateSpec date) {
        StagingTarget t = target(section);
        DatedCopies copies = new DatedCopies(t);
        String db = copies.resolve(date == null ? DateSpec.oldest() : date);
        copies.refuseActive(db, "drop");
        if (options.dryRun()) {
            wouldDo(listener, db, "KILL " + db + " in pgbouncer, remove its entry, RELOAD, DROP DATABASE " + db + " WITH (FORCE)");
            return db;
        }
        copies.drop(db);
        return db;
    }

    /**
     * Drops {@code database}, which a change that died left behind, holding the server like any
     * change; never the copy the alias points to. Says what it did.
     */
    public String dropLeftover(String section, String database) {
        return exclusive(section, "drop", database, listener, out -> {
            StagingTarget t = target(section);
            DatedCopies copies = new DatedCopies(t);
            if (copies.isActive(database)) return database + " is the alias' copy: left as is";
            boolean existed = t.admin().exists(database);
            boolean entry = copies.drop(database);
            return (existed ? "dropped database " + database : database + " did not exist")
                    + (entry ? "; removed it from pgbouncer" : "");
        });
    }

    @Override
    public String switchTo(String section, DateSpec date) {
        return exclusive(section, "switch", date == null ? DateSpec.latest() : date, listener, out -> switchNow(section, date));
    }

    private String switchNow(String section, DateSpec date) {
        StagingTarget t = target(section);
        DatedCopies copies = new DatedCopies(t);
        String db = copies.resolve(date == null ? DateSpec.latest() : date);
        if (!copies.inPostgres.contains(db)) {
            throw new PgStagingException("database " + db + " is in pgbouncer.ini but not in PostgreSQL on " + t.postgres(),
                    "restore it again, or drop the stale entry with pgstaging drop " + section + " " + db.substring(db.length() - 8));
        }
        copies.refuseIncomplete(db, "point " + t.section().dbname() + " at");
        if (options.dryRun()) {
            wouldDo(listener, db, "point pgbouncer alias " + t.section().dbname() + " at " + db + " and RELOAD");
            return db;
        }
        t.pgbouncer().pointAlias(t.section().dbname(), db, t.pgbouncerEntryFor(db));
        return db;
    }

    @Override
    public List<String> purge(String section) {
        return exclusive(section, "purge", null, listener, out -> purgeNow(section));
    }

    private List<String> purgeNow(String section) {
        StagingTarget t = target(section);
        DatedCopies copies = new DatedCopies(t);
        Map<String, String> doomed = copies.purgeable(t.section().keepBases());
        doomed.forEach((db, why) -> {
            if (options.dryRun()) {
                wouldDo(listener, db, "drop " + db + " (" + why + ")");
            } else {
                copies.drop(db);
            }
        });
        return new ArrayList<>(doomed.keySet());
    }

    @Override
    public void vacuumdb(String section, DateSpec date, RestoreListener l) {
        exclusive(section, "vacuumdb", date, l, out -> {
            vacuumdbNow(section, date, out);
            return null;
        });
    }

    private void vacuumdbNow(String section, DateSpec date, RestoreListener l) {
        StagingTarget t = target(section);
        String db = new DatedCopies(t).resolveOrActive(date);
        if (options.dryRun()) {
            wouldDo(l, db, "VACUUM ANALYZE " + db);
            return;
        }
        RestoreListener out = both(l);
        out.on(new RestoreEvent.StepStarted(db, Step.VACUUM, db));
        long start = System.nanoTime();
        t.admin().vacuumAnalyze(db);
        out.on(new RestoreEvent.StepFinished(db, Step.VACUUM, Duration.ofNanos(System.nanoTime() - start), db));
    }

    @Override
    public List<Path> sourceSql(String section, DateSpec date, boolean pre, RestoreListener l) {
        return exclusive(section, pre ? "presql" : "postsql", date, l, out -> sourceSqlNow(section, date, pre, out));
    }

    private List<Path> sourceSqlNow(String section, DateSpec date, boolean pre, RestoreListener l) {
        StagingTarget t = target(section);
        String db = new DatedCopies(t).resolveOrActive(date);
        List<Path> files = SqlScripts.files(t, pre);
        if (options.dryRun()) {
            files.forEach(f -> wouldDo(l, db, "psql -f " + f));
            return files;
        }
        if (!files.isEmpty()) t.tools().checkPsql(section);
        SqlScripts.run(t, db, files, pre ? Step.PRE_SQL : Step.POST_SQL, both(l));
        return files;
    }

    @Override
    public void initCluster(String section, RestoreListener l) {
        exclusive(section, "init", null, l, out -> {
            initClusterNow(section, out);
            return null;
        });
    }

    private void initClusterNow(String section, RestoreListener l) {
        StagingTarget t = target(section);
        String url = t.section().dumpallUrl().orElseThrow(() -> new PgStagingException(
                "[" + section + "] has no dumpall_url", "set dumpall_url to the pg_dumpall -g file of the production cluster"));
        if (options.dryRun()) {
            wouldDo(l, t.section().maintdb(), "download " + url + " and psql -f it into " + t.section().maintdb());
            return;
        }
        t.tools().checkPsql(section);
        java.net.URI uri = BackupSources.dumpallUrl(t.section()).orElseThrow();
        String base = Path.of(uri.getPath()).getFileName() == null ? "globals.sql" : Path.of(uri.getPath()).getFileName().toString();
        Path file = new HttpBackupSource(uri).download(uri, mkdirs(t.section().tmpdir()).resolve(section + "." + base),
                org.pgstaging.backup.DownloadListener.NONE);
        RestoreListener out = both(l);
        try {
            // not ON_ERROR_STOP: globals that exist already (roles) are fine, the rest is reported
            List<String> argv = t.tools().psqlFile(t.postgres(), t.section().maintdb(), file, false);
            List<String> errors = new ArrayList<>();
            CommandResult r = t.runner().run(Command.of(argv).withEnv(t.postgres().libpqEnv()).withOutput(
                    line -> { }, line -> {
                        out.on(new RestoreEvent.Detail(t.section().maintdb(), Step.PRE_SQL, line));
                        if (line.contains("ERROR:") && !line.contains("already exists")) errors.add(line);
                    }));
            if (!r.ok() || !errors.isEmpty()) {
                throw new PgStagingException("loading globals from " + url + " failed: "
                        + String.join(" | ", errors.isEmpty() ? r.stderrTail() : errors),
                        "roles that already exist are fine; other errors need fixing on the server");
            }
        } finally {
            delete(file);
        }
    }

    @Override
    public Path dump(String section, DateSpec date, Path file, boolean overwrite) {
        return exclusive(section, "dump", date, listener, out -> dumpNow(section, date, file, overwrite));
    }

    private Path dumpNow(String section, DateSpec date, Path file, boolean overwrite) {
        StagingTarget t = target(section);
        DatedCopies copies = new DatedCopies(t);
        String db = copies.resolveOrActive(date);
        LocalDate d = DatedDatabase.dateOf(t.section().dbname(), db).orElseThrow();
        // pg_staging's name, dbname.YYYYMMDD.dump: unlike backups (dbname.YYYY-MM-DD.dump) it is never
        // listed as a production dump, while load still accepts it
        Path out = file != null ? file
                : t.section().tmpdir().resolve(DumpName.ofCopy(t.section().dbname(), d));
        if (Files.exists(out) && !overwrite) {
            throw new PgStagingException("dump file " + out + " already exists", "use redump to overwrite it");
        }
        t.tools().checkPgDump(section);
        if (options.dryRun()) {
            wouldDo(listener, db, "pg_dump -Fc " + db + " to " + out);
            return out;
        }
        mkdirs(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling("." + out.getFileName() + ".part");
        List<String> argv = t.tools().pgDumpCustom(t.postgres(), db, tmp);
        CommandResult r = t.runner().run(Command.of(argv).withEnv(t.postgres().libpqEnv()));
        if (!r.ok()) {
            delete(tmp);
            throw new PgStagingException("pg_dump of " + db + " failed: " + String.join(" | ", r.stderrTail()), null);
        }
        try {
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    // ---- listings ---------------------------------------------------------------------

    @Override
    public List<DatabaseInfo> databases(String section) {
        StagingTarget t = target(section);
        DatedCopies copies = new DatedCopies(t);
        List<DatabaseInfo> out = new ArrayList<>();
        copies.byDate.forEach((date, name) -> out.add(new DatabaseInfo(section, name, date, copies.isActive(name),
                copies.inPostgres.contains(name),
                copies.pgbouncerEntries.containsKey(name) ? copies.pgbouncerEntries.get(name).format() : null,
                copies.isIncomplete(name))));
        return out;
    }

    @Override
    public List<BackupFile> backups(String section, boolean local) {
        StagingTarget t = target(section);
        return local ? BackupSources.localDumps(t.section().tmpdir(), t.section().dbname())
                : t.backups().list(t.section().dbname());
    }

    @Override
    public DatabaseSize dbsize(String section, DateSpec date) {
        StagingTarget t = target(section);
        DatedCopies copies = new DatedCopies(t);
        String db = copies.resolveOrActive(date);
        return new DatabaseSize(section, db, t.admin().size(db).orElse(-1L), copies.isActive(db), copies.isIncomplete(db));
    }

    /** At most this many servers are asked at once by {@code dbsizes}: enough to hide latency, kind to servers. */
    private static final int DBSIZES_PARALLELISM = 8;

    @Override
    public List<DatabaseSize> dbsizes(List<String> sectionNames) {
        // one task per section, run on a bounded pool; results keep the order of the sections
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(DBSIZES_PARALLELISM, sectionNames.size())));
        // sections sharing a pgbouncer.ini (usually every section of a server) read it once: on a
        // remote server each read is an SSH round trip and a pgstaging-client start
        Map<String, java.util.concurrent.FutureTask<Map<String, PgbouncerEntry>>> pgbouncerFiles =
                new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<java.util.concurrent.Future<List<DatabaseSize>>> futures = new ArrayList<>();
            for (String section : sectionNames) {
                futures.add(pool.submit(() -> sizesOf(section, pgbouncerFiles)));
            }
            List<DatabaseSize> out = new ArrayList<>();
            for (java.util.concurrent.Future<List<DatabaseSize>> f : futures) {
                out.addAll(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgStagingException("dbsizes interrupted", null, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new PgStagingException("dbsizes failed: " + e.getCause(), null, e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private List<DatabaseSize> sizesOf(String section,
                                       Map<String, java.util.concurrent.FutureTask<Map<String, PgbouncerEntry>>> pgbouncerFiles) {
        StagingTarget t = target(section);
        java.util.concurrent.FutureTask<Map<String, PgbouncerEntry>> read = pgbouncerFiles.computeIfAbsent(
                t.pgbouncer().host().name() + "\0" + t.pgbouncer().configFile(),
                k -> new java.util.concurrent.FutureTask<>(() -> t.pgbouncer().entries()));
        read.run();   // the first caller reads; the others wait for it in get()
        DatedCopies copies;
        try {
            copies = new DatedCopies(t, read.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgStagingException("dbsizes interrupted", null, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new PgStagingException("cannot read pgbouncer.ini: " + e.getCause(), null, e.getCause());
        }
        List<DatabaseSize> out = new ArrayList<>();
        for (String db : copies.byDate.values()) {
            out.add(new DatabaseSize(section, db, t.admin().size(db).orElse(-1L), copies.isActive(db), copies.isIncomplete(db)));
        }
        return out;
    }

    @Override
    public String show(String section, DateSpec date, String setting) {
        StagingTarget t = target(section);
        DatedCopies copies = new DatedCopies(t);
        return t.admin().show(copies.resolveOrActive(date), setting);
    }

    // ---- pgbouncer --------------------------------------------------------------------

    @Override
    public List<PgbouncerDatabase> pgbouncer(String section) {
        StagingTarget t = target(section);
        String dbname = t.section().dbname();
        return t.pgbouncer().showDatabases().stream()
                .filter(r -> r.name().equals(dbname) || DatedDatabase.dateOf(dbname, r.name()).isPresent())
                .map(r -> new PgbouncerDatabase(r.name(), r.database(), r.host(), r.port() == null ? 0 : r.port(), r.paused()))
                .toList();
    }

    @Override
    public void pause(String section, DateSpec date) {
        StagingTarget t = target(section);
        String db = date == null ? t.section().dbname() : new DatedCopies(t).resolve(date);
        if (options.dryRun()) {
            wouldDo(listener, db, "PAUSE " + db);
            return;
        }
        t.pgbouncer().pause(db);
    }

    @Override
    public void resume(String section, DateSpec date) {
        StagingTarget t = target(section);
        String db = date == null ? t.section().dbname() : new DatedCopies(t).resolve(date);
        if (options.dryRun()) {
            wouldDo(listener, db, "RESUME " + db);
            return;
        }
        t.pgbouncer().resume(db);
    }

    @Override
    public String service(String section, String action) {
        StagingTarget t = target(section);
        ServiceAction a = ServiceAction.parse(action);
        if (options.dryRun() && a != ServiceAction.STATUS) {
            wouldDo(listener, "pgbouncer", String.join(" ", t.pgbouncer().host().serviceCommand(a.verb())));
            return "";
        }
        ServiceResult r = t.pgbouncer().service(a);
        String output = String.join("\n", r.output());
        if (a == ServiceAction.STATUS && r.exitCode() == 3) {
            return (output.isBlank() ? "" : output + "\n") + "pgbouncer is not running on " + t.section().host();
        }
        if (!r.ok()) {
            throw new PgStagingException(String.join(" ", r.command()) + " exited with " + r.exitCode()
                    + (output.isBlank() ? "" : ": " + output),
                    "pgstaging manages pgbouncer through systemd; check that the pgbouncer unit exists on "
                            + t.section().host() + (t.section().useSudo() ? " and that sudo allows the command" : ""));
        }
        return output;
    }

    // ---- catalog ----------------------------------------------------------------------

    @Override
    public CatalogReport catalog(String section, Path dumpFile, Writer out) {
        StagingTarget t = target(section);
        FilterSummary f = CatalogPreparer.report(t, dumpFile, out);
        return new CatalogReport(f.total(), f.kept(), f.excludedSchemas(), f.nodataTables(), f.droppedTriggers());
    }

    @Override
    public CatalogReport catalogAt(String section, DateSpec date, Writer out) {
        StagingTarget t = target(section);
        FilterSummary f = CatalogPreparer.report(t, findBackup(t, date == null ? DateSpec.latest() : date), out);
        return new CatalogReport(f.total(), f.kept(), f.excludedSchemas(), f.nodataTables(), f.droppedTriggers());
    }

    @Override
    public List<TriggerInfo> triggers(String section, Path dumpFile) {
        StagingTarget t = target(section);
        return CatalogPreparer.triggers(t, dumpFile).stream()
                .map(x -> new TriggerInfo(x.schema(), x.table(), x.trigger(),
                        x.function() == null ? "?" : sqlName(x.functionSchema()) + "." + sqlName(x.function()), x.dropped()))
                .toList();
    }

    @Override
    public List<String> nodata(String section, Path dumpFile) {
        StagingTarget t = target(section);
        return CatalogPreparer.nodataTables(t, dumpFile);
    }

    // ---- for the chat face: previews, who is connected, comparisons ---------------------

    /** The backup a restore of {@code date} (default today) would use; fails like restore would. */
    public BackupFile backupFor(String section, DateSpec date) {
        return findBackup(target(section), orToday(date));
    }

    /** The name a restore of that backup creates. */
    public String databaseFor(String section, BackupFile backup) {
        return DatedDatabase.name(section(section).dbname(), backup.date());
    }

    /** Catalog filter summary of one backup, reading only the catalog at the start of the file. */
    public CatalogReport catalogOf(String section, BackupFile backup) {
        FilterSummary f = CatalogPreparer.report(target(section), backup, Writer.nullWriter());
        return new CatalogReport(f.total(), f.kept(), f.excludedSchemas(), f.nodataTables(), f.droppedTriggers());
    }

    /** The server key restores of this section queue on: one restore at a time per PostgreSQL server. */
    public String serverOf(String section) {
        return ServerKey.of(section(section)).toString();
    }

    /** The database the alias points to now, if any. */
    public java.util.Optional<String> activeCopy(String section) {
        return new DatedCopies(target(section)).active;
    }

    /** pgbouncer clients and PostgreSQL backends of one copy (date given) or of every dated copy. */
    public List<ConnectedClient> connections(String section, DateSpec date) {
        StagingTarget t = target(section);
        DatedCopies copies = new DatedCopies(t);
        List<String> dbs = date == null ? new ArrayList<>(copies.byDate.values()) : List.of(copies.resolve(date));
        List<ConnectedClient> out = new ArrayList<>();
        List<org.pgstaging.pgbouncer.ClientRow> clients;
        try {
            clients = t.pgbouncer().console().showClients();
        } catch (RuntimeException e) {
            clients = List.of();
        }
        for (String db : dbs) {
            for (org.pgstaging.pgbouncer.ClientRow c : clients) {
                if (db.equals(c.database())) {
                    out.add(new ConnectedClient("pgbouncer", db, c.user(), c.applicationName(),
                            c.addr() + (c.port() == null ? "" : ":" + c.port()), c.state()));
                }
            }
            if (copies.inPostgres.contains(db)) {
                for (ClusterAdmin.BackendSession b : t.admin().sessions(db)) {
                    out.add(new ConnectedClient("postgres", db, b.user(), b.application(), b.address(), b.state()));
                }
            }
        }
        return out;
    }

    /** Size, table count and the {@code largest} biggest tables of a copy. */
    public CopyStats copyStats(String section, String database, int largest) {
        StagingTarget t = target(section);
        long bytes = t.admin().size(database).orElse(-1L);
        org.pgstaging.postgres.TableStats stats = t.admin().tableStats(database, largest);
        return new CopyStats(database, bytes, stats.tableCount(), stats.largest().stream()
                .map(x -> new CopyStats.LargeTable(x.schema(), x.name(), x.rowEstimate(), x.bytes())).toList());
    }

    // ---- helpers ----------------------------------------------------------------------

    private BackupFile findBackup(StagingTarget t, DateSpec date) {
        String dbname = t.section().dbname();
        List<BackupFile> list = t.backups().list(dbname);
        Optional<LocalDate> d = date.resolve(list.stream().map(BackupFile::date).toList(), LocalDate.now());
        if (d.isEmpty()) {
            throw new PgStagingException("no dump of " + dbname + " in " + t.backups().describe(),
                    "check backup_host and backup_base_url of [" + t.section().name() + "]");
        }
        return list.stream().filter(b -> b.date().equals(d.get())).findFirst().orElseThrow(() -> new PgStagingException(
                "no dump " + dbname + "." + d.get() + ".dump in " + t.backups().describe(),
                list.isEmpty() ? "the listing has no dump of " + dbname
                        : "available dates: " + String.join(", ", list.stream()
                        .sorted(Comparator.comparing(BackupFile::date).reversed()).limit(10)
                        .map(b -> b.date().toString()).toList())));
    }

    /** A name as SQL would need it written: bare when lower-case simple, double-quoted otherwise. */
    private static String sqlName(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : org.pgstaging.postgres.Identifiers.quote(name);
    }

    private static DateSpec orToday(DateSpec date) {
        return date == null ? DateSpec.today() : date;
    }



    private RestoreListener both(RestoreListener l) {
        if (l == null || l == listener) return listener;
        return e -> {
            listener.on(e);
            l.on(e);
        };
    }

    private void wouldDo(RestoreListener l, String db, String what) {
        both(l).on(new RestoreEvent.Detail(db, null, "would: " + what));
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PgStagingException("cannot create directory " + dir + ": " + e.getMessage(),
                    "check tmpdir in the configuration or pass -t DIR", e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is harmless
        }
    }

}
