package org.pgstaging.job;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pgstaging.job.queue.InterruptCleanup;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupSources;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.backup.DownloadListener;
import org.pgstaging.backup.DumpName;
import org.pgstaging.backup.HttpBackupSource;
import org.pgstaging.host.Command;
import org.pgstaging.host.CommandResult;
import org.pgstaging.postgres.DatedDatabase;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.SqlScripts;
import org.pgstaging.restore.StagingTarget;
import org.pgstaging.restore.Step;

/**
 * The verbs that act on existing copies: drop (also what a dead change left behind), switch the
 * alias, purge beyond keep_bases, vacuum, run the pre/post SQL, load the cluster globals, pg_dump.
 */
final class CopyVerbs {
    private final VerbContext c;

    CopyVerbs(VerbContext c) {
        this.c = c;
    }

    String drop(String section, DateSpec date) {
        StagingTarget t = c.target(section);
        DatedCopies copies = new DatedCopies(t);
        String db = copies.toDrop(date);
        if (c.options().dryRun()) {
            c.wouldDo(c.listener(), db, "KILL " + db + " in pgbouncer, remove its entry, RELOAD, DROP DATABASE " + db + " WITH (FORCE)");
            return db;
        }
        copies.drop(db);
        return db;
    }

    /** Drops {@code database}, which a change that died left behind; never the copy the alias points to. Says what it did. */
    InterruptCleanup dropLeftover(String section, String database, java.time.Instant runStarted) {
        StagingTarget t = c.target(section);
        DatedCopies copies = new DatedCopies(t);
        // a copy completed since the dead run started is that run's work; an older one was there before it
        boolean madeByTheRun = copies.completedSince(database, runStarted);
        if (copies.isActive(database)) {
            return new InterruptCleanup(database + (madeByTheRun ? " was completed by the interrupted run, and the alias points at it"
                    : " is the alias' copy") + ": left as is", madeByTheRun);
        }
        boolean existed = t.admin().exists(database);
        if (existed && !copies.isIncomplete(database)) {
            if (!madeByTheRun) return InterruptCleanup.cleaned(database + " is a complete copy: left as is");
            // the dead run had finished the copy (it is marked complete just before pgbouncer is told):
            // finish what it did not, as the restore would have
            if (copies.inPgbouncer(database)) return InterruptCleanup.finished(database + " was completed by the interrupted run: left as is");
            if (t.section().autoSwitch()) {
                t.pgbouncer().pointAlias(t.section().dbname(), database, t.pgbouncerEntryFor(database));
                return InterruptCleanup.finished(database + " was completed by the interrupted run: added it to pgbouncer and pointed "
                        + t.section().dbname() + " at it");
            }
            t.pgbouncer().addDatabase(database, t.pgbouncerEntryFor(database));
            return InterruptCleanup.finished(database + " was completed by the interrupted run: added it to pgbouncer");
        }
        boolean entry = copies.drop(database);
        return InterruptCleanup.cleaned((existed ? "dropped database " + database : database + " did not exist")
                + (entry ? "; removed it from pgbouncer" : ""));
    }

    String switchTo(String section, DateSpec date) {
        StagingTarget t = c.target(section);
        String db = new DatedCopies(t).toSwitchTo(date);
        if (c.options().dryRun()) {
            c.wouldDo(c.listener(), db, "point pgbouncer alias " + t.section().dbname() + " at " + db + " and RELOAD");
            return db;
        }
        t.pgbouncer().pointAlias(t.section().dbname(), db, t.pgbouncerEntryFor(db));
        return db;
    }

    List<String> purge(String section) {
        StagingTarget t = c.target(section);
        DatedCopies copies = new DatedCopies(t);
        Map<String, String> doomed = copies.purgeable(t.section().keepBases());
        doomed.forEach((db, why) -> {
            if (c.options().dryRun()) {
                c.wouldDo(c.listener(), db, "drop " + db + " (" + why + ")");
            } else {
                copies.drop(db);
            }
        });
        return new ArrayList<>(doomed.keySet());
    }

    void vacuumdb(String section, DateSpec date, RestoreListener l) {
        StagingTarget t = c.target(section);
        String db = new DatedCopies(t).resolveOrActive(date);
        if (c.options().dryRun()) {
            c.wouldDo(l, db, "VACUUM ANALYZE " + db);
            return;
        }
        RestoreListener out = c.both(l);
        out.on(new RestoreEvent.StepStarted(db, Step.VACUUM, db));
        long start = System.nanoTime();
        t.admin().vacuumAnalyze(db);
        out.on(new RestoreEvent.StepFinished(db, Step.VACUUM, Duration.ofNanos(System.nanoTime() - start), db));
    }

    List<Path> sourceSql(String section, DateSpec date, boolean pre, RestoreListener l) {
        StagingTarget t = c.target(section);
        String db = new DatedCopies(t).resolveOrActive(date);
        List<Path> files = SqlScripts.files(t, pre);
        if (c.options().dryRun()) {
            files.forEach(f -> c.wouldDo(l, db, "psql -f " + f));
            return files;
        }
        if (!files.isEmpty()) t.tools().checkPsql(section);
        SqlScripts.run(t, db, files, pre ? Step.PRE_SQL : Step.POST_SQL, c.both(l));
        return files;
    }

    void initCluster(String section, RestoreListener l) {
        StagingTarget t = c.target(section);
        String url = t.section().dumpallUrl().orElseThrow(() -> new PgStagingException(
                "[" + section + "] has no dumpall_url", "set dumpall_url to the pg_dumpall -g file of the production cluster"));
        if (c.options().dryRun()) {
            c.wouldDo(l, t.section().maintdb(), "download " + url + " and psql -f it into " + t.section().maintdb());
            return;
        }
        t.tools().checkPsql(section);
        URI uri = BackupSources.dumpallUrl(t.section()).orElseThrow();
        String base = Path.of(uri.getPath()).getFileName() == null ? "globals.sql" : Path.of(uri.getPath()).getFileName().toString();
        Path file = new HttpBackupSource(uri).download(uri, VerbContext.mkdirs(t.section().tmpdir()).resolve(section + "." + base),
                DownloadListener.NONE);
        RestoreListener out = c.both(l);
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
            VerbContext.delete(file);
        }
    }

    Path dump(String section, DateSpec date, Path file, boolean overwrite) {
        StagingTarget t = c.target(section);
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
        if (c.options().dryRun()) {
            c.wouldDo(c.listener(), db, "pg_dump -Fc " + db + " to " + out);
            return out;
        }
        VerbContext.mkdirs(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling("." + out.getFileName() + ".part");
        List<String> argv = t.tools().pgDumpCustom(t.postgres(), db, tmp);
        CommandResult r = t.runner().run(Command.of(argv).withEnv(t.postgres().libpqEnv()));
        if (!r.ok()) {
            VerbContext.delete(tmp);
            throw new PgStagingException("pg_dump of " + db + " failed: " + String.join(" | ", r.stderrTail()), null);
        }
        try {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
