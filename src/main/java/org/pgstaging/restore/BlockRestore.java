package org.pgstaging.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.pgstaging.PgStagingException;
import org.pgstaging.catalog.DataBlocks;
import org.pgstaging.config.SessionSettings;
import org.pgstaging.host.CommandResult;

/**
 * A restore that loads table data in parallel while it downloads: the dump's catalog is fetched
 * once (a custom-format file's head, a directory dump's toc.dat), pre-data is restored from it,
 * then each kept data block is fetched on its own ({@link BlockFeed}: a byte range fed behind the
 * head, or the item's file of a directory dump) and loaded by its own {@code pg_restore -L item}
 * (largest first, {@code restore_jobs} at a time). As soon as a table's data is in, its indexes and
 * primary key / unique constraints that need nothing else are built, a big table's each as its own
 * task, small tables' together ({@link LoadSchedule}), while other tables still load; so is each
 * foreign key once its tables and the key it references are in; the rest of post-data (triggers, indexes over several tables...)
 * then runs with {@code pg_restore -j N} on the catalog alone (post-data needs no data), with the
 * data items that have no block (sequence values: their values are in the catalog). When every
 * block is already in the feed's local copy once pre-data is done, the data and post-data go to
 * one {@code pg_restore -j N} reading that copy instead ({@link #fromWholeCopy}); when
 * the copy becomes whole while blocks load, so does everything not started yet once the loads
 * under way are done ({@link #handOver}).
 *
 * <p>A table's COPY is one statement: a block whose bytes break on the way loads nothing, so it is
 * fetched and loaded again, at most {@link #ATTEMPTS} times; large objects from a range are not
 * retried (they load one by one). Any other failure stops the others and fails the restore, which
 * the pipeline cleans up.
 */
final class BlockRestore {
    static final int ATTEMPTS = 3;

    private final StagingTarget target;
    private final EventEmitter events;
    private final SessionSettings settings;
    private final BlockFeed feed;
    private final DataBlocks blocks;
    private final String db;
    private final Path list;
    private final int jobs;
    /** Indexes already built right after their table's data (synchronized on itself). */
    private final BitSet indexesBuilt = new BitSet();
    /** Data blocks loaded (synchronized on itself). */
    private final BitSet loaded = new BitSet();
    /** Done once every planned block is in the feed's local copy (the feed counts what lands). */
    private final CompletableFuture<Void> copyWhole = new CompletableFuture<>();

    /** The kept blocks, largest first, their bytes, and the units they load as: read from the list once. */
    private List<DataBlocks.Block> todo;
    private long total;
    private List<LoadUnit> units;
    private BitSet kept;
    private boolean fetching;
    /** Bytes of the kept blocks fetched so far, as the feed counts them (fetched ahead, or as the loaders read). */
    private final AtomicLong fetched = new AtomicLong();
    private long fetchStarted;
    /** Set when the loads start: bytes fetched ahead before are reported then, not during the steps before. */
    private volatile boolean reporting;

    BlockRestore(StagingTarget target, EventEmitter events, SessionSettings settings, BlockFeed feed,
                 DataBlocks blocks, String db, Path list) {
        this.target = target;
        this.events = events;
        this.settings = settings;
        this.feed = feed;
        this.blocks = blocks;
        this.db = db;
        this.list = list;
        this.jobs = Math.max(1, target.section().restoreJobs());
    }

    private void plan() {
        if (todo != null) return;
        kept = keptIds();
        todo = feed.blocks(blocks, kept);
        total = todo.stream().mapToLong(DataBlocks.Block::length).sum();
        units = LoadUnit.of(todo, feed.groupsNeighboursOnly());
    }

    /**
     * Tells the feed what will load and in which order, so that it may start fetching the blocks
     * now: the pipeline calls it right after the catalog is read, so the download runs while the
     * database is created and pre SQL and pre-data run (whoever calls it stops the feed on failure).
     */
    void startFetching() {
        plan();
        if (fetching) return;
        fetching = true;
        fetchStarted = System.nanoTime();
        if (!units.isEmpty()) feed.planned(units, this::counted);
    }

    /** {@code n} more bytes fetched (or, negated, dropped with a broken attempt): the download's progress. */
    private void counted(long n) {
        long all = fetched.addAndGet(n);
        if (n > 0 && reporting) reportDownload(all);
        if (all >= total) copyWhole.complete(null);
    }

    private void reportDownload(long all) {
        double secs = Math.max(1e-3, (System.nanoTime() - fetchStarted) / 1e9);
        events.progress(Step.DOWNLOAD, Math.min(all, total), total, "bytes", all / secs);
    }

    /** Pre-data, the data blocks in parallel, then the sequence values with the rest of post-data. Returns the bytes fetched. */
    long run() {
        Path dir = list.getParent();
        plan();
        BitSet wanted = new BitSet();
        for (DataBlocks.Block b : todo) {
            wanted.set(b.dumpId());
            if (b.owner() >= 0) {
                blocks.indexesOf(b.owner()).forEach(wanted::set);
                tableBlocks.put(b.owner(), b);
            }
        }
        for (DataBlocks.EarlyForeignKey fk : blocks.earlyForeignKeys()) {
            if (kept.get(fk.dumpId())) {
                pendingKeys.add(fk);
                wanted.set(fk.dumpId());
            }
        }
        wanted.and(kept);
        Map<Integer, String> lines = listLines(wanted);
        Path rest = dir.resolve("." + db + ".post.list");
        try {
            long t0 = System.nanoTime();
            // pre-data on its own even when the copy is already whole: in one run with their data,
            // pg_restore -j empties each table with a TRUNCATE before its COPY (its WAL skip for
            // wal_level = minimal; 2,015 of them for the benchmark's 2,000-table dump), which the one
            // process spared (50-80 ms) was not shown to outweigh: this machine's noise hid both ways
            RestorePipeline.refuseFailed(section(list, false, "pre-data"), "pre-data");
            long t1 = System.nanoTime();
            Optional<Path> whole = todo.isEmpty() ? Optional.empty() : feed.wholeCopy();
            if (whole.isPresent()) return fromWholeCopy(whole.get(), t0, t1);
            boolean handedOver = loadBlocks(lines, dir);
            long t2 = System.nanoTime();
            if (handedOver) {
                events.detail(Step.PG_RESTORE, String.format(java.util.Locale.ROOT,
                        "pre-data %.2f s, data blocks, indexes and keys until the copy was whole, then the rest from it %.2f s",
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9));
                return fetched.get();
            }
            // what was built with its table's data is not built again; the data without blocks
            // (sequence values) comes from the catalog with the rest of post-data: one process at the tail, not two
            BitSet done;
            synchronized (indexesBuilt) {
                done = (BitSet) indexesBuilt.clone();
            }
            int built = done.cardinality();
            done.or(blocks.withBlocks());
            writeWithout(done, rest);
            RestorePipeline.refuseFailed(section(rest, jobs > 1, "data", "post-data"),
                    "data without blocks (sequence values) and post-data");
            long t3 = System.nanoTime();
            events.detail(Step.PG_RESTORE, String.format(java.util.Locale.ROOT,
                    "pre-data %.2f s, data blocks and the %d indexes and keys built with them %.2f s,"
                            + " sequence values and the rest of post-data %.2f s",
                    (t1 - t0) / 1e9, built, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
            return fetched.get();
        } finally {
            Cleanup.delete(rest);
        }
    }

    private CommandResult section(Path sectionList, boolean parallel, String... sections) {
        return new PgRestoreRunner(target, events, settings).runSections(db, feed.archive(), sectionList, parallel ? jobs : 1, sections);
    }

    /**
     * Every block came before pre-data was done (a link faster than the server): the data and
     * post-data go to one {@code pg_restore -j N} reading the local copy, as a downloaded dump
     * would. Why: its workers keep their connections from one item to the next, where a load or
     * build of this class starts a pg_restore that connects (50-100 ms each on 2 cores, a tenth
     * of a second or more per table on a fast link); once nothing is left to wait for on the
     * network, loading as blocks arrive has nothing to win.
     */
    private long fromWholeCopy(Path copy, long t0, long t1) {
        reporting = true;
        reportDownload(fetched.get());
        events.detail(Step.PG_RESTORE, "every data block was fetched before pre-data was done: data and post-data restored from "
                + copy + " by pg_restore" + (jobs > 1 ? " -j " + jobs : "") + ", as from a downloaded dump");
        RestorePipeline.refuseFailed(new PgRestoreRunner(target, events, settings).runSections(db, copy, list, jobs, "data", "post-data"),
                "data and post-data");
        long t2 = System.nanoTime();
        reportTables(todo.size(), t1);
        events.detail(Step.PG_RESTORE, String.format(java.util.Locale.ROOT,
                "pre-data %.2f s, data and post-data from the local copy %.2f s", (t1 - t0) / 1e9, (t2 - t1) / 1e9));
        return fetched.get();
    }

    /** The block filling each table, by the table's dump id. */
    private final Map<Integer, DataBlocks.Block> tableBlocks = new HashMap<>();
    /** Foreign keys not yet added, that may be as soon as what they need is in (guarded by itself). */
    private final List<DataBlocks.EarlyForeignKey> pendingKeys = new ArrayList<>();
    /** Tables whose data is in (guarded by pendingKeys). */
    private final BitSet loadedTables = new BitSet();

    /**
     * The foreign keys that became possible: their tables' data in, the keys they reference built.
     * Why not wait for post-data: validating a foreign key scans its table, which can run while
     * other tables still load.
     */
    private List<LoadSchedule.Build> readyForeignKeys(List<DataBlocks.Block> justLoaded) {
        List<LoadSchedule.Build> ready = new ArrayList<>();
        BitSet built;
        synchronized (indexesBuilt) {
            built = (BitSet) indexesBuilt.clone();
        }
        synchronized (pendingKeys) {
            for (DataBlocks.Block b : justLoaded) if (b.owner() >= 0) loadedTables.set(b.owner());
            for (java.util.Iterator<DataBlocks.EarlyForeignKey> it = pendingKeys.iterator(); it.hasNext(); ) {
                DataBlocks.EarlyForeignKey fk = it.next();
                boolean possible = java.util.Arrays.stream(fk.tables()).allMatch(loadedTables::get)
                        && java.util.Arrays.stream(fk.needs()).allMatch(built::get);
                if (!possible) continue;
                it.remove();
                DataBlocks.Block first = tableBlocks.get(fk.tables()[0]);
                long weight = java.util.Arrays.stream(fk.tables()).mapToLong(t -> tableBlocks.get(t).length()).max().orElse(0);
                ready.add(new LoadSchedule.Build(fk.dumpId(), first.name(), weight, fk.tables(), true));
            }
        }
        return ready;
    }

    /** {@code n} tables loaded since {@code since} (System.nanoTime()). */
    private void reportTables(long n, long since) {
        events.progress(Step.PG_RESTORE, n, todo.size(), "tables", n / Math.max(1e-3, (System.nanoTime() - since) / 1e9));
    }

    /**
     * The data blocks in parallel, each table's indexes and keys as soon as its data is in; returns
     * whether the copy became whole meanwhile and the rest went to pg_restore -j ({@link #handOver}).
     */
    private boolean loadBlocks(Map<Integer, String> lines, Path dir) {
        long start = System.nanoTime();
        events.detail(Step.DOWNLOAD, todo.size() + " data " + (blocks.inFiles() ? "files" : "blocks") + " (" + total
                + " bytes), " + jobs + " at a time, each loaded as it arrives");
        if (todo.isEmpty()) return false;
        long grouped = units.stream().filter(LoadUnit::grouped).count();
        if (grouped > 0) {
            events.detail(Step.DOWNLOAD, "small tables loaded together: " + units.size() + " loads for " + todo.size()
                    + " blocks (" + grouped + " groups, each in one transaction)");
        }
        int workers = Math.min(jobs, units.size());
        LoadSchedule schedule = new LoadSchedule(units, workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "block-restore-" + db);
            t.setDaemon(true);
            return t;
        });
        try {
            startFetching();
            reporting = true;
            long before = fetched.get();
            if (before > 0) reportDownload(before);
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(CompletableFuture.runAsync(() -> work(schedule, lines, dir, start), pool));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
            CompletableFuture.anyOf(all, copyWhole).get();
            Optional<Path> copy = all.isDone() ? Optional.empty() : feed.wholeCopy();
            List<LoadSchedule.Task> under = copy.isPresent() ? schedule.handOverOnceNoLoadRuns() : null;
            if (under != null) handOver(under, copy.get(), all, dir, start);
            all.get();
            return under != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgStagingException("cancelled while loading data blocks", null, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            throw new PgStagingException(String.valueOf(cause.getMessage()), null, cause);
        } finally {
            schedule.stop();
            pool.shutdownNow();
            feed.abortAll();
            try {
                pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One worker: the schedule's tasks, one after the other, until none is left or the schedule stops. */
    private void work(LoadSchedule schedule, Map<Integer, String> lines, Path dir, long start) {
        try {
            for (LoadSchedule.Task task = schedule.next(); task != null; task = schedule.next()) {
                if (task instanceof LoadSchedule.Load l) {
                    load(l.unit(), lines, dir);
                    long n;
                    synchronized (loaded) {
                        l.unit().blocks().forEach(b -> loaded.set(b.dumpId()));
                        n = loaded.cardinality();
                    }
                    reportTables(n, start);
                    List<LoadSchedule.Build> follow = new ArrayList<>();
                    for (DataBlocks.Block b : l.unit().blocks()) follow.addAll(buildsOf(b, lines));
                    follow.addAll(readyForeignKeys(l.unit().blocks()));
                    schedule.done(task, follow);
                } else if (task instanceof LoadSchedule.Build b) {
                    build(b, lines, dir);
                    schedule.done(task, readyForeignKeys(List.of()));
                }
            }
        } catch (InterruptedException e) {
            schedule.stop();
            Thread.currentThread().interrupt();
            throw new PgStagingException("cancelled while loading data blocks", null, e);
        } catch (RuntimeException | Error e) {
            schedule.stop();
            throw e;
        }
    }

    /**
     * The copy became whole while blocks still loaded (the link was the limit until then), and the
     * loads under way are done: what was not started goes to one {@code pg_restore -j N} reading
     * the copy, whose workers keep their connections, with the rest of post-data. The builds
     * {@code under} way finish on their own meanwhile; that pg_restore's items on their tables wait
     * for them on the tables' locks, and what depends on them (a comment on an index, a foreign
     * key on a key: they would not find it) waits for a second pg_restore once they end.
     */
    private void handOver(List<LoadSchedule.Task> under, Path copy, CompletableFuture<Void> all, Path dir, long start)
            throws InterruptedException, ExecutionException {
        BitSet building = new BitSet();
        for (LoadSchedule.Task t : under) {
            if (t instanceof LoadSchedule.Build b) for (int id : b.dumpIds()) building.set(id);
        }
        BitSet later = building.isEmpty() ? new BitSet() : org.pgstaging.catalog.Dependents.of(feed.archive(), building);
        later.and(kept);
        BitSet skip = (BitSet) later.clone();
        skip.or(building);
        synchronized (loaded) {
            skip.or(loaded);
        }
        synchronized (indexesBuilt) {
            skip.or(indexesBuilt);
        }
        Path rest = dir.resolve("." + db + ".rest.list");
        Path after = dir.resolve("." + db + ".after.list");
        try {
            writeWithout(skip, rest);
            events.detail(Step.PG_RESTORE, "every data block is in " + copy + " now: what is left goes to one pg_restore"
                    + (jobs > 1 ? " -j " + jobs : "") + " reading it, as from a downloaded dump"
                    + (under.isEmpty() ? "" : "; " + (under.size() == 1 ? "1 build under way finishes on its own"
                            : under.size() + " builds under way finish on their own")
                            + (later.isEmpty() ? "" : ", then the " + later.cardinality() + " items that need "
                            + (under.size() == 1 ? "it" : "them"))));
            PgRestoreRunner runner = new PgRestoreRunner(target, events, settings);
            RestorePipeline.refuseFailed(runner.runSections(db, copy, rest, jobs, "data", "post-data"),
                    "data and post-data left when the copy was whole");
            all.get();
            if (!later.isEmpty()) {
                BitSet others = (BitSet) kept.clone();
                others.andNot(later);
                writeWithout(others, after);
                RestorePipeline.refuseFailed(runner.runSections(db, copy, after, jobs, "data", "post-data"),
                        "items that needed the builds under way at the hand-over");
            }
            reportTables(todo.size(), start);
        } finally {
            Cleanup.delete(rest);
            Cleanup.delete(after);
        }
    }

    private void load(LoadUnit unit, Map<Integer, String> lines, Path dir) {
        DataBlocks.Block b = unit.first();
        Path itemList = dir.resolve("." + db + "." + b.dumpId() + ".list");
        try {
            // in file order: with its archive on stdin, pg_restore finds each block after the one before
            Files.write(itemList, unit.blocks().stream().map(x -> lines.get(x.dumpId())).toList(), StandardCharsets.UTF_8);
            int attempts = b.desc().equals("TABLE DATA") ? ATTEMPTS : 1;
            for (int attempt = 1; ; attempt++) {
                long t0 = System.nanoTime();
                CommandResult r = feed.load(new PgRestoreRunner(target, events, settings), db, unit, itemList, this::counted);
                if (r.ok()) {
                    events.detail(Step.PG_RESTORE, "loaded " + unit.name() + " (" + unit.length() + " bytes) in "
                            + String.format(java.util.Locale.ROOT, "%.2f s", (System.nanoTime() - t0) / 1e9));
                    return;
                }
                if (r.stdinFailure() != null && attempt < attempts && !Thread.currentThread().isInterrupted()) {
                    events.detail(Step.DOWNLOAD, "the range of " + unit.name() + " broke (" + r.stdinFailure().getMessage()
                            + "): fetching it again, attempt " + (attempt + 1) + " of " + attempts);
                    continue;
                }
                String why = r.stdinFailure() != null ? "its download broke: " + r.stdinFailure().getMessage()
                        : String.join("\n", r.stderrTail());
                throw new PgStagingException("loading the data of " + unit.name() + " failed: " + why,
                        RestorePipeline.hintForRestoreError(r.stderrTail()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + itemList, e);
        } finally {
            Cleanup.delete(itemList);
        }
    }

    /** The table's indexes and primary key / unique constraints that need nothing else: buildable now its data is in. */
    private List<LoadSchedule.Build> buildsOf(DataBlocks.Block b, Map<Integer, String> lines) {
        if (b.owner() < 0) return List.of();
        List<LoadSchedule.Build> out = new ArrayList<>();
        for (int id : blocks.indexesOf(b.owner())) {
            String line = lines.get(id);
            if (line != null) out.add(new LoadSchedule.Build(id, b, descOf(line).equals("CONSTRAINT")));
        }
        return out;
    }

    /**
     * One index or key, or a batch of small tables' (one pg_restore for them all), built while other
     * tables still load (rather than all after the last block).
     */
    private void build(LoadSchedule.Build b, Map<Integer, String> lines, Path dir) {
        // keys before the indexes and foreign keys that may need them: pg_restore -L keeps the list's order
        List<String> items = java.util.Arrays.stream(b.dumpIds()).mapToObj(lines::get)
                .sorted(java.util.Comparator.comparingInt(l -> BUILD_ORDER.indexOf(descOf(l)))).toList();
        String what = b.batch() ? items.size() + " indexes and keys of " + b.of()
                : descOf(items.get(0)).toLowerCase(java.util.Locale.ROOT) + " " + tagOf(items.get(0)) + " of " + b.of();
        Path buildList = dir.resolve("." + db + "." + b.dumpIds()[0] + ".index.list");
        try {
            Files.write(buildList, items, StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            RestorePipeline.refuseFailed(section(buildList, false, "post-data"), what);
            synchronized (indexesBuilt) {
                for (int id : b.dumpIds()) indexesBuilt.set(id);
            }
            events.detail(Step.PG_RESTORE, "built " + what + String.format(java.util.Locale.ROOT, " in %.2f s",
                    (System.nanoTime() - t0) / 1e9));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + buildList, e);
        } finally {
            Cleanup.delete(buildList);
        }
    }

    private static final List<String> BUILD_ORDER = List.of("CONSTRAINT", "INDEX", "FK CONSTRAINT");

    /** The entry type of a list line {@code 123; 2606 16400 CONSTRAINT app customers customers_pkey owner}: INDEX, CONSTRAINT or FK CONSTRAINT here. */
    private static String descOf(String line) {
        String[] words = line.substring(line.indexOf(';') + 1).strip().split(" ");
        if (words.length > 3 && words[2].equals("FK")) return "FK CONSTRAINT";
        return words.length > 2 ? words[2] : "";
    }

    /** The tag of such a line, without its schema and owner ({@code customers customers_pkey}), for the restore log. */
    private static String tagOf(String line) {
        int skip = descOf(line).equals("FK CONSTRAINT") ? 6 : 5;
        String[] words = line.substring(line.indexOf(';') + 1).strip().split(" ", skip);
        if (words.length < skip) return "";
        String rest = words[skip - 1];
        int owner = rest.lastIndexOf(' ');
        return owner > 0 ? rest.substring(0, owner) : rest;
    }

    /** The dump ids the filtered list keeps (lines not commented out). */
    private BitSet keptIds() {
        BitSet kept = new BitSet();
        try (BufferedReader r = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                int id = idOf(l);
                if (id > 0) kept.set(id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
        }
        return kept;
    }

    /** The list lines of {@code wanted} (blocks to load, indexes to build early), by dump id. */
    private Map<Integer, String> listLines(BitSet wanted) {
        Map<Integer, String> out = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                int id = idOf(l);
                if (id > 0 && wanted.get(id)) out.put(id, l);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
        }
        return out;
    }

    /** The list with the entries of {@code ids} commented out. */
    private void writeWithout(BitSet ids, Path out) {
        try (BufferedReader r = Files.newBufferedReader(list, StandardCharsets.UTF_8);
             Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                int id = idOf(l);
                w.write(id > 0 && ids.get(id) ? ";" + l : l);
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /** The dump id of a kept list line ({@code 123; 0 16588 TABLE DATA ...}), or -1. */
    private static int idOf(String line) {
        int semi = line.indexOf(';');
        if (semi <= 0) return -1;
        try {
            return Integer.parseInt(line.substring(0, semi).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

}
