package org.pgstaging.job.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A Slack request is handled once: the state database decides, even between two stores racing on one key. */
@ParameterizedClass
@EnumSource(StateBackend.class)
class DeliveriesTest {
    @Parameter
    StateBackend backend;
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-30T14:00:00Z"));
    StateLocation where;
    JobStore store;
    StoreThread otherSession;

    @BeforeEach
    void open() {
        where = backend.fresh(dir);
        store = JobStore.open(where, clock);
        // a second session on the same state, as another replica would hold (no bot lock: that is the job picker's)
        otherSession = new StoreThread(where);
        otherSession.open(() -> where.dataSource("pgstaging", "DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0").getConnection());
    }

    @AfterEach
    void close() {
        otherSession.close();
        store.close();
    }

    @Test
    void aKeyIsFirstOnceAndSurvivesReopening() {
        Deliveries d = store.deliveries();
        assertThat(d.first("event:Ev0PGSTAGE01")).isTrue();
        assertThat(d.first("event:Ev0PGSTAGE01")).isFalse();
        assertThat(d.first("command:1.4242424242.abc")).isTrue();

        store.close();
        store = JobStore.open(where, clock);
        assertThat(store.deliveries().first("event:Ev0PGSTAGE01")).as("a restart does not forget").isFalse();
        assertThat(store.deliveries().first("event:Ev0PGSTAGE02")).isTrue();
    }

    @Test
    void twoSessionsRacingOnEachKeyGetExactlyOneFirst() throws Exception {
        Deliveries mine = store.deliveries();
        Deliveries theirs = new Deliveries(otherSession, clock);
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            for (int k = 0; k < 40; k++) {
                String key = "action:" + k + ".4242424242.race";
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> answers = new ArrayList<>();
                for (Deliveries d : List.of(mine, theirs)) {
                    answers.add(racers.submit(() -> {
                        start.await();
                        return d.first(key);
                    }));
                }
                int firsts = 0;
                for (Future<Boolean> a : answers) firsts += a.get() ? 1 : 0;
                assertThat(firsts).as("firsts for " + key).isEqualTo(1);
            }
        } finally {
            racers.shutdownNow();
        }
        // nothing was left half done: both sessions still work
        assertThat(theirs.first("event:Ev0AFTERRACE")).isTrue();
        assertThat(mine.first("event:Ev0AFTERRACE")).isFalse();
    }

    @Test
    void keysOlderThanADayAreForgottenNowAndThen() {
        Deliveries d = store.deliveries();
        assertThat(d.first("command:old")).isTrue();
        clock.advance(Deliveries.KEEP.plus(Duration.ofMinutes(1)));
        assertThat(d.first("command:old")).as("pruned before this delivery").isTrue();
        assertThat(d.first("command:old")).isFalse();
    }

    @Test
    void aMissingKeyIsAProgrammingErrorNamedAsSuch() {
        assertThatThrownBy(() -> store.deliveries().first(" ")).isInstanceOf(JobStoreException.class)
                .hasMessageContaining("request key");
    }
}
