package org.pgstaging.job.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.job.store.Completion;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.store.JobRequest;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.job.store.MutableClock;

class EstimatorTest {
    private static final String DB1 = "db1:5432";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T02:00:00Z"));
    JobStore store;

    @BeforeEach
    void open() {
        store = JobStore.open(dir, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Job queued(String section, JobKind kind) {
        return store.create(new JobRequest(kind, section, null, null, DB1, "alice", false, null, null));
    }

    /** A past run of the section that took {@code seconds} for a dump of {@code bytes}. */
    private void past(String section, JobKind kind, Long bytes, long seconds) {
        Job job = queued(section, kind);
        store.start(job.id());
        clock.advance(Duration.ofSeconds(seconds));
        store.finish(job.id(), new Completion(JobState.DONE, JobStore.SYSTEM, null, null, null, bytes));
    }

    @Test
    void withoutHistoryNothingIsMadeUp() {
        past("foodb.dev", JobKind.RESTORE, 1000L, 10);
        Job other = queued("bardb.dev", JobKind.RESTORE);
        Job vacuum = queued("foodb.dev", JobKind.VACUUMDB);
        Estimator estimator = new Estimator(store);
        assertThat(estimator.duration(other)).isEmpty();
        assertThat(estimator.duration(vacuum)).isEmpty();

        List<ScheduleEstimate> plan = estimator.schedule(DB1);
        assertThat(plan).extracting(e -> e.job().id()).containsExactly(other.id(), vacuum.id());
        assertThat(plan.get(0).start()).contains(clock.instant());
        assertThat(plan.get(0).finish()).isEmpty();
        assertThat(plan.get(1).start()).isEmpty();
    }

    @Test
    void medianThroughputAppliesToAKnownDumpSizeElseMedianDuration() {
        past("foodb.dev", JobKind.RESTORE, 1000L, 10); // 100 B/s
        past("foodb.dev", JobKind.RESTORE, 2000L, 20); // 100 B/s
        past("foodb.dev", JobKind.RESTORE, 3000L, 60); //  50 B/s
        past("foodb.dev", JobKind.VACUUMDB, null, 600);
        Job sized = store.dumpBytes(queued("foodb.dev", JobKind.RESTORE).id(), 5000);
        Job unsized = queued("foodb.dev", JobKind.RESTORE);

        Estimator estimator = new Estimator(store);
        assertThat(estimator.duration(sized)).contains(Duration.ofSeconds(50));
        assertThat(estimator.duration(unsized)).contains(Duration.ofSeconds(20));
        // only the last N restores count: the two latest took 20 s and 60 s
        assertThat(new Estimator(store, clock, 2).duration(unsized)).contains(Duration.ofSeconds(40));
    }

    @Test
    void scheduleChainsFromWhatRunsNow() {
        past("foodb.dev", JobKind.RESTORE, null, 20);
        past("foodb.dev", JobKind.RESTORE, null, 20);
        Job running = queued("foodb.dev", JobKind.RESTORE);
        Instant startedAt = clock.instant();
        store.start(running.id());
        Job next = queued("foodb.dev", JobKind.RESTORE);
        Job unknown = queued("newdb.dev", JobKind.RESTORE);
        Job last = queued("foodb.dev", JobKind.RESTORE);
        clock.advance(Duration.ofSeconds(5));

        Estimator estimator = new Estimator(store);
        List<ScheduleEstimate> plan = estimator.schedule(DB1);
        assertThat(plan).extracting(e -> e.job().id()).containsExactly(running.id(), next.id(), unknown.id(), last.id());
        assertThat(plan.get(0).start()).contains(startedAt);
        assertThat(plan.get(0).finish()).contains(startedAt.plusSeconds(20));
        assertThat(plan.get(1).start()).contains(startedAt.plusSeconds(20));
        assertThat(plan.get(1).finish()).contains(startedAt.plusSeconds(40));
        assertThat(plan.get(2).start()).contains(startedAt.plusSeconds(40));
        assertThat(plan.get(2).duration()).isEmpty();
        assertThat(plan.get(2).finish()).isEmpty();
        assertThat(plan.get(3).duration()).contains(Duration.ofSeconds(20));
        assertThat(plan.get(3).start()).isEmpty();

        // an overrunning job is expected to end any moment, not in the past
        clock.advance(Duration.ofSeconds(60));
        assertThat(estimator.schedule(DB1).get(0).finish()).contains(clock.instant());
        assertThat(estimator.schedule(DB1).get(1).start()).contains(clock.instant());
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(Estimator.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Estimator.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
