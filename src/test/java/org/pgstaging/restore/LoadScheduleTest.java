package org.pgstaging.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pgstaging.catalog.DataBlocks;

/** Which task each loader takes next. */
class LoadScheduleTest {
    private static final DataBlocks.Block BIG = new DataBlocks.Block(11, "TABLE DATA", "app.big", 0, 900, 1);
    private static final DataBlocks.Block MID = new DataBlocks.Block(12, "TABLE DATA", "app.mid", 900, 1400, 2);
    private static final DataBlocks.Block SMALL = new DataBlocks.Block(13, "TABLE DATA", "app.small", 1400, 1500, 3);

    private static List<LoadUnit> units(DataBlocks.Block... blocks) {
        return java.util.Arrays.stream(blocks).map(b -> new LoadUnit(List.of(b))).toList();
    }

    @Test
    void theLargerTaskGoesFirstWhetherALoadOrABuild() throws Exception {
        LoadSchedule s = new LoadSchedule(units(BIG, MID, SMALL), 2);
        LoadSchedule.Task a = s.next();
        LoadSchedule.Task b = s.next();
        assertThat(a).isEqualTo(new LoadSchedule.Load(new LoadUnit(List.of(BIG))));
        assertThat(b).isEqualTo(new LoadSchedule.Load(new LoadUnit(List.of(MID))));
        s.done(a, List.of(new LoadSchedule.Build(21, BIG, false), new LoadSchedule.Build(22, BIG, false)));
        // an index of the 900-byte table before the 100-byte load
        LoadSchedule.Task c = s.next();
        assertThat(c).isEqualTo(new LoadSchedule.Build(21, BIG, false));
        s.done(b, List.of(new LoadSchedule.Build(23, MID, false)));
        assertThat(s.next()).as("two indexes of one table may be built at once").isEqualTo(new LoadSchedule.Build(22, BIG, false));
        s.done(c, List.of());
        assertThat(s.next()).isEqualTo(new LoadSchedule.Build(23, MID, false));
        LoadSchedule.Task last = s.next();
        assertThat(last).isEqualTo(new LoadSchedule.Load(new LoadUnit(List.of(SMALL))));
    }

    @Test
    void aConstraintNeverRunsBesideAnotherBuildOfItsTableAndTheWorkerWaitsForIt() throws Exception {
        LoadSchedule s = new LoadSchedule(units(BIG), 2);
        LoadSchedule.Task load = s.next();
        s.done(load, List.of(new LoadSchedule.Build(21, BIG, true), new LoadSchedule.Build(22, BIG, false)));
        LoadSchedule.Task first = s.next();
        assertThat(first).as("the key before the plain index").isEqualTo(new LoadSchedule.Build(21, BIG, true));
        CompletableFuture<LoadSchedule.Task> second = CompletableFuture.supplyAsync(() -> {
            try {
                return s.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(second).as("the index waits for the key of the same table").isNotDone();
        s.done(first, List.of());
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(new LoadSchedule.Build(22, BIG, false));
        s.done(second.get(), List.of());
        assertThat(s.next()).as("all done").isNull();
    }

    @Test
    void aSingleWorkerBuildsATablesIndexesBeforeLoadingTheNextAndAStoppedScheduleHandsOutNothing() throws Exception {
        LoadSchedule s = new LoadSchedule(units(BIG, SMALL), 1);
        LoadSchedule.Task load = s.next();
        s.done(load, List.of(new LoadSchedule.Build(21, BIG, true)));
        assertThat(s.next()).isEqualTo(new LoadSchedule.Build(21, BIG, true));
        s.stop();
        assertThat(s.next()).isNull();
    }
}
