package org.pgstaging.job.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.store.Completion;
import org.pgstaging.job.store.HistoryAction;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobRequest;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: jobs of one server (section {@code host} + {@code postgres_port}) run one at a
 * time in approval order, different servers side by side, each on a worker thread created on
 * demand. Every decision is stored in the {@link JobStore} before the method returns, so nothing
 * is lost to a restart; {@link #start()} recovers what a previous process left running.
 */
public final class RestoreQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreQueue.class);

    /** How many times a job is re-queued by itself after the process died under it. */
    public static final int MAX_REQUEUES = 1;

    private final JobStore store;
    private final JobRunner runner;
    private final InterruptedJobHandler onInterrupted;
    private final EventThread events = new EventThread();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ServerWorker> workers = new HashMap<>();
    private boolean started;
    private boolean recovering;
    private boolean closing;
    private volatile Duration shutdownGrace = Duration.ofSeconds(30);
    private volatile Duration progressInterval = Duration.ofSeconds(1);

    public RestoreQueue(JobStore store, JobRunner runner, InterruptedJobHandler onInterrupted) {
        this.store = store;
        this.runner = runner;
        this.onInterrupted = onInterrupted;
    }

    public JobStore store() { return store; }

    public void addListener(QueueListener listener) {
        events.add(listener);
    }

    /** How long {@link #close()} waits for interrupted runners to clean up and return (default 30 s). */
    public RestoreQueue shutdownGrace(Duration grace) {
        this.shutdownGrace = grace;
        return this;
    }

    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** Progress is written at most this often per job (default 1 s); listeners still get every report. */
    public RestoreQueue progressInterval(Duration interval) {
        this.progressInterval = interval;
        return this;
    }

    // ---- life cycle --------------------------------------------------------------------------

    /**
     * Recovers, then starts running. A job found RUNNING was cut short by the death of the previous
     * process: it is marked INTERRUPTED, handed to the {@link InterruptedJobHandler} and, if that
     * cleaned up, re-queued at the head of its server once ({@link #MAX_REQUEUES}); a job cancelled
     * while it ran ends CANCELLED instead. QUEUED jobs continue in their order.
     *
     * @return the recovered jobs, as they are after recovery
     */
    public List<Job> start() {
        lock.lock();
        try {
            if (started || recovering) throw new IllegalStateException("the restore queue is already started");
            if (closing) throw new IllegalStateException("the restore queue is closed");
            recovering = true;
        } finally {
            lock.unlock();
        }
        List<Job> recovered = new InterruptRecovery(store, onInterrupted, events, MAX_REQUEUES).recover();
        lock.lock();
        try {
            recovering = false;
            started = true;
            Set<String> servers = new LinkedHashSet<>();
            for (Job j : store.queued()) servers.add(j.serverKey());
            servers.forEach(this::wake);
        } finally {
            lock.unlock();
        }
        return recovered;
    }

    /**
     * Stops taking jobs and interrupts the running ones, waiting up to the shutdown grace for their
     * runners to return. A runner that returned in time had its job cleaned up: the job is handed
     * back (INTERRUPTED, then re-queued at the head of its server once, listeners told). One that
     * did not stays RUNNING in the store, so the next {@link #start()} cleans it up and re-queues it
     * as after a crash. Delivers the pending events, then returns. Does not close the store.
     */
    @Override
    public void close() {
        List<ServerWorker> stopping;
        lock.lock();
        try {
            if (closing) return;
            closing = true;
            stopping = new ArrayList<>(workers.values());
            for (ServerWorker w : stopping) {
                if (w.inRunner) w.thread.interrupt();
                w.wake.signalAll();
            }
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        for (ServerWorker w : stopping) {
            try {
                w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (w.thread.isAlive()) {
                LOG.warn("job on {} did not stop within {}; it will be handled as interrupted at the next start",
                        w.serverKey, shutdownGrace);
            }
        }
        events.close();
    }

    // ---- decisions -----------------------------------------------------------------------------

    /** Stores the request (durable on return): AWAITING_APPROVAL, or QUEUED when the section needs no approval. */
    public Job submit(JobRequest request) {
        lock.lock();
        try {
            Job job = store.create(request);
            events.changed(new JobEvent(job, null, HistoryAction.REQUEST, job.requestedBy()));
            if (job.state() == JobState.QUEUED) wake(job.serverKey());
            return job;
        } finally {
            lock.unlock();
        }
    }

    /** Queues the job at the tail of its server: the order of approvals is the order of runs. */
    public Job approve(long jobId, String approver) {
        lock.lock();
        try {
            Job job = store.approve(jobId, approver);
            events.changed(new JobEvent(job, JobState.AWAITING_APPROVAL, HistoryAction.APPROVE, job.approvedBy()));
            wake(job.serverKey());
            return job;
        } finally {
            lock.unlock();
        }
    }

    public Job deny(long jobId, String approver, String reason) {
        lock.lock();
        try {
            Job job = store.deny(jobId, approver, reason);
            events.changed(new JobEvent(job, JobState.AWAITING_APPROVAL, HistoryAction.DENY, job.deniedBy()));
            return job;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A waiting job becomes CANCELLED at once. A running one stays RUNNING: its worker thread is
     * interrupted and the job becomes CANCELLED when the runner has cleaned up and returned.
     */
    public Job cancel(long jobId, String actor) {
        lock.lock();
        try {
            JobState before = store.get(jobId).state();
            Job job = store.cancel(jobId, actor);
            if (job.state() == JobState.RUNNING) {
                ServerWorker w = workers.get(job.serverKey());
                if (w != null && w.current != null && w.current.id() == jobId) {
                    w.cancelBy = job.cancelRequestedBy();
                    if (w.inRunner) w.thread.interrupt();
                }
                events.changed(new JobEvent(job, before, HistoryAction.CANCEL, job.cancelRequestedBy()));
            } else {
                events.changed(new JobEvent(job, before, HistoryAction.CANCEL, actor.trim()));
            }
            return job;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a new job doing what a FAILED, CANCELLED or INTERRUPTED one did; see {@link JobStore#retry}. */
    public Job retry(long jobId, String actor) {
        lock.lock();
        try {
            Job job = store.retry(jobId, actor);
            events.changed(new JobEvent(job, null, HistoryAction.RETRY, job.approvedBy()));
            wake(job.serverKey());
            return job;
        } finally {
            lock.unlock();
        }
    }

    // ---- views -----------------------------------------------------------------------------------

    public Optional<Job> job(long jobId) {
        return store.find(jobId);
    }

    /** 1-based place among the queued jobs of its server (1 runs next); empty when the job is not queued. */
    public OptionalInt position(long jobId) {
        Job job = store.get(jobId);
        if (job.state() != JobState.QUEUED) return OptionalInt.empty();
        List<Job> line = store.queued(job.serverKey());
        for (int i = 0; i < line.size(); i++) {
            if (line.get(i).id() == jobId) return OptionalInt.of(i + 1);
        }
        return OptionalInt.empty();
    }

    /** Queued jobs of a server, in run order. */
    public List<Job> queued(String serverKey) {
        return store.queued(serverKey);
    }

    /** All queues and pending approvals, read at once. */
    public QueueSnapshot snapshot() {
        List<Job> pending = store.inState(JobState.AWAITING_APPROVAL, JobState.QUEUED, JobState.RUNNING);
        Map<String, List<Job>> queued = new TreeMap<>();
        Map<String, Job> running = new TreeMap<>();
        List<Job> awaiting = new ArrayList<>();
        for (Job j : pending) {
            switch (j.state()) {
                case RUNNING -> running.put(j.serverKey(), j);
                case QUEUED -> queued.computeIfAbsent(j.serverKey(), k -> new ArrayList<>()).add(j);
                default -> awaiting.add(j);
            }
        }
        Set<String> keys = new TreeSet<>(queued.keySet());
        keys.addAll(running.keySet());
        List<QueueSnapshot.ServerQueue> servers = new ArrayList<>();
        for (String key : keys) {
            List<Job> line = new ArrayList<>(queued.getOrDefault(key, List.of()));
            line.sort(Comparator.comparing(Job::queueSeq).thenComparing(Job::id));
            servers.add(new QueueSnapshot.ServerQueue(key, Optional.ofNullable(running.get(key)), List.copyOf(line)));
        }
        return new QueueSnapshot(store.clock().instant(), List.copyOf(servers), List.copyOf(awaiting));
    }

    // ---- worker side (called by ServerWorker) -------------------------------------------------------

    /** Wakes (creating on demand) the worker of a server; no-op until started or once closing. */
    private void wake(String serverKey) {
        if (!started || closing) return;
        ServerWorker w = workers.get(serverKey);
        if (w == null) {
            w = new ServerWorker(this, runner, serverKey, lock.newCondition());
            workers.put(serverKey, w);
            w.thread.start();
        }
        w.signalled = true;
        w.wake.signal();
    }

    /** Blocks until the server has a queued job, starts it and returns it; null once closing. */
    Job takeNext(ServerWorker w) {
        lock.lock();
        try {
            while (true) {
                if (closing) return null;
                Optional<Job> next = store.nextQueued(w.serverKey);
                if (next.isPresent()) {
                    Job job = store.start(next.get().id());
                    w.current = job;
                    w.cancelBy = null;
                    w.inRunner = true;
                    events.changed(new JobEvent(job, JobState.QUEUED, HistoryAction.START, JobStore.SYSTEM));
                    return job;
                }
                w.signalled = false;
                while (!w.signalled && !closing) w.wake.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    void complete(ServerWorker w, Job job, JobOutcome outcome, Throwable failure) {
        lock.lock();
        try {
            w.inRunner = false;
            Thread.interrupted(); // a cancel's interrupt was meant for the runner only
            String cancelBy = w.cancelBy;
            w.current = null;
            w.cancelBy = null;
            Completion end = completion(outcome, failure, cancelBy);
            if (closing && end.state() != JobState.DONE && cancelBy == null) {
                // its runner cleaned up and returned within the grace: hand it back now, so the next
                // start (or another bot) finds it queued first, and its thread hears of it
                Job back = new InterruptRecovery(store, onInterrupted, events, MAX_REQUEUES)
                        .handBack(job, end.cleanup(), "pgstaging was stopped (shutdown) while the job ran");
                LOG.info("job #{} stopped by shutdown; cleanup: {}; now {}", job.id(),
                        end.cleanup() == null ? "nothing to clean" : end.cleanup(), back.state().name().toLowerCase(java.util.Locale.ROOT));
                return;
            }
            if (failure != null && end.state() == JobState.FAILED) {
                LOG.warn("job #{} failed", job.id(), failure);
            }
            Job ended = store.finish(job.id(), end);
            HistoryAction action = switch (end.state()) {
                case DONE -> HistoryAction.DONE;
                case FAILED -> HistoryAction.FAILED;
                default -> HistoryAction.CANCEL;
            };
            LOG.info("job #{} ended: {}", job.id(), ended.state().name().toLowerCase(java.util.Locale.ROOT));
            events.changed(new JobEvent(ended, JobState.RUNNING, action, end.actor()));
        } catch (RuntimeException e) {
            LOG.error("could not record the end of job #{}: {}", job.id(), e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    void workerExited(ServerWorker w) {
        lock.lock();
        try {
            workers.remove(w.serverKey, w);
        } finally {
            lock.unlock();
        }
    }

    ProgressReporter reporterFor(Job job) {
        return new StoredProgress(store, events, job, progressInterval);
    }

    /** A DONE outcome wins even over a late cancel: the work is there. */
    static Completion completion(JobOutcome outcome, Throwable failure, String cancelBy) {
        if (outcome != null && outcome.result() == JobOutcome.Result.DONE) {
            return new Completion(JobState.DONE, JobStore.SYSTEM, null, null, outcome.targetDatabase(),
                    outcome.dumpBytes());
        }
        String cleanup = outcome == null ? null : outcome.cleanup();
        String target = outcome == null ? null : outcome.targetDatabase();
        Long bytes = outcome == null ? null : outcome.dumpBytes();
        if (cancelBy != null) {
            return new Completion(JobState.CANCELLED, cancelBy, null, cleanup, target, bytes);
        }
        if (outcome != null && outcome.result() == JobOutcome.Result.CANCELLED) {
            return new Completion(JobState.CANCELLED, JobStore.SYSTEM, null, cleanup, target, bytes);
        }
        if (outcome != null) {
            return new Completion(JobState.FAILED, JobStore.SYSTEM, outcome.error() == null ? "failed" : outcome.error(),
                    cleanup, target, bytes, outcome.hint(), outcome.failedStep());
        }
        if (failure instanceof PgStagingException p) {
            return new Completion(JobState.FAILED, JobStore.SYSTEM, p.getMessage(), cleanup, target, bytes, p.hint(), null);
        }
        return new Completion(JobState.FAILED, JobStore.SYSTEM,
                failure != null ? describe(failure) : "the runner returned no outcome", cleanup, target, bytes);
    }

    static String describe(Throwable t) {
        if (t instanceof PgStagingException p) {
            return p.getMessage() + (p.hint() == null ? "" : " (hint: " + p.hint() + ")");
        }
        if (t instanceof InterruptedException) return "interrupted";
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
