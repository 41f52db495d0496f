package org.pgstaging.job.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.job.store.HistoryAction;
import org.pgstaging.job.store.HistoryEntry;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.store.JobRequest;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;

/**
 * A "crash" closes the store under a running job, so the end of the run is never recorded,
 * exactly as when the process dies; the next process opens the same files.
 */
class RestartRecoveryTest {
    private static final long SAFETY_NET = 20;
    private static final String DB1 = "db1:5432";

    @TempDir
    Path dir;
    final List<Job> cleaned = Collections.synchronizedList(new ArrayList<>());
    final List<Long> runOrder = Collections.synchronizedList(new ArrayList<>());

    static JobRequest request(String section, boolean approval) {
        return new JobRequest(JobKind.RESTORE, section, "latest", null, DB1, "alice", approval, "C1", "17.5");
    }

    /** A process whose runner holds every job until the store is gone. */
    private final class DoomedProcess {
        final JobStore store = JobStore.open(dir);
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final RestoreQueue queue;

        DoomedProcess(boolean ignoreInterrupts) {
            queue = new RestoreQueue(store, (job, r) -> {
                r.targetDatabase(job.section().replace(".dev", "") + "_20240301");
                r.progress("restoring");
                started.countDown();
                awaitRelease(ignoreInterrupts);
                return JobOutcome.done();
            }, job -> {
                throw new AssertionError("nothing was interrupted before this process");
            }).progressInterval(Duration.ZERO).shutdownGrace(Duration.ofSeconds(5));
        }

        private void awaitRelease(boolean ignoreInterrupts) throws InterruptedException {
            while (true) {
                try {
                    release.await(SAFETY_NET, TimeUnit.SECONDS);
                    return;
                } catch (InterruptedException e) {
                    if (!ignoreInterrupts) throw e;
                }
            }
        }

        void awaitRunning() throws InterruptedException {
            assertThat(started.await(SAFETY_NET, TimeUnit.SECONDS)).isTrue();
        }

        void crash() {
            store.close();
            release.countDown(); // the runner's end can no longer be written
            queue.close();
        }
    }

    private RestoreQueue restart(JobStore store, EventLog log) {
        RestoreQueue queue = new RestoreQueue(store, (job, r) -> {
            runOrder.add(job.id());
            return JobOutcome.done();
        }, job -> {
            cleaned.add(job);
            return InterruptCleanup.cleaned("dropped " + job.targetDatabase());
        });
        queue.addListener(log);
        return queue;
    }

    @Test
    void runningJobIsCleanedAndRequeuedAtTheHeadWhileQueuedOnesKeepTheirOrder() throws Exception {
        DoomedProcess first = new DoomedProcess(false);
        first.queue.start();
        Job running = first.queue.submit(request("a.dev", false));
        first.awaitRunning();
        Job waiting1 = first.queue.submit(request("b.dev", true));
        Job waiting2 = first.queue.submit(request("c.dev", true));
        first.queue.approve(waiting2.id(), "dba");
        first.queue.approve(waiting1.id(), "dba");
        first.crash();

        EventLog log = new EventLog();
        try (JobStore store = JobStore.open(dir); RestoreQueue queue = restart(store, log)) {
            assertThat(store.get(running.id()).state()).isEqualTo(JobState.RUNNING);
            List<Job> recovered = queue.start();

            assertThat(recovered).extracting(Job::id).containsExactly(running.id());
            assertThat(recovered.get(0).state()).isEqualTo(JobState.QUEUED);
            assertThat(recovered.get(0).attempt()).isEqualTo(1);
            assertThat(recovered.get(0).finishedAt()).as("a re-queued job has not finished").isNull();
            assertThat(cleaned).extracting(Job::id, Job::state, Job::targetDatabase)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(running.id(), JobState.INTERRUPTED, "a_20240301"));

            log.awaitState(waiting1.id(), JobState.DONE);
            assertThat(runOrder).containsExactly(running.id(), waiting2.id(), waiting1.id());
            Job rerun = store.get(running.id());
            assertThat(rerun.state()).isEqualTo(JobState.DONE);
            assertThat(rerun.cleanup()).isEqualTo("dropped a_20240301");
            assertThat(store.history().forJob(running.id())).extracting(HistoryEntry::action).containsExactly(
                    HistoryAction.REQUEST, HistoryAction.APPROVE, HistoryAction.START, HistoryAction.INTERRUPTED,
                    HistoryAction.RETRY, HistoryAction.START, HistoryAction.DONE);
            assertThat(log.events()).anyMatch(e -> e.job().id() == running.id()
                    && e.action() == HistoryAction.INTERRUPTED && e.previous() == JobState.RUNNING);
        }
    }

    @Test
    void aSecondInterruptionLeavesTheJobInterrupted() throws Exception {
        DoomedProcess first = new DoomedProcess(false);
        first.queue.start();
        Job job = first.queue.submit(request("a.dev", false));
        first.awaitRunning();
        first.crash();

        // the second process re-queues it, runs it, and dies under it again
        JobStore secondStore = JobStore.open(dir);
        CountDownLatch startedAgain = new CountDownLatch(1);
        RestoreQueue second = new RestoreQueue(secondStore, (j, r) -> {
            startedAgain.countDown();
            new CountDownLatch(1).await(SAFETY_NET, TimeUnit.SECONDS);
            return JobOutcome.done();
        }, j -> InterruptCleanup.cleaned("dropped " + j.targetDatabase())).shutdownGrace(Duration.ofSeconds(5));
        second.start();
        assertThat(startedAgain.await(SAFETY_NET, TimeUnit.SECONDS)).isTrue();
        Job behind = second.submit(request("b.dev", false));
        secondStore.close();
        second.close();

        EventLog log = new EventLog();
        try (JobStore store = JobStore.open(dir); RestoreQueue queue = restart(store, log)) {
            List<Job> recovered = queue.start();
            assertThat(recovered).extracting(Job::id, Job::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(job.id(), JobState.INTERRUPTED));
            assertThat(cleaned).extracting(Job::id).containsExactly(job.id());
            log.awaitState(behind.id(), JobState.DONE);
            assertThat(runOrder).containsExactly(behind.id());
            Job settled = store.get(job.id());
            assertThat(settled.state()).isEqualTo(JobState.INTERRUPTED);
            assertThat(settled.attempt()).isEqualTo(1);
            assertThat(settled.error()).as("faces show why it stopped").startsWith("interrupted: ");
            List<HistoryEntry> history = store.history().forJob(job.id());
            assertThat(history).extracting(HistoryEntry::action).containsExactly(
                    HistoryAction.REQUEST, HistoryAction.APPROVE, HistoryAction.START, HistoryAction.INTERRUPTED,
                    HistoryAction.RETRY, HistoryAction.START, HistoryAction.INTERRUPTED, HistoryAction.INTERRUPTED);
            assertThat(history.get(history.size() - 1).detail()).contains("not re-queued");
            // a person can still retry it
            Job retry = queue.retry(job.id(), "dba");
            log.awaitState(retry.id(), JobState.DONE);
        }
    }

    @Test
    void jobCancelledWhileRunningIsNotRerunAfterACrash() throws Exception {
        DoomedProcess first = new DoomedProcess(true);
        first.queue.start();
        Job job = first.queue.submit(request("a.dev", false));
        first.awaitRunning();
        assertThat(first.queue.cancel(job.id(), "carol").state()).isEqualTo(JobState.RUNNING);
        first.crash();

        EventLog log = new EventLog();
        try (JobStore store = JobStore.open(dir); RestoreQueue queue = restart(store, log)) {
            List<Job> recovered = queue.start();
            assertThat(recovered).extracting(Job::state).containsExactly(JobState.CANCELLED);
            assertThat(cleaned).extracting(Job::id).containsExactly(job.id());
            Job after = store.get(job.id());
            assertThat(after.state()).isEqualTo(JobState.CANCELLED);
            assertThat(after.cleanup()).isEqualTo("dropped a_20240301");
            Job later = queue.submit(request("b.dev", false));
            log.awaitState(later.id(), JobState.DONE);
            assertThat(runOrder).containsExactly(later.id());
        }
    }

    @Test
    void aRunThatHadFinishedItsWorkBeforeTheCrashEndsDoneAndDoesNotRunAgain() throws Exception {
        Job job = crashedWhileRunning();

        try (JobStore store = JobStore.open(dir);
             RestoreQueue queue = new RestoreQueue(store, this::recordRun, j -> InterruptCleanup.finished("a_20240301 is a complete copy: added it to pgbouncer"))) {
            EventLog log = new EventLog();
            queue.addListener(log);
            List<Job> recovered = queue.start();
            assertThat(recovered).extracting(Job::state).containsExactly(JobState.DONE);
            Job done = store.get(job.id());
            assertThat(done.state()).isEqualTo(JobState.DONE);
            assertThat(done.attempt()).as("not re-queued").isZero();
            assertThat(done.cleanup()).contains("complete copy");
            assertThat(store.history().forJob(job.id())).extracting(HistoryEntry::action)
                    .containsSubsequence(HistoryAction.START, HistoryAction.INTERRUPTED, HistoryAction.DONE);
            Thread.sleep(300);
            assertThat(runOrder).as("nothing runs again").isEmpty();
        }
    }

    @Test
    void failedCleanupKeepsTheJobFromRerunning() throws Exception {
        Job job = crashedWhileRunning();

        try (JobStore store = JobStore.open(dir);
             RestoreQueue queue = new RestoreQueue(store, this::recordRun, j -> {
                 throw new IllegalStateException("database a_20240301 is in use");
             })) {
            List<Job> recovered = queue.start();
            assertThat(recovered).extracting(Job::state).containsExactly(JobState.INTERRUPTED);
            assertThat(store.get(job.id()).cleanup()).contains("cleanup failed").contains("in use");
            assertThat(runOrder).isEmpty();
        }
        // and it is not handled again at the next start: its cleanup outcome is recorded
        try (JobStore store = JobStore.open(dir); RestoreQueue queue = restart(store, new EventLog())) {
            assertThat(queue.start()).isEmpty();
            assertThat(cleaned).isEmpty();
        }
    }

    /** A job "a.dev" that a process was running when it died. */
    private Job crashedWhileRunning() throws Exception {
        DoomedProcess first = new DoomedProcess(false);
        first.queue.start();
        Job job = first.queue.submit(request("a.dev", false));
        first.awaitRunning();
        first.crash();
        return job;
    }

    private JobOutcome recordRun(Job job, ProgressReporter reporter) {
        runOrder.add(job.id());
        return JobOutcome.done();
    }
}
