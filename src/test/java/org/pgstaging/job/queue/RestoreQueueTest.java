package org.pgstaging.job.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.store.HistoryAction;
import org.pgstaging.job.store.HistoryEntry;
import org.pgstaging.job.store.IllegalJobTransitionException;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.store.JobRequest;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;

class RestoreQueueTest {
    /** Bounds every wait inside runners so a broken queue fails the test instead of hanging it. */
    private static final long SAFETY_NET = 20;

    @TempDir
    Path dir;
    JobStore store;
    RestoreQueue queue;
    final EventLog log = new EventLog();
    final List<Long> runOrder = Collections.synchronizedList(new ArrayList<>());
    /** Runner per section, set before submitting: a job needing no approval may start at once. */
    final Map<String, JobRunner> behaviour = new ConcurrentHashMap<>();

    @BeforeEach
    void open() {
        store = JobStore.open(dir);
        queue = new RestoreQueue(store, (job, reporter) -> {
            runOrder.add(job.id());
            JobRunner r = behaviour.get(job.section());
            return r == null ? JobOutcome.done() : r.run(job, reporter);
        }, job -> InterruptCleanup.cleaned("nothing to clean")).progressInterval(Duration.ZERO).shutdownGrace(Duration.ofSeconds(5));
        queue.addListener(log);
    }

    @AfterEach
    void close() {
        queue.close();
        store.close();
    }

    static JobRequest request(String section, String server, boolean approval) {
        return new JobRequest(JobKind.RESTORE, section, "latest", null, server, "alice", approval, "C1", null);
    }

    /** A job that holds its server until the latch opens. */
    private Job blocker(String server, CountDownLatch release, CountDownLatch running) {
        behaviour.put("blocker.dev", (j, r) -> {
            running.countDown();
            release.await(SAFETY_NET, TimeUnit.SECONDS);
            return JobOutcome.done();
        });
        return queue.submit(request("blocker.dev", server, false));
    }

    @Test
    void firstApprovedIsFirstServedNotFirstRequested() throws Exception {
        queue.start();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        Job block = blocker("db1:5432", release, running);
        assertThat(running.await(SAFETY_NET, TimeUnit.SECONDS)).isTrue();

        Job a = queue.submit(request("a.dev", "db1:5432", true));
        Job b = queue.submit(request("b.dev", "db1:5432", true));
        Job c = queue.submit(request("c.dev", "db1:5432", true));
        assertThat(a.state()).isEqualTo(JobState.AWAITING_APPROVAL);
        queue.approve(c.id(), "dba");
        queue.approve(a.id(), "dba");
        queue.approve(b.id(), "dba");
        assertThat(queue.position(c.id())).isEqualTo(OptionalInt.of(1));
        assertThat(queue.position(b.id())).isEqualTo(OptionalInt.of(3));
        assertThat(queue.position(block.id())).isEmpty();
        assertThat(queue.queued("db1:5432")).extracting(Job::id).containsExactly(c.id(), a.id(), b.id());

        QueueSnapshot snap = queue.snapshot();
        QueueSnapshot.ServerQueue server = snap.server("db1:5432").orElseThrow();
        assertThat(server.running()).map(Job::id).contains(block.id());
        assertThat(server.queued()).extracting(Job::id).containsExactly(c.id(), a.id(), b.id());
        assertThat(server.position(a.id())).isEqualTo(OptionalInt.of(2));

        release.countDown();
        log.awaitState(b.id(), JobState.DONE);
        assertThat(runOrder).containsExactly(block.id(), c.id(), a.id(), b.id());
        assertThat(queue.snapshot().isEmpty()).isTrue();
    }

    @Test
    void serversRunSideBySideWhileOneServerSerializes() throws Exception {
        queue.start();
        CyclicBarrier bothServersBusy = new CyclicBarrier(2);
        Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicBoolean firstOnDb1Finished = new AtomicBoolean();
        Job[] later = new Job[1];
        JobRunner meetOtherServer = (job, r) -> {
            AtomicInteger n = active.computeIfAbsent(job.serverKey(), k -> new AtomicInteger());
            if (n.incrementAndGet() > 1) overlaps.incrementAndGet();
            try {
                bothServersBusy.await(SAFETY_NET, TimeUnit.SECONDS); // only passes if both servers run at once
                if (job.serverKey().equals("db1:5432") && store.get(later[0].id()).state() != JobState.QUEUED) {
                    overlaps.incrementAndGet();
                }
            } finally {
                n.decrementAndGet();
            }
            if (job.serverKey().equals("db1:5432")) firstOnDb1Finished.set(true);
            return JobOutcome.done();
        };
        Job first = queue.submit(request("a.dev", "db1:5432", true));
        Job second = queue.submit(request("b.dev", "db1:5432", true));
        Job other = queue.submit(request("c.dev", "db2:5432", true));
        later[0] = second;
        behaviour.put("a.dev", meetOtherServer);
        behaviour.put("c.dev", meetOtherServer);
        behaviour.put("b.dev", (job, r) -> {
            if (!firstOnDb1Finished.get()) overlaps.incrementAndGet();
            return JobOutcome.done();
        });
        queue.approve(first.id(), "dba");
        queue.approve(second.id(), "dba");
        queue.approve(other.id(), "dba");

        log.awaitState(second.id(), JobState.DONE);
        log.awaitState(other.id(), JobState.DONE);
        assertThat(store.get(first.id()).state()).isEqualTo(JobState.DONE);
        assertThat(overlaps).hasValue(0);
        assertThat(store.get(second.id()).startedAt()).isAfterOrEqualTo(store.get(first.id()).finishedAt());
    }

    @Test
    void deniedJobNeverRuns() throws Exception {
        queue.addListener(e -> {
            throw new IllegalStateException("a broken listener must not disturb the queue");
        });
        queue.start();
        Job job = queue.submit(request("a.dev", "db1:5432", true));
        Job denied = queue.deny(job.id(), "dba", "the release is today");
        assertThat(denied.state()).isEqualTo(JobState.DENIED);
        assertThat(denied.denyReason()).isEqualTo("the release is today");
        JobEvent e = log.awaitState(job.id(), JobState.DENIED);
        assertThat(e.action()).isEqualTo(HistoryAction.DENY);
        assertThat(e.actor()).isEqualTo("dba");
        assertThat(e.previous()).isEqualTo(JobState.AWAITING_APPROVAL);
        assertThatThrownBy(() -> queue.approve(job.id(), "dba")).isInstanceOf(IllegalJobTransitionException.class);
        // a later job on the same server runs, so the worker was there to run the denied one had it been queued
        Job next = queue.submit(request("b.dev", "db1:5432", false));
        log.awaitState(next.id(), JobState.DONE);
        assertThat(runOrder).containsExactly(next.id());
    }

    @Test
    void cancelQueuedAndRunning() throws Exception {
        queue.start();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        behaviour.put("a.dev", (job, r) -> {
            r.progress("restoring");
            started.countDown();
            try {
                new CountDownLatch(1).await(SAFETY_NET, TimeUnit.SECONDS);
                return JobOutcome.failed("was never interrupted", null);
            } catch (InterruptedException e) {
                sawInterrupt.set(true);
                return JobOutcome.cancelled("dropped a_20240301");
            }
        });
        Job running = queue.submit(request("a.dev", "db1:5432", false));
        assertThat(started.await(SAFETY_NET, TimeUnit.SECONDS)).isTrue();
        Job waiting = queue.submit(request("b.dev", "db1:5432", false));
        Job waitingApproval = queue.submit(request("c.dev", "db1:5432", true));

        assertThat(queue.cancel(waiting.id(), "carol").state()).isEqualTo(JobState.CANCELLED);
        assertThat(queue.cancel(waitingApproval.id(), "carol").state()).isEqualTo(JobState.CANCELLED);
        Job asked = queue.cancel(running.id(), "carol");
        assertThat(asked.state()).isEqualTo(JobState.RUNNING);

        JobEvent cancelled = log.awaitState(running.id(), JobState.CANCELLED);
        assertThat(sawInterrupt).isTrue();
        assertThat(cancelled.actor()).isEqualTo("carol");
        assertThat(cancelled.job().cleanup()).isEqualTo("dropped a_20240301");
        assertThat(store.get(running.id()).cancelRequestedBy()).isEqualTo("carol");

        // the interrupt was for that runner only: the next job on the server runs undisturbed
        AtomicBoolean interruptedLater = new AtomicBoolean(true);
        behaviour.put("d.dev", (job, r) -> {
            interruptedLater.set(Thread.currentThread().isInterrupted());
            return JobOutcome.done();
        });
        Job after = queue.submit(request("d.dev", "db1:5432", false));
        log.awaitState(after.id(), JobState.DONE);
        assertThat(interruptedLater).isFalse();
        assertThat(runOrder).containsExactly(running.id(), after.id());
        assertThat(log.progress()).contains(running.id() + ":restoring");
        assertThat(store.history().forJob(running.id())).extracting(HistoryEntry::action).containsExactly(
                HistoryAction.REQUEST, HistoryAction.APPROVE, HistoryAction.START, HistoryAction.CANCEL,
                HistoryAction.CANCEL);
        assertThatThrownBy(() -> queue.cancel(running.id(), "carol")).isInstanceOf(IllegalJobTransitionException.class);
    }

    @Test
    void failedJobKeepsItsErrorAndCanBeRetriedOnce() throws Exception {
        queue.start();
        AtomicInteger runs = new AtomicInteger();
        behaviour.put("a.dev", (j, r) -> {
            if (runs.incrementAndGet() == 1) throw new PgStagingException("pg_restore exited with 1", "see the restore log");
            return JobOutcome.done();
        });
        Job job = queue.submit(request("a.dev", "db1:5432", false));
        JobEvent failed = log.awaitState(job.id(), JobState.FAILED);
        assertThat(failed.job().error()).isEqualTo("pg_restore exited with 1");
        assertThat(failed.job().failureHint()).as("kept apart, not in the message").isEqualTo("see the restore log");

        Job retry = queue.retry(job.id(), "dba");
        assertThat(retry.retryOf()).isEqualTo(job.id());
        log.awaitState(retry.id(), JobState.DONE);
        assertThat(runOrder).containsExactly(job.id(), retry.id());
        assertThatThrownBy(() -> queue.retry(job.id(), "dba")).isInstanceOf(PgStagingException.class)
                .hasMessageContaining("already retried");
        assertThatThrownBy(() -> queue.retry(retry.id(), "dba")).isInstanceOf(IllegalJobTransitionException.class);
    }

    @Test
    void jobsSubmittedBeforeStartWaitForIt() throws Exception {
        Job job = queue.submit(request("a.dev", "db1:5432", false));
        assertThat(queue.job(job.id()).map(Job::state)).contains(JobState.QUEUED);
        assertThat(runOrder).isEmpty();
        queue.start();
        log.awaitState(job.id(), JobState.DONE);
        assertThatThrownBy(() -> queue.start()).isInstanceOf(IllegalStateException.class);
    }
}
