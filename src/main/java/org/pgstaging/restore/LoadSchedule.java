package org.pgstaging.restore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pgstaging.catalog.DataBlocks;

/**
 * What each of {@link BlockRestore}'s workers does next: load a data block, or build one index or
 * key of a table whose data is in. Why not one worker doing a table's data and then its indexes:
 * the last big table's indexes would then be built one after the other on one worker while the
 * others sit idle; here every index is its own task.
 *
 * <p>Largest first, loads and builds alike (a build weighs its table's data, a load its block), so
 * the longest tasks start early and the end is not one long task running alone: the classic
 * longest-processing-time rule. Since blocks load largest first, a loaded table's builds come
 * before the loads still waiting: on a link slower than the server this lets the download pause
 * while every worker builds (measured here, the server is the limit even at 10 MB/s per connection).
 * A primary key or unique constraint (ALTER TABLE, an exclusive lock)
 * never runs beside another build of the same table, which would only wait for it (pg_restore -j
 * keeps such items apart the same way), and goes before the table's plain indexes, which may then
 * run side by side. A foreign key (SHARE ROW EXCLUSIVE on both its tables) is exclusive on both.
 */
final class LoadSchedule {

    /** One unit of work: a block to load, or an index or key of a table to build. */
    sealed interface Task permits Load, Build { }

    record Load(LoadUnit unit) implements Task { }

    /**
     * An index, key or foreign key of {@code tables} (dump ids; a foreign key locks its own and the
     * one it references), named for the log by {@code of}, weighing {@code weight} bytes of data;
     * {@code exclusive}: an ALTER TABLE (constraint) rather than a CREATE INDEX.
     */
    record Build(int dumpId, String of, long weight, int[] tables, boolean exclusive) implements Task {
        /** An index or key of the table {@code block} fills. */
        Build(int dumpId, DataBlocks.Block block, boolean exclusive) {
            this(dumpId, block.name(), block.length(), new int[] {block.owner()}, exclusive);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Build b && b.dumpId == dumpId;
        }

        @Override
        public int hashCode() {
            return dumpId;
        }
    }

    private final Deque<Load> loads = new ArrayDeque<>();
    private final List<Build> builds = new ArrayList<>();
    private final int workers;
    /** Per table (its dump id): builds running on it, and whether one of them is exclusive. */
    private final Map<Integer, int[]> runningOn = new HashMap<>();
    private int running;
    private boolean stopped;

    LoadSchedule(List<LoadUnit> largestFirst, int workers) {
        largestFirst.forEach(u -> loads.add(new Load(u)));
        this.workers = workers;
    }

    /** The next task, waiting while none can start yet; null once everything is done or the schedule stopped. */
    synchronized Task next() throws InterruptedException {
        while (true) {
            if (stopped) return null;
            Build build = runnableBuild();
            boolean loadsLeft = !loads.isEmpty();
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
                running++;
                return build;
            }
            if (loadsLeft) {
                running++;
                return loads.poll();
            }
            if (running == 0 && builds.isEmpty()) return null;
            wait();
        }
    }

    /** {@code task} is done; {@code follow} are the builds it made possible (a loaded table's indexes). */
    synchronized void done(Task task, List<Build> follow) {
        running--;
        if (task instanceof Build b) {
            for (int t : b.tables()) {
                int[] on = runningOn.get(t);
                on[0]--;
                if (b.exclusive()) on[1] = 0;
                if (on[0] == 0) runningOn.remove(t);
            }
        }
        builds.addAll(follow);
        notifyAll();
    }

    /** A task failed or the restore is cancelled: no worker takes anything more. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
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

    private static final Comparator<Build> BY_SIZE = Comparator.<Build>comparingLong(Build::weight).reversed()
            .thenComparing(b -> !b.exclusive());
}
