package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.job.store.Replica;
import org.pgstaging.job.store.StateBackend;

/**
 * The keeper hands a dead bot's requests to the face, one the face could not take comes round again,
 * and a stopping bot keeps its own requests alive until it closes while it takes no others.
 */
class HeldRequestKeeperTest {
    @TempDir
    Path dir;

    @Test
    void aRequestTheFaceFailsToTakeComesRoundAgainWithOneMoreTakeover() throws Exception {
        try (JobStore store = JobStore.open(dir.resolve("state"))) {
            store.heldRequests().hold(HeldRequest.received("command:7.42.keeper", "restore foodb.dev latest", "U0ALICE1",
                    "C0STAGING1", null, Instant.now()), Replica.named("dead-bot/1/dddddd"));
            AtomicInteger calls = new AtomicInteger();
            List<HeldRequest> handed = new CopyOnWriteArrayList<>();
            try (HeldRequestKeeper keeper = new HeldRequestKeeper(store.heldRequests(), Replica.named("live-bot/2/eeeeee"))) {
                keeper.timing(Duration.ofMillis(50), Duration.ofSeconds(30));
                keeper.onOrphaned(r -> {
                    if (calls.incrementAndGet() == 1) throw new IllegalStateException("the face could not take it");
                    handed.add(r);
                });
                keeper.start();
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (handed.isEmpty() && System.nanoTime() < end) Thread.sleep(20);
            }
            assertThat(handed).extracting(HeldRequest::takeovers).as("taken, given back, taken again").containsExactly(2);
            assertThat(calls.get()).isEqualTo(2);
            assertThat(store.heldRequests().heartbeat(Replica.named("live-bot/2/eeeeee"))).as("held by the live bot now").isEqualTo(1);
        }
    }

    /**
     * On SIGTERM the bot stops its jobs (up to 30 s), then drains the requests it is answering (10 s):
     * a replica taking over after 30 s of silence must not find them silent meanwhile. On a shared
     * state, where takeover waits for silence.
     */
    @Test
    void aStoppingReplicaTakesNothingOverAndKeepsWhatItHoldsAliveUntilItCloses() throws Exception {
        Replica stopping = Replica.named("stopping-bot/1/aaaaaa");
        Replica other = Replica.named("other-bot/2/bbbbbb");
        Duration silence = Duration.ofMillis(1500);
        try (JobStore store = JobStore.open(StateBackend.POSTGRES.fresh(dir), Clock.systemUTC())) {
            store.heldRequests().hold(HeldRequest.received("command:7.42.answering", "restore foodb.dev latest", "U0ALICE1",
                    "C0STAGING1", null, Instant.now()), stopping);
            store.heldRequests().hold(HeldRequest.received("command:7.43.orphan", "restore foodb.dev latest", "U0BOB0001",
                    "C0STAGING1", null, Instant.now()), Replica.named("dead-bot/1/dddddd"));
            List<HeldRequest> handed = new CopyOnWriteArrayList<>();
            HeldRequestKeeper keeper = new HeldRequestKeeper(store.heldRequests(), stopping);
            keeper.timing(Duration.ofMillis(100), Duration.ofMillis(200));
            keeper.onOrphaned(handed::add);
            keeper.stopTakingOver();
            keeper.start();
            Thread.sleep(silence.multipliedBy(2).toMillis());
            assertThat(handed).as("a stopping replica takes no orphan over").isEmpty();
            assertThat(store.heldRequests().takeOver(other, silence)).extracting(HeldRequest::key)
                    .as("its own request still has a heartbeat; the dead bot's is silent").containsExactly("command:7.43.orphan");

            keeper.close();
            Thread.sleep(silence.toMillis() + 500);
            assertThat(store.heldRequests().takeOver(other, silence)).extracting(HeldRequest::key)
                    .as("closed, its request falls silent and is taken over").containsExactly("command:7.42.answering");
        }
    }
}
