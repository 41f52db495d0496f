package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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

/** The keeper hands a dead bot's requests to the face, and one the face could not take comes round again. */
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
}
