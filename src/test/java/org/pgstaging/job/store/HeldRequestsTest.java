package org.pgstaging.job.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.pgstaging.job.model.HeldRequest;

/**
 * A chat request acknowledged by a replica that died is not lost: it stays held until answered, a
 * live replica keeps its own, a silent one's are taken over once each, and a job is made once per request.
 */
@ParameterizedClass
@EnumSource(StateBackend.class)
class HeldRequestsTest {
    static final Replica A = Replica.named("bot-a/1/a1a1a1");
    static final Replica B = Replica.named("bot-b/1/b2b2b2");
    static final Replica C = Replica.named("bot-c/1/c3c3c3");
    /** Long enough that a test machine stalling between two statements does not look like a dead replica. */
    static final Duration SILENCE = Duration.ofSeconds(2);

    @Parameter
    StateBackend backend;
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T14:00:00Z"));
    JobStore store;
    StoreThread otherSession;

    @BeforeEach
    void open() {
        StateLocation where = backend.fresh(dir);
        store = JobStore.open(where, clock);
        otherSession = new StoreThread(where);
        otherSession.open(() -> where.dataSource("pgstaging", "DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0").getConnection());
    }

    @AfterEach
    void close() {
        otherSession.close();
        store.close();
    }

    static HeldRequest request(String key) {
        return HeldRequest.received(key, "restore foodb.dev latest", "U0ALICE1", "C0STAGING1",
                "https://hooks.slack.com/commands/T0TEAM001/1234/abcd", Instant.parse("2026-12-01T13:59:58Z"));
    }

    @Test
    void aRequestIsHeldOnceWithWhatItSaysUntilAnswered() {
        HeldRequests held = store.heldRequests();
        assertThat(held.hold(request("command:1.42.aaa"), A)).isTrue();
        assertThat(held.hold(request("command:1.42.aaa"), B)).as("the same request delivered again").isFalse();
        HeldRequest form = HeldRequest.received("command:1.42.bbb", "restore foodb.dev latest", "U0ALICE1", "C0STAGING1", null,
                Instant.parse("2026-12-01T13:59:58Z"));
        assertThat(held.hold(form, A)).isTrue();
        assertThat(held.all()).containsExactly(request("command:1.42.aaa"), form);

        held.release("command:1.42.aaa");
        assertThat(held.all()).extracting(HeldRequest::key).containsExactly("command:1.42.bbb");
        held.release("command:1.42.aaa");
        assertThat(held.all()).hasSize(1);
    }

    @Test
    void aLiveReplicaKeepsItsRequestsASilentOnesAreTakenOverOnce() throws Exception {
        HeldRequests mine = store.heldRequests();
        HeldRequests theirs = new HeldRequests(otherSession, backend == StateBackend.POSTGRES);
        mine.hold(request("command:1.42.aaa"), A);
        if (backend == StateBackend.H2) {
            // H2 files have one process: whatever another process left is orphaned at once, whatever the silence
            List<HeldRequest> taken = theirs.takeOver(B, Duration.ofHours(1));
            assertThat(taken).extracting(HeldRequest::takeovers).containsExactly(1);
            assertThat(mine.heartbeat(A)).as("A no longer holds it").isZero();
            assertThat(theirs.takeOver(B, Duration.ofHours(1))).as("B's own").isEmpty();
            return;
        }
        assertThat(theirs.takeOver(B, SILENCE)).as("A just held it").isEmpty();
        Thread.sleep(SILENCE.toMillis() + 300);
        assertThat(mine.heartbeat(A)).isEqualTo(1);
        assertThat(theirs.takeOver(B, SILENCE)).as("A showed it is alive").isEmpty();
        Thread.sleep(SILENCE.toMillis() + 300);

        List<HeldRequest> taken = theirs.takeOver(B, SILENCE);
        assertThat(taken).hasSize(1);
        assertThat(taken.get(0)).isEqualTo(new HeldRequest("command:1.42.aaa", "restore foodb.dev latest", "U0ALICE1",
                "C0STAGING1", "https://hooks.slack.com/commands/T0TEAM001/1234/abcd", Instant.parse("2026-12-01T13:59:58Z"), 1, null));
        assertThat(mine.heartbeat(A)).as("A lost it").isZero();
        assertThat(theirs.takeOver(B, SILENCE)).as("B does not take its own").isEmpty();
        assertThat(mine.takeOver(C, SILENCE)).as("B is alive").isEmpty();
        Thread.sleep(SILENCE.toMillis() + 300);
        assertThat(mine.takeOver(C, SILENCE)).extracting(HeldRequest::takeovers).as("B fell silent in turn").containsExactly(2);
    }

    @Test
    void aRequestGivenBackIsTakenAgainAtOnceWithOneMoreTakeover() {
        HeldRequests mine = store.heldRequests();
        mine.hold(request("command:1.42.back"), A);
        mine.abandon("command:1.42.back");
        assertThat(mine.heartbeat(A)).as("A no longer holds it").isZero();
        List<HeldRequest> taken = mine.takeOver(A, Duration.ofHours(1));
        assertThat(taken).extracting(HeldRequest::takeovers).as("even by the replica that gave it back").containsExactly(1);
        if (backend == StateBackend.POSTGRES) {
            assertThat(mine.takeOver(B, Duration.ofHours(1))).as("held again, by a live replica").isEmpty();
        }
    }

    @Test
    void twoReplicasTakingOverAtOnceShareTheRequestsWithoutOverlap() throws Exception {
        HeldRequests mine = store.heldRequests();
        HeldRequests theirs = new HeldRequests(otherSession, backend == StateBackend.POSTGRES);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            keys.add("command:" + i + ".42.race");
            mine.hold(request("command:" + i + ".42.race"), A);
        }
        Thread.sleep(SILENCE.toMillis() + 300);
        ExecutorService takers = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<List<HeldRequest>>> got = new ArrayList<>();
            got.add(takers.submit(() -> {
                start.await();
                return mine.takeOver(B, SILENCE);
            }));
            got.add(takers.submit(() -> {
                start.await();
                return theirs.takeOver(C, SILENCE);
            }));
            List<String> all = new ArrayList<>();
            for (Future<List<HeldRequest>> f : got) f.get().forEach(r -> all.add(r.key()));
            assertThat(all).as("each request taken by one replica").doesNotHaveDuplicates();
            assertThat(new HashSet<>(all)).isEqualTo(keys);
        } finally {
            takers.shutdownNow();
        }
    }

    @Test
    void aJobIsMadeOncePerRequestKey() {
        JobRequest r = JobStoreTest.restore("foodb.dev", true);
        JobStore.Created first = store.createOnce(r, "command:1.42.aaa");
        JobStore.Created again = store.createOnce(r, "command:1.42.aaa");
        assertThat(first.isNew()).isTrue();
        assertThat(again.isNew()).isFalse();
        assertThat(again.job().id()).isEqualTo(first.job().id());
        assertThat(store.createOnce(r, "command:1.42.bbb").job().id()).isNotEqualTo(first.job().id());
        assertThat(store.create(r).id()).isNotEqualTo(store.create(r).id());
        assertThat(store.recent(10)).hasSize(4);
        assertThat(store.history().recent(100)).filteredOn(e -> e.action() == HistoryAction.REQUEST).hasSize(4);
    }

    @Test
    void aRequestWithoutKeyUserOrChannelIsRefusedBeforeAnythingIsStored() {
        HeldRequests held = store.heldRequests();
        assertThatThrownBy(() -> held.hold(HeldRequest.received(" ", "restore foodb.dev", "U0ALICE1", "C0STAGING1", null,
                Instant.now()), A)).isInstanceOf(JobStoreException.class).hasMessageContaining("request key");
        assertThatThrownBy(() -> held.hold(HeldRequest.received("command:1", "restore foodb.dev", null, "C0STAGING1", null,
                Instant.now()), A)).isInstanceOf(JobStoreException.class).hasMessageContaining("user id");
        assertThatThrownBy(() -> held.hold(HeldRequest.received("command:1", "x".repeat(4001), "U0ALICE1", "C0STAGING1", null,
                Instant.now()), A)).isInstanceOf(JobStoreException.class).hasMessageContaining("command text");
        assertThat(held.all()).isEmpty();
    }
}
