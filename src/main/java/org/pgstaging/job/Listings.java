package org.pgstaging.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.BackupSources;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.pgbouncer.PgbouncerEntry;
import org.pgstaging.restore.StagingTarget;

/** What exists: dated copies, backups, sizes (many servers asked at once, each pgbouncer.ini read once), settings. */
final class Listings {
    private final VerbContext c;

    Listings(VerbContext c) {
        this.c = c;
    }

    List<DatabaseInfo> databases(String section) {
        StagingTarget t = c.target(section);
        DatedCopies copies = new DatedCopies(t);
        List<DatabaseInfo> out = new ArrayList<>();
        copies.byDate.forEach((date, name) -> out.add(new DatabaseInfo(section, name, date, copies.isActive(name),
                copies.inPostgres.contains(name),
                copies.pgbouncerEntries.containsKey(name) ? copies.pgbouncerEntries.get(name).format() : null,
                copies.isIncomplete(name))));
        return out;
    }

    List<BackupFile> backups(String section, boolean local) {
        StagingTarget t = c.target(section);
        return local ? BackupSources.localDumps(t.section().tmpdir(), t.section().dbname())
                : t.backups().list(t.section().dbname());
    }

    DatabaseSize dbsize(String section, DateSpec date) {
        StagingTarget t = c.target(section);
        DatedCopies copies = new DatedCopies(t);
        String db = copies.resolveOrActive(date);
        return new DatabaseSize(section, db, t.admin().size(db).orElse(-1L), copies.isActive(db), copies.isIncomplete(db));
    }

    /** At most this many servers are asked at once by {@code dbsizes}: enough to hide latency, kind to servers. */
    private static final int DBSIZES_PARALLELISM = 8;

    List<DatabaseSize> dbsizes(List<String> sectionNames) {
        // one task per section, run on a bounded pool; results keep the order of the sections
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(DBSIZES_PARALLELISM, sectionNames.size())));
        // sections sharing a pgbouncer.ini (usually every section of a server) read it once: on a
        // remote server each read is an SSH round trip and a pgstaging-client start
        Map<String, FutureTask<Map<String, PgbouncerEntry>>> pgbouncerFiles =
                new ConcurrentHashMap<>();
        try {
            List<Future<List<DatabaseSize>>> futures = new ArrayList<>();
            for (String section : sectionNames) {
                futures.add(pool.submit(() -> sizesOf(section, pgbouncerFiles)));
            }
            List<DatabaseSize> out = new ArrayList<>();
            for (Future<List<DatabaseSize>> f : futures) {
                out.addAll(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgStagingException("dbsizes interrupted", null, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new PgStagingException("dbsizes failed: " + e.getCause(), null, e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private List<DatabaseSize> sizesOf(String section,
                                       Map<String, FutureTask<Map<String, PgbouncerEntry>>> pgbouncerFiles) {
        StagingTarget t = c.target(section);
        FutureTask<Map<String, PgbouncerEntry>> read = pgbouncerFiles.computeIfAbsent(
                t.pgbouncer().host().name() + "\0" + t.pgbouncer().configFile(),
                k -> new FutureTask<>(() -> t.pgbouncer().entries()));
        read.run();   // the first caller reads; the others wait for it in get()
        DatedCopies copies;
        try {
            copies = new DatedCopies(t, read.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgStagingException("dbsizes interrupted", null, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new PgStagingException("cannot read pgbouncer.ini: " + e.getCause(), null, e.getCause());
        }
        List<DatabaseSize> out = new ArrayList<>();
        for (String db : copies.byDate.values()) {
            out.add(new DatabaseSize(section, db, t.admin().size(db).orElse(-1L), copies.isActive(db), copies.isIncomplete(db)));
        }
        return out;
    }

    String show(String section, DateSpec date, String setting) {
        StagingTarget t = c.target(section);
        DatedCopies copies = new DatedCopies(t);
        return t.admin().show(copies.resolveOrActive(date), setting);
    }
}
