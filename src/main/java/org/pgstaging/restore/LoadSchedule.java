package org.pgstaging.restore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pgstaging.catalog.DataBlocks;

/**
 * What each of {@link BlockRestore}'s workers does next: load a data block, or build the indexes
 * and keys of a table whose data is in. Why not one worker doing a table's data and then its indexes:
 * the last big table's indexes would then be built one after the other on one worker while the
 * others sit idle; here every index of a big table is its own task.
 *
 * <p>Small tables' builds go together: those a finished task makes possible whose tables all hold
 * less than {@link LoadUnit#SMALL_BYTES} become batches, each built by one pg_restore. Why: each
 * build is a process that reads the whole catalog and connects, 20-40 ms even for a table of 10
 * rows, so a dump of a thousand small tables would cost thousands of them. A big table's builds
 * are long and stay one task each, so they spread over the workers.
 *
 * <p>Largest first, loads and builds alike (a build weighs its table's data, a batch the sum of its
 * builds', a load its block), so the longest tasks start early and the end is not one long task
 * running alone: the classic
 * longest-processing-time rule. Since blocks load largest first, a loaded table's builds come
 * before the loads still waiting: on a link slower than the server this lets the download pause
 * while every worker builds (measured here, the server is the limit even at 10 MB/s per connection).
 * A primary key or unique constraint (ALTER TABLE, an exclusive lock)
 * never runs beside another build of the same table, which would only wait for it (pg_restore -j
 * keeps such items apart the same way), and goes before the table's plain indexes, which may then
 * run side by side. A foreign key (SHARE ROW EXCLUSIVE on both its tables) is exclusive on both.
 * A batch locks all its tables, exclusively if any of its builds does.
 */
final class LoadSchedule {

    /** One unit of work: a block to load, or an index or key of a table to build. */
    sealed interface Task permits Load, Build { }

    record Load(LoadUnit unit) implements Task { }

    /**
     * Indexes, keys or foreign keys ({@code dumpIds}: one, or a batch of small tables') of
     * {@code tables} (dump ids; a foreign key locks its own and the one it references), named for
     * the log by {@code of}, weighing {@code weight} bytes of data (an index its table's, a foreign
     * key its larger table's, a batch the sum of its builds'); {@code exclusive}: an ALTER TABLE
     * (constraint) among them rather than only CREATE INDEX.
     */
    record Build(int[] dumpIds, String of, long weight, int[] tables, boolean exclusive) implements Task {
        Build(int dumpId, String of, long weight, int[] tables, boolean exclusive) {
            this(new int[] {dumpId}, of, weight, tables, exclusive);
        }

        /** An index or key of the table {@code block} fills. */
        Build(int dumpId, DataBlocks.Block block, boolean exclusive) {
            this(dumpId, block.name(), block.length(), new int[] {block.owner()}, exclusive);
        }

        boolean batch() {
            return dumpIds.length > 1;
        }

        /** {@code builds} as one task (the one build itself when alone): their ids in order, their tables, their weights summed. */
        static Build joined(List<Build> builds) {
            if (builds.size() == 1) return builds.get(0);
            int[] ids = builds.stream().flatMapToInt(b -> Arrays.stream(b.dumpIds())).toArray();
            int[] tables = builds.stream().flatMapToInt(b -> Arrays.stream(b.tables())).distinct().toArray();
            String of = tables.length == 1 ? builds.get(0).of()
                    : tables.length + " small tables (" + builds.get(0).of() + " ... " + builds.get(builds.size() - 1).of() + ")";
            return new Build(ids, of, builds.stream().mapToLong(Build::weight).sum(), tables,
                    builds.stream().anyMatch(Build::exclusive));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Build b && Arrays.equals(b.dumpIds, dumpIds);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(dumpIds);
        }

        @Override
        public String toString() {
            return "Build" + Arrays.toString(dumpIds) + " of " + of;
        }
    }

    /**
     * A batch holds at most this many builds, so its list and its run stay modest (one of 198 builds
     * of 66 small tables took 0.35-0.55 s here) and a large group's builds still spread over the
     * workers; nor more than {@link LoadUnit#GROUP_TABLES} tables or {@link LoadUnit#GROUP_BYTES}
     * of weight.
     */
    static final int BATCH_BUILDS = 200;

    private final Deque<Load> loads = new ArrayDeque<>();
    private final List<Build> builds = new ArrayList<>();
    private final int workers;
    /** Per table (its dump id): builds running on it, and whether one of them is exclusive. */
    private final Map<Integer, int[]> runningOn = new HashMap<>();
    /** The tasks given out and not done yet (by identity: two loads of equal blocks are two tasks). */
    private final java.util.Set<Task> running = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private boolean stopped;
    /** Set once every block is in the local copy: loads not started yet go to pg_restore -j, not to the workers. */
    private boolean noMoreLoads;

    LoadSchedule(List<LoadUnit> largestFirst, int workers) {
        largestFirst.forEach(u -> loads.add(new Load(u)));
        this.workers = workers;
    }

    /** The next task, waiting while none can start yet; null once everything is done or the schedule stopped. */
    synchronized Task next() throws InterruptedException {
        while (true) {
            if (stopped) return null;
            Build build = runnableBuild();
            boolean loadsLeft = !loads.isEmpty() && !noMoreLoads;
            // a single worker finishes a table before the next; otherwise the larger task goes first
            boolean buildFirst = build != null && (!loadsLeft || workers == 1
                    || build.weight() > loads.peek().unit().length());
            if (buildFirst) {
                builds.remove(build);
                for (int t : build.tables()) {
                    int[] on = runningOn.computeIfAbsent(t, k -> new int[2]);
                    on[0]++;
                    if (build.exclusive()) on[1] = 1;
                }
                running.add(build);
                return build;
            }
            if (loadsLeft) {
                Load load = loads.poll();
                running.add(load);
                return load;
            }
            if (running.isEmpty() && builds.isEmpty()) return null;
            wait();
        }
    }

    /**
     * {@code task} is done; {@code follow} are the builds it made possible (a loaded table's
     * indexes, foreign keys whose keys are in), each of one index or key: small tables' are batched.
     */
    synchronized void done(Task task, List<Build> follow) {
        running.remove(task);
        if (task instanceof Build b) {
            for (int t : b.tables()) {
                int[] on = runningOn.get(t);
                on[0]--;
                if (b.exclusive()) on[1] = 0;
                if (on[0] == 0) runningOn.remove(t);
            }
        }
        builds.addAll(batched(follow));
        notifyAll();
    }

    /** A task failed or the restore is cancelled: no worker takes anything more. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    /**
     * What is left goes elsewhere (one pg_restore -j reading the whole local copy): no load starts
     * any more, and once none is under way, no task at all; each worker ends once its task is done.
     * Returns the tasks (builds) under way then, which finish on their own: nothing that needs them
     * may run before they do; null when the schedule was stopped meanwhile (a task failed). Why wait
     * for the loads: until its COPY holds the table's lock, a load may be overtaken by a trigger or
     * a key created on its table, and a group reaches its tables one after the other.
     */
    synchronized List<Task> handOverOnceNoLoadRuns() throws InterruptedException {
        noMoreLoads = true;
        notifyAll();
        while (!stopped && running.stream().anyMatch(t -> t instanceof Load)) wait();
        if (stopped) return null;
        stopped = true;
        notifyAll();
        return List.copyOf(running);
    }

    /** The build of the largest table that may start now (its constraints before its plain indexes). */
    private Build runnableBuild() {
        Build best = null;
        for (Build b : builds) {
            boolean conflicts = false;
            for (int t : b.tables()) {
                int[] on = runningOn.get(t);
                if (on != null && on[0] > 0 && (on[1] == 1 || b.exclusive())) conflicts = true;
            }
            if (conflicts) continue;
            if (best == null || BY_SIZE.compare(b, best) < 0) best = b;
        }
        return best;
    }

    /**
     * {@code made} as tasks: a big table's builds each alone, small tables' in batches, a table's
     * builds in one batch (so they never wait for each other), in the order made.
     */
    static List<Build> batched(List<Build> made) {
        List<Build> out = new ArrayList<>();
        Map<Integer, List<Build>> smallByTable = new LinkedHashMap<>();
        for (Build b : made) {
            // a build weighs its largest table's data: under SMALL_BYTES, all its tables are small
            if (b.weight() < LoadUnit.SMALL_BYTES) smallByTable.computeIfAbsent(b.tables()[0], k -> new ArrayList<>()).add(b);
            else out.add(b);
        }
        List<Build> batch = new ArrayList<>();
        for (List<Build> ofTable : smallByTable.values()) {
            List<Build> grown = new ArrayList<>(batch);
            grown.addAll(ofTable);
            if (!batch.isEmpty() && !withinBounds(Build.joined(grown))) {
                out.add(Build.joined(batch));
                grown = ofTable;
            }
            batch = grown;
        }
        if (!batch.isEmpty()) out.add(Build.joined(batch));
        return out;
    }

    private static boolean withinBounds(Build batch) {
        return batch.dumpIds().length <= BATCH_BUILDS && batch.tables().length <= LoadUnit.GROUP_TABLES
                && batch.weight() <= LoadUnit.GROUP_BYTES;
    }

    private static final Comparator<Build> BY_SIZE = Comparator.<Build>comparingLong(Build::weight).reversed()
            .thenComparing(b -> !b.exclusive());
}
