package org.pgstaging.job.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.HistoryAction;
import org.pgstaging.job.store.HistoryEntry;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobRequest;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.job.store.Replica;
import org.pgstaging.job.store.StateBackend;
import org.pgstaging.job.store.StateLocation;
import org.pgstaging.testkit.PostgresServer;

/**
 * Two replicas (two queues, each with its own store connection, as two bot processes have) on one
 * PostgreSQL state database: each job runs once, one at a time per server, a replica whose slot
 * session dies gives its job up, and whichever replica takes the server next settles and re-runs it, and a cancel asked through
 * one replica stops the job the other runs.
 */
class ReplicaQueueTest {
    private static final long SAFETY_NET = 30;
    @TempDir Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<String, AtomicInteger> runningOn = new ConcurrentHashMap<>();
    private final Map<String, Integer> mostAtOnce = new ConcurrentHashMap<>();
    private final Map<Long, List<String>> runsOf = new ConcurrentHashMap<>();
    private final AtomicInteger cleanups = new AtomicInteger();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private RestoreQueue replica(StateLocation where, String name, JobRunner runner) {
        JobStore store = JobStore.open(where, Clock.systemUTC());
        open.add(store);
        RestoreQueue q = new RestoreQueue(store, Replica.named(name), runner, job -> {
            cleanups.incrementAndGet();
            return InterruptCleanup.cleaned("nothing to clean");
        }).timing(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(3))
                .progressInterval(Duration.ZERO).shutdownGrace(Duration.ofSeconds(5));
        open.add(q);
        return q;
    }

    /** Counts what runs where, at once; each run lasts {@code ms}. */
    private JobRunner counting(String replica, long ms) {
        return (job, reporter) -> {
            runsOf.computeIfAbsent(job.id(), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(replica);
            int now = runningOn.computeIfAbsent(job.serverKey(), k -> new AtomicInteger()).incrementAndGet();
            mostAtOnce.merge(job.serverKey(), now, Math::max);
            try {
                Thread.sleep(ms);
            } finally {
                runningOn.get(job.serverKey()).decrementAndGet();
            }
            return JobOutcome.done();
        };
    }

    /** Runs until interrupted (counted), then returns cancelled, as a restore being stopped does. */
    private static JobRunner untilInterrupted(CountDownLatch started, AtomicInteger interrupted) {
        return (job, reporter) -> {
            started.countDown();
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(SAFETY_NET));
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                return JobOutcome.cancelled("dropped the half-made copy");
            }
            return JobOutcome.done();
        };
    }

    private static JobRequest request(String section, String server) {
        return new JobRequest(JobKind.RESTORE, section, "latest", null, server, "U0ALICE1", false, "C0STAGING1", null);
    }

    @Test
    void everyJobRunsOnceAndOneAtATimePerServerWhicheverReplicaTakesIt() throws Exception {
        StateLocation where = StateBackend.POSTGRES.fresh(dir);
        RestoreQueue a = replica(where, "pod-a/1/aaaaaa", counting("a", 150));
        RestoreQueue b = replica(where, "pod-b/1/bbbbbb", counting("b", 150));
        a.start();
        b.start();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            RestoreQueue via = i % 2 == 0 ? a : b;
            jobs.add(via.submit(request("db" + (i % 3) + ".dev", "db" + (i % 3) + ":5432")));
        }
        await(() -> jobs.stream().allMatch(j -> a.store().get(j.id()).state() == JobState.DONE), "all jobs done");
        for (Job j : jobs) {
            assertThat(runsOf.get(j.id())).as("job #" + j.id() + " ran once").hasSize(1);
            assertThat(a.store().history().forJob(j.id()).stream().filter(e -> e.action() == HistoryAction.START)).hasSize(1);
        }
        assertThat(mostAtOnce).as("never two jobs at once on a server").allSatisfy((server, most) -> assertThat(most).isEqualTo(1));
        assertThat(jobs.stream().map(j -> a.store().get(j.id()).owner()).distinct())
                .as("owners are the replicas' names").allMatch(o -> o.startsWith("pod-"));
    }

    @Test
    void aReplicaWhoseSlotSessionDiesGivesItsJobUpAndTheNextToTakeTheServerSettlesAndRerunsIt() throws Exception {
        StateLocation where = StateBackend.POSTGRES.fresh(dir);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interruptedOnA = new AtomicInteger();
        JobRunner quick = counting("a", 10);
        JobRunner blocking = untilInterrupted(started, interruptedOnA);
        RestoreQueue a = replica(where, "pod-a/1/aaaaaa", (job, reporter) ->
                started.getCount() == 0 ? quick.run(job, reporter) : blocking.run(job, reporter));
        a.start();
        Job job = a.submit(request("foodb.dev", "db1:5432"));
        assertThat(started.await(SAFETY_NET, TimeUnit.SECONDS)).isTrue();
        RestoreQueue b = replica(where, "pod-b/1/bbbbbb", counting("b", 10));
        b.start();
        Thread.sleep(600);
        assertThat(runsOf).as("b waits while a holds the server").isEmpty();

        // a's slot session ends, as when its node drops off the network and PostgreSQL notices
        terminateSlotHolder(where, "db1:5432");
        await(() -> b.store().get(job.id()).state() == JobState.DONE, "the job a gave up to run again");
        Job done = b.store().get(job.id());
        assertThat(runsOf.get(job.id())).as("run again once, by whichever replica took the server next").hasSize(1);
        assertThat(done.owner()).isEqualTo("pod-" + runsOf.get(job.id()).get(0) + (runsOf.get(job.id()).get(0).equals("a")
                ? "/1/aaaaaa" : "/1/bbbbbb"));
        assertThat(done.attempt()).isEqualTo(1);
        await(() -> interruptedOnA.get() == 1, "a to stop its runner when its heartbeat failed");
        assertThat(cleanups).as("cleaned up after the lost run, once").hasValue(1);
        assertThat(b.store().history().forJob(job.id())).extracting(HistoryEntry::action).containsSubsequence(
                HistoryAction.START, HistoryAction.INTERRUPTED, HistoryAction.RETRY, HistoryAction.START, HistoryAction.DONE);
        assertThat(b.store().history().forJob(job.id()).stream().filter(e -> e.action() == HistoryAction.CANCEL))
                .as("a wrote no end for the run it gave up").isEmpty();
    }

    @Test
    void aCancelAskedThroughOneReplicaStopsTheJobTheOtherRuns() throws Exception {
        StateLocation where = StateBackend.POSTGRES.fresh(dir);
        CountDownLatch started = new CountDownLatch(1);
        RestoreQueue a = replica(where, "pod-a/1/aaaaaa", untilInterrupted(started, new AtomicInteger()));
        a.start();
        Job job = a.submit(request("foodb.dev", "db1:5432"));
        assertThat(started.await(SAFETY_NET, TimeUnit.SECONDS)).isTrue();
        RestoreQueue b = replica(where, "pod-b/1/bbbbbb", counting("b", 10));
        b.start();
        b.cancel(job.id(), "U0CAROL1");
        await(() -> b.store().get(job.id()).state() == JobState.CANCELLED, "the job cancelled");
        assertThat(b.store().get(job.id()).owner()).isEqualTo("pod-a/1/aaaaaa");
        assertThat(runsOf).as("b never ran it").isEmpty();
    }

    /** A replica hears, within its poll, that another one changed the queue (its Home tabs read it again). */
    @Test
    void aReplicaHearsThatAnotherMovedTheQueue() throws Exception {
        StateLocation where = StateBackend.POSTGRES.fresh(dir);
        RestoreQueue a = replica(where, "pod-a/1/aaaaaa", counting("a", 10));
        RestoreQueue b = replica(where, "pod-b/1/bbbbbb", counting("b", 10));
        AtomicInteger heard = new AtomicInteger();
        a.addListener(new QueueListener() {
            @Override
            public void jobChanged(JobEvent event) {
            }

            @Override
            public void storeMoved() {
                heard.incrementAndGet();
            }
        });
        a.start();
        b.start();
        await(() -> heard.get() >= 1, "the first poll");
        int before = heard.get();
        Thread.sleep(600);
        assertThat(heard.get()).as("nothing moved, nothing said").isEqualTo(before);
        b.submit(new JobRequest(JobKind.RESTORE, "foodb.dev", "latest", null, "db1:5432", "U0ALICE1", true, "C0STAGING1", null));
        await(() -> heard.get() > before, "a to hear of b's request");
    }

    private static void terminateSlotHolder(StateLocation where, String serverKey) throws Exception {
        String url = StateBackend.argument(where);
        try (Connection c = java.sql.DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                     + "AND granted AND objsubid = 2 AND objid::bigint = ?")) {
            ps.setLong(1, serverKey.hashCode() & 0x7fffffff);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("someone holds " + serverKey).isTrue();
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_NET);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    static {
        PostgresServer.shared();
    }
}
