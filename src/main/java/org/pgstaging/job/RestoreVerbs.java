package org.pgstaging.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.backup.DumpName;
import org.pgstaging.catalog.FilterSummary;
import org.pgstaging.config.SessionSettings;
import org.pgstaging.postgres.CopyMark;
import org.pgstaging.postgres.DatedDatabase;
import org.pgstaging.restore.CatalogPreparer;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.RestorePipeline;
import org.pgstaging.restore.StagingTarget;
import org.pgstaging.restore.Step;
import org.pgstaging.restore.TargetRestore;

/**
 * The verbs that make a copy: restore (here, or by pgstaging-client on the server with
 * {@code restore_on = target}), load a dump file, fetch a backup, create an empty copy. A copy a
 * dead restore left incomplete is replaced, never one a live restore is making.
 */
final class RestoreVerbs {
    private final VerbContext c;

    RestoreVerbs(VerbContext c) {
        this.c = c;
    }

    RestoreResult restore(String section, DateSpec date, RestoreListener l) {
        StagingTarget t = c.targets().target(section);   // restoreOnTarget settles itself
        if (SectionTargets.restoresOnTarget(t.section())) return restoreOnTarget(t, date, l);
        RestorePipeline pipeline = new RestorePipeline(t, c.both(l));
        // the checks that need no dump (pgbouncer, restore_settings on the server, and with them the
        // loading of pgjdbc) run while the listing is fetched: ~0.1 s less before pg_restore starts
        CompletableFuture<SessionSettings> checked = CompletableFuture.supplyAsync(pipeline::checkServers,
                work -> StagingService.startDaemon("restore-checks", work));
        BackupFile backup = VerbContext.findBackup(t, VerbContext.orToday(date));
        String db = DatedDatabase.name(t.section().dbname(), backup.date());
        RestorePipeline.Plan plan = RestorePipeline.Plan.fromBackup(db, backup, t.section().removeDump());
        boolean replacing = replaceIncomplete(t, db, List.of(), l);
        return runPipeline(pipeline, t, plan, await(checked), l, replacing);
    }

    /**
     * A copy of this date left incomplete by a restore that died is replaced: this restore holds the
     * server's lock, so no live restore of this machine or another owns it, and a restore still
     * running on the server itself ({@code runningThere}, from its run records) is refused. Says so.
     * A complete copy of this date is refused. Returns whether there was such a copy (a dry run
     * only says it would drop it).
     */
    private boolean replaceIncomplete(StagingTarget t, String db, List<String> runningThere, RestoreListener l) {
        java.util.Map<String, String> found = t.admin().commentsStartingWith(db);
        String mark = found.get(db);
        if (found.containsKey(db) && !CopyMark.isIncomplete(mark)) throw RestorePipeline.alreadyExists(t, db);
        if (!CopyMark.isIncomplete(mark)) return false;
        if (runningThere.contains(db)) {
            throw new PgStagingException(db + " is being restored by a restore still running on " + t.pgbouncer().host().name(),
                    "wait for it to end, or cancel it from where it was started");
        }
        if (c.options().dryRun()) {
            c.wouldDo(l, db, "drop " + db + ", left incomplete by a restore that died (" + mark + ")");
            return true;
        }
        RestoreListener out = c.both(l);
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
        List<String> running = c.targets().settle(t, c.both(l), c.options().dryRun());
        TargetRestore remote = c.targets().onTarget(t, c.both(l));
        BackupFile backup = VerbContext.findBackup(t, VerbContext.orToday(date));
        String db = DatedDatabase.name(t.section().dbname(), backup.date());
        RestorePipeline.Plan plan = RestorePipeline.Plan.fromBackup(db, backup, t.section().removeDump());
        boolean replacing = replaceIncomplete(t, db, running, l);
        if (c.options().dryRun()) {
            if (!replacing) remote.check(plan);
            remote.describe(plan).forEach(line -> c.wouldDo(l, db, line));
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
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    RestoreResult load(String section, Path dumpFile, RestoreListener l) {
        StagingTarget t = c.target(section);
        Path file = dumpFile.isAbsolute() ? dumpFile : t.section().tmpdir().resolve(dumpFile);
        LocalDate date = DumpName.dateOfFile(file.getFileName().toString());
        if (!Files.isReadable(file)) {
            throw new PgStagingException("cannot read dump file " + file, "give an existing dump path (relative names are looked up in tmpdir)");
        }
        String db = DatedDatabase.name(t.section().dbname(), date);
        RestorePipeline pipeline = new RestorePipeline(t, c.both(l));
        RestorePipeline.Plan plan = RestorePipeline.Plan.fromFile(db, file);
        return runPipeline(pipeline, t, plan, pipeline.checkServers(), l, replaceIncomplete(t, db, List.of(), l));
    }

    private RestoreResult runPipeline(RestorePipeline pipeline, StagingTarget t, RestorePipeline.Plan plan,
                                      SessionSettings checked, RestoreListener l, boolean replacing) {
        if (c.options().dryRun()) {
            if (!replacing) pipeline.checkPlan(plan);
            FilterSummary catalog = pipeline.checkCatalog(plan);
            pipeline.describe(plan).forEach(line -> c.wouldDo(l, plan.database(), line));
            if (catalog != null) {
                c.wouldDo(l, plan.database(), "restore " + CatalogPreparer.describe(catalog));
                catalog.dependencyDrops().forEach(d -> c.wouldDo(l, plan.database(), "leave out " + d));
                if (catalog.moreDependencyDrops() > 0) {
                    c.wouldDo(l, plan.database(), "leave out " + catalog.moreDependencyDrops() + " more for what they need");
                }
            }
            return new RestoreResult(t.section().name(), plan.database(), false,
                    Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        // replaceIncomplete has just seen that the database is not there (or dropped it), under the server's lock
        RestorePipeline.Outcome o = pipeline.run(plan, checked, true);
        return new RestoreResult(t.section().name(), o.database(), o.switched(), o.download(), o.restore(), o.vacuum(), o.total());
    }

    Path fetch(String section, DateSpec date, RestoreListener l) {
        StagingTarget t = c.target(section);
        BackupFile backup = VerbContext.findBackup(t, VerbContext.orToday(date));
        if (c.options().dryRun()) {
            c.wouldDo(l, backup.fileName(), "download " + backup.location() + " to " + t.section().tmpdir());
            return t.section().tmpdir().resolve(backup.fileName());
        }
        RestoreListener out = c.both(l);
        String name = backup.fileName();
        out.on(new RestoreEvent.StepStarted(name, Step.DOWNLOAD, backup.location().toString()));
        long start = System.nanoTime();
        Path file = t.backups().download(backup, VerbContext.mkdirs(t.section().tmpdir()),
                (bytes, total, rate) -> out.on(new RestoreEvent.StepProgress(name, Step.DOWNLOAD, bytes, total, "bytes", rate)),
                t.section().downloadConnections());
        out.on(new RestoreEvent.StepFinished(name, Step.DOWNLOAD, Duration.ofNanos(System.nanoTime() - start), file.toString()));
        return file;
    }

    String createdb(String section, DateSpec date) {
        StagingTarget t = c.target(section);
        LocalDate d = VerbContext.orToday(date).fixedDate(LocalDate.now()).orElseThrow(() -> new PgStagingException(
                "createdb needs a date, not '" + date + "'", "give YYYY-MM-DD, YYYYMMDD or today"));
        String db = DatedDatabase.name(t.section().dbname(), d);
        if (c.options().dryRun()) {
            c.wouldDo(c.listener(), db, "CREATE DATABASE " + db + " and add it to pgbouncer");
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
}
