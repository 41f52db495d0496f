package org.pgstaging.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pgstaging.catalog.DataBlocks;

/** Which task each loader takes next. */
class LoadScheduleTest {
    private static final long MB = 1L << 20;
    private static final DataBlocks.Block BIG = new DataBlocks.Block(11, "TABLE DATA", "app.big", 0, 9 * MB, 1);
    private static final DataBlocks.Block MID = new DataBlocks.Block(12, "TABLE DATA", "app.mid", 9 * MB, 14 * MB, 2);
    private static final DataBlocks.Block SMALL = new DataBlocks.Block(13, "TABLE DATA", "app.small", 14 * MB, 14 * MB + 100, 3);
    /** Tables under LoadUnit.SMALL_BYTES, whose builds go together. */
    private static final DataBlocks.Block S1 = small(14, "app.s1", 900_000, 4);
    private static final DataBlocks.Block S2 = small(15, "app.s2", 900_000, 5);

    private static DataBlocks.Block small(int dumpId, String name, long length, int owner) {
        return new DataBlocks.Block(dumpId, "TABLE DATA", name, 20 * MB + dumpId * MB, 20 * MB + dumpId * MB + length, owner);
    }

    private static List<LoadUnit> units(DataBlocks.Block... blocks) {
        return Arrays.stream(blocks).map(b -> new LoadUnit(List.of(b))).toList();
    }

    private static LoadSchedule.Build key(int dumpId, DataBlocks.Block table) {
        return new LoadSchedule.Build(dumpId, table, true);
    }

    private static LoadSchedule.Build index(int dumpId, DataBlocks.Block table) {
        return new LoadSchedule.Build(dumpId, table, false);
    }

    @Test
    void theLargerTaskGoesFirstWhetherALoadOrABuild() throws Exception {
        LoadSchedule s = new LoadSchedule(units(BIG, MID, SMALL), 2);
        LoadSchedule.Task a = s.next();
        LoadSchedule.Task b = s.next();
        assertThat(a).isEqualTo(new LoadSchedule.Load(new LoadUnit(List.of(BIG))));
        assertThat(b).isEqualTo(new LoadSchedule.Load(new LoadUnit(List.of(MID))));
        s.done(a, List.of(index(21, BIG), index(22, BIG)));
        // an index of the 9 MB table before the 100-byte load
        LoadSchedule.Task c = s.next();
        assertThat(c).isEqualTo(index(21, BIG));
        s.done(b, List.of(index(23, MID)));
        assertThat(s.next()).as("two indexes of one table may be built at once").isEqualTo(index(22, BIG));
        s.done(c, List.of());
        assertThat(s.next()).isEqualTo(index(23, MID));
        LoadSchedule.Task last = s.next();
        assertThat(last).isEqualTo(new LoadSchedule.Load(new LoadUnit(List.of(SMALL))));
    }

    @Test
    void aConstraintNeverRunsBesideAnotherBuildOfItsTableAndTheWorkerWaitsForIt() throws Exception {
        LoadSchedule s = new LoadSchedule(units(BIG), 2);
        LoadSchedule.Task load = s.next();
        s.done(load, List.of(key(21, BIG), index(22, BIG)));
        LoadSchedule.Task first = s.next();
        assertThat(first).as("the key before the plain index").isEqualTo(key(21, BIG));
        CompletableFuture<LoadSchedule.Task> second = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                second.complete(s.next());
            } catch (InterruptedException e) {
                second.completeExceptionally(e);
            }
        });
        worker.start();
        while (worker.getState() != Thread.State.WAITING && !second.isDone()) Thread.onSpinWait();
        assertThat(second).as("the index waits for the key of the same table").isNotDone();
        s.done(first, List.of());
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(index(22, BIG));
        s.done(second.get(), List.of());
        assertThat(s.next()).as("all done").isNull();
    }

    @Test
    void aSingleWorkerBuildsATablesIndexesBeforeLoadingTheNextAndAStoppedScheduleHandsOutNothing() throws Exception {
        LoadSchedule s = new LoadSchedule(units(BIG, SMALL), 1);
        LoadSchedule.Task load = s.next();
        s.done(load, List.of(key(21, BIG)));
        assertThat(s.next()).isEqualTo(key(21, BIG));
        s.stop();
        assertThat(s.next()).isNull();
    }

    @Test
    void smallTablesBuildsMadePossibleTogetherAreOneTaskThatWeighsThemAllAndABigTablesEachTheirOwn() throws Exception {
        DataBlocks.Block waiting = small(16, "app.waiting", 1_500_000, 6);
        LoadSchedule s = new LoadSchedule(List.of(new LoadUnit(List.of(BIG)), new LoadUnit(List.of(S1, S2)),
                new LoadUnit(List.of(waiting))), 2);
        LoadSchedule.Task big = s.next();
        LoadSchedule.Task group = s.next();
        assertThat(group).isEqualTo(new LoadSchedule.Load(new LoadUnit(List.of(S1, S2))));
        s.done(group, List.of(key(31, S1), index(32, S1), index(33, S1), key(34, S2), index(35, S2), index(36, S2)));

        // each of its builds weighs less than the waiting load, all six more
        LoadSchedule.Build batch = (LoadSchedule.Build) s.next();
        assertThat(batch.dumpIds()).containsExactly(31, 32, 33, 34, 35, 36);
        assertThat(batch.tables()).containsExactly(S1.owner(), S2.owner());
        assertThat(batch.exclusive()).as("it holds keys").isTrue();
        assertThat(batch.weight()).isEqualTo(6 * 900_000L);
        assertThat(batch.of()).isEqualTo("2 small tables (app.s1 ... app.s2)");

        s.done(big, List.of(key(21, BIG), index(22, BIG)));
        assertThat(s.next()).as("the big table's key, alone").isEqualTo(key(21, BIG));
        assertThat(s.next()).as("its index waits for the key").isEqualTo(new LoadSchedule.Load(new LoadUnit(List.of(waiting))));
        s.done(key(21, BIG), List.of());
        assertThat(s.next()).isEqualTo(index(22, BIG));
    }

    @Test
    void aBatchHoldingAConstraintNeverRunsBesideAnotherBuildOfOneOfItsTables() throws Exception {
        DataBlocks.Block other = small(16, "app.other", 950_000, 6);
        DataBlocks.Block last = small(17, "app.last", 100, 7);
        LoadSchedule s = new LoadSchedule(List.of(new LoadUnit(List.of(S1, S2)), new LoadUnit(List.of(other)),
                new LoadUnit(List.of(last))), 2);
        LoadSchedule.Task group = s.next();
        LoadSchedule.Task otherLoad = s.next();
        s.done(group, List.of(key(31, S1), index(32, S1), index(33, S2)));
        LoadSchedule.Build batch = (LoadSchedule.Build) s.next();
        assertThat(batch.dumpIds()).containsExactly(31, 32, 33);

        // a foreign key from app.other to app.s2, heavier than the last load: it would go first but for the batch
        LoadSchedule.Build fk = new LoadSchedule.Build(41, other.name(), other.length(), new int[] {S2.owner(), other.owner()}, true);
        s.done(otherLoad, List.of(fk));
        assertThat(s.next()).isEqualTo(new LoadSchedule.Load(new LoadUnit(List.of(last))));
        s.done(batch, List.of());
        assertThat(s.next()).isEqualTo(fk);
    }

    @Test
    void batchesKeepEachTablesBuildsTogetherWithinTheirBoundsAndLeaveBigTablesAlone() {
        List<LoadSchedule.Build> made = new ArrayList<>();
        for (int t = 0; t < 200; t++) {
            DataBlocks.Block table = small(1000 + t, "app.t" + t, 100, 1000 + t);
            made.addAll(List.of(key(5000 + 3 * t, table), key(5001 + 3 * t, table), index(5002 + 3 * t, table)));
        }
        made.add(index(21, BIG));
        List<LoadSchedule.Build> tasks = LoadSchedule.batched(made);
        assertThat(tasks).contains(index(21, BIG));
        List<LoadSchedule.Build> batches = tasks.stream().filter(LoadSchedule.Build::batch).toList();
        assertThat(batches).hasSize(4).allMatch(b -> b.dumpIds().length <= LoadSchedule.BATCH_BUILDS);
        assertThat(batches.stream().mapToInt(b -> b.dumpIds().length).sum()).isEqualTo(600);
        assertThat(batches.stream().mapToInt(b -> b.tables().length).sum()).as("no table in two batches").isEqualTo(200);

        List<LoadSchedule.Build> heavy = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            DataBlocks.Block table = small(1000 + t, "app.t" + t, 1_000_000, 1000 + t);
            heavy.addAll(List.of(key(5000 + 3 * t, table), index(5001 + 3 * t, table), index(5002 + 3 * t, table)));
        }
        assertThat(LoadSchedule.batched(heavy)).as("3 MB of builds a table, at most 8 MiB a batch")
                .extracting(b -> b.tables().length).containsExactly(2, 2, 1);

        assertThat(LoadSchedule.batched(List.of(key(31, S1)))).as("alone, not a batch").containsExactly(key(31, S1))
                .noneMatch(LoadSchedule.Build::batch);
    }

    @Test
    void aHandOverStartsNoLoadWaitsForTheLoadsUnderWayAndReturnsTheBuildsStillRunning() throws Exception {
        LoadSchedule s = new LoadSchedule(units(BIG, MID, SMALL), 2);
        LoadSchedule.Task big = s.next();
        LoadSchedule.Task mid = s.next();
        CompletableFuture<List<LoadSchedule.Task>> handedOver = CompletableFuture.supplyAsync(() -> {
            try {
                return s.handOverOnceNoLoadRuns();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        s.done(big, List.of(index(21, BIG)));
        LoadSchedule.Task build = s.next();
        assertThat(build).as("a build may still start; the small load may not").isEqualTo(index(21, BIG));
        Thread.sleep(200);
        assertThat(handedOver).as("the mid load is still under way").isNotDone();
        s.done(mid, List.of(index(23, MID)));

        assertThat(handedOver.get(5, TimeUnit.SECONDS)).containsExactly(build);
        assertThat(s.next()).as("nothing more for the workers").isNull();
    }

    @Test
    void aHandOverAfterAFailureReturnsNothing() throws Exception {
        LoadSchedule s = new LoadSchedule(units(BIG, MID), 2);
        s.next();
        s.next();
        CompletableFuture<List<LoadSchedule.Task>> handedOver = CompletableFuture.supplyAsync(() -> {
            try {
                return s.handOverOnceNoLoadRuns();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        s.stop();
        assertThat(handedOver.get(5, TimeUnit.SECONDS)).isNull();
    }
}
