package org.pgstaging.job.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.config.ConfigException;
import org.pgstaging.config.Section;
import org.pgstaging.job.store.Completion;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.store.JobRequest;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.job.store.MutableClock;

class StallWatcherTest {
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T02:00:00Z"));
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    JobStore store;

    @BeforeEach
    void open() {
        store = JobStore.open(dir, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Job running(String section) {
        Job job = store.create(new JobRequest(JobKind.RESTORE, section, null, null, "db1:5432", "alice", false,
                null, null));
        return store.start(job.id());
    }

    @Test
    void firesOncePerStall() {
        Job job = running("foodb.dev");
        StallWatcher watcher = new StallWatcher(store, clock, StallWatcher.DEFAULT_STALL_AFTER,
                (j, silent) -> calls.add(j.id() + " silent " + silent.toMinutes() + "m"));

        clock.advance(Duration.ofMinutes(9));
        assertThat(watcher.check()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(watcher.check()).extracting(Job::id).containsExactly(job.id());
        clock.advance(Duration.ofMinutes(1));
        assertThat(watcher.check()).isEmpty();
        clock.advance(Duration.ofMinutes(5));
        assertThat(watcher.check()).isEmpty();
        assertThat(calls).containsExactly(job.id() + " silent 10m");

        // progress ends the stall; silence again is a new stall
        store.progress(job.id(), "restoring table orders");
        clock.advance(Duration.ofMinutes(9));
        assertThat(watcher.check()).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(watcher.check()).hasSize(1);
        assertThat(calls).hasSize(2);

        store.finish(job.id(), new Completion(JobState.DONE, JobStore.SYSTEM, null, null, null, null));
        clock.advance(Duration.ofMinutes(30));
        assertThat(watcher.check()).isEmpty();
    }

    @Test
    void thresholdPerSectionFromStallMinutes() {
        Section quick = new Section("quick.dev", Map.of("stall_minutes", "3"));
        Section plain = new Section("plain.dev", Map.of());
        assertThat(StallWatcher.stallAfter(quick)).isEqualTo(Duration.ofMinutes(3));
        assertThat(StallWatcher.stallAfter(plain)).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> StallWatcher.stallAfter(new Section("bad.dev", Map.of("stall_minutes", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[bad.dev] stall_minutes");

        Map<String, Section> config = Map.of("quick.dev", quick, "plain.dev", plain);
        Job q = running("quick.dev");
        running("plain.dev");
        StallWatcher watcher = new StallWatcher(store, clock, name -> StallWatcher.stallAfter(config.get(name)),
                (j, silent) -> calls.add(j.section()));
        clock.advance(Duration.ofMinutes(4));
        assertThat(watcher.check()).extracting(Job::id).containsExactly(q.id());
        assertThat(calls).containsExactly("quick.dev");
    }

    @Test
    void scheduledChecksRunOnTheirOwnAndAFailingListenerDoesNotStopThem() throws Exception {
        Job a = running("a.dev");
        clock.advance(Duration.ofMinutes(11));
        CountDownLatch secondJobSeen = new CountDownLatch(1);
        try (StallWatcher watcher = new StallWatcher(store, clock, Duration.ofMinutes(10), (j, silent) -> {
            calls.add(j.section());
            if (j.section().equals("b.dev")) secondJobSeen.countDown();
            throw new IllegalStateException("slack is down");
        })) {
            watcher.start(Duration.ofMillis(10));
            Job b = running("b.dev");
            clock.advance(Duration.ofMinutes(11));
            assertThat(secondJobSeen.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(watcher.check()).isEmpty();
            assertThat(calls).containsExactly("a.dev", "b.dev");
            assertThat(b.id()).isNotEqualTo(a.id());
        }
    }
}
