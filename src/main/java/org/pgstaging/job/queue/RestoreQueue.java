package org.pgstaging.job.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.store.Completion;
import org.pgstaging.job.store.Heartbeat;
import org.pgstaging.job.store.Replica;
import org.pgstaging.job.store.ServerSlots;
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
 * is lost to a restart.
 * <p>
 * Several bot processes (replicas) may share one store on PostgreSQL: a worker runs its server's
 * next job only while it holds that server's {@linkplain ServerSlots slot}, claims it with
 * {@code FOR UPDATE SKIP LOCKED}, and writes a heartbeat through the slot's session every
 * {@link #HEARTBEAT_EVERY}. Every {@link #POLL_EVERY} each replica looks for servers with work it
 * did not hear of (jobs queued through another replica, or left RUNNING by a replica that died):
 * a dead replica's slot ends with its session, so its job is settled by the next replica to take
 * the slot ({@link InterruptRecovery}); a replica that stopped heartbeating for
 * {@link #TAKEOVER_AFTER} while its session lives on (hung, or cut off where PostgreSQL cannot
 * tell) has that session ended. A replica whose slot session fails stops its job at once: another
 * may be taking the server.
 */
public final class RestoreQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreQueue.class);

    /** How many times a job is re-queued by itself after the process died under it. */
    public static final int MAX_REQUEUES = 1;
    /** How often a replica looks for work it was not told of (another replica's requests, a dead replica's jobs). */
    public static final Duration POLL_EVERY = Duration.ofSeconds(2);
    /** How often a running job's replica says it still runs it. */
    public static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
    /** How long a running job may go without a heartbeat before another replica ends its replica's session. */
    public static final Duration TAKEOVER_AFTER = Duration.ofSeconds(60);

    private final JobStore store;
    private final Replica replica;
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
    private Duration pollEvery = POLL_EVERY;
    private Duration heartbeatEvery = HEARTBEAT_EVERY;
    private Duration takeoverAfter = TAKEOVER_AFTER;
    private ScheduledExecutorService ticks;
    /** The newest history entry the last poll saw; only the poll thread touches it. */
    private long newestSeen = -1;

    public RestoreQueue(JobStore store, JobRunner runner, InterruptedJobHandler onInterrupted) {
        this(store, Replica.current(), runner, onInterrupted);
    }

    public RestoreQueue(JobStore store, Replica replica, JobRunner runner, InterruptedJobHandler onInterrupted) {
        this.store = store;
        this.replica = replica;
        this.runner = runner;
        this.onInterrupted = onInterrupted;
    }

    public JobStore store() { return store; }

    /** The name this process runs jobs under (the jobs' {@code owner}). */
    public Replica replica() { return replica; }

    /** Shorter periods than {@link #POLL_EVERY}, {@link #HEARTBEAT_EVERY} and {@link #TAKEOVER_AFTER}, for tests; before {@link #start()}. */
    public RestoreQueue timing(Duration poll, Duration heartbeat, Duration takeover) {
        this.pollEvery = poll;
        this.heartbeatEvery = heartbeat;
        this.takeoverAfter = takeover;
        return this;
    }

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
     * Recovers, then starts running. A job found RUNNING on a server whose slot is free was cut short
     * by the death of the process running it: it is marked INTERRUPTED, handed to the
     * {@link InterruptedJobHandler} and, if that cleaned up, re-queued at the head of its server once
     * ({@link #MAX_REQUEUES}); a job cancelled while it ran ends CANCELLED instead. QUEUED jobs continue
     * in their order. Jobs another live replica runs are left to it.
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
        List<Job> recovered = new ArrayList<>();
        List<String> servers = store.serversWithWork(replica);
        for (String server : servers) {
            ServerSlots.Slot slot = store.slots().tryTake(server).orElse(null);
            if (slot == null) continue; // a live replica runs it
            try (slot) {
                recovered.addAll(recovery().recover(server));
            }
        }
        lock.lock();
        try {
            recovering = false;
            started = true;
            servers.forEach(this::wake);
            ticks = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "pgstaging-queue-ticks");
                t.setDaemon(true);
                return t;
            });
            ticks.scheduleWithFixedDelay(this::poll, pollEvery.toMillis(), pollEvery.toMillis(), TimeUnit.MILLISECONDS);
            ticks.scheduleWithFixedDelay(this::beat, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
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
            if (ticks != null) ticks.shutdownNow();
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
        return submit(request, null);
    }

    /**
     * {@link #submit(JobRequest)} once per chat request ({@link JobStore#createOnce}): a request handled
     * again after its replica died gets the job made the first time, and nobody hears of it twice.
     */
    public Job submit(JobRequest request, String requestKey) {
        lock.lock();
        try {
            JobStore.Created created = store.createOnce(request, requestKey);
            Job job = created.job();
            if (!created.isNew()) return job;
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

    /** Blocks until this process may run the server's next job, starts it and returns it; null once closing. */
    Job takeNext(ServerWorker w) {
        while (true) {
            lock.lock();
            try {
                while (!w.signalled && !closing) w.wake.awaitUninterruptibly();
                if (closing) return null;
                w.signalled = false;
            } finally {
                lock.unlock();
            }
            Job job = tryNext(w);
            if (job != null) return job;
        }
    }

    /**
     * Takes the server's slot, settles what a dead process left there, and claims the next job;
     * null when another replica holds the server or nothing is queued. Talks to the state database
     * outside the queue's lock: submits and approvals never wait for a slot or a cleanup.
     */
    private Job tryNext(ServerWorker w) {
        ServerSlots.Slot slot;
        try {
            slot = store.slots().tryTake(w.serverKey).orElse(null);
            if (slot == null) {
                // another replica runs this server; one silent for too long loses its session, and this worker tries again
                if (store.slots().breakStale(w.serverKey, takeoverAfter)) signal(w);
                return null;
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot take the turn of {}: {}", w.serverKey, e.getMessage());
            return null;
        }
        boolean running = false;
        try {
            recovery().recover(w.serverKey);
            lock.lock();
            try {
                if (closing) return null;
                Optional<Job> next = store.claim(w.serverKey, replica);
                if (next.isEmpty()) return null;
                Job job = next.get();
                w.current = job;
                w.slot = slot;
                w.cancelBy = null;
                w.lost = null;
                w.inRunner = true;
                running = true;
                events.changed(new JobEvent(job, JobState.QUEUED, HistoryAction.START, JobStore.SYSTEM));
                return job;
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot start the next job of {}: {}", w.serverKey, e.getMessage());
            return null;
        } finally {
            if (!running) slot.close();
        }
    }

    private InterruptRecovery recovery() {
        return new InterruptRecovery(store, onInterrupted, events, MAX_REQUEUES);
    }

    private void signal(ServerWorker w) {
        lock.lock();
        try {
            w.signalled = true;
            w.wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the workers of servers with work this process was not told of (see the class comment). */
    private void poll() {
        try {
            List<String> servers = store.serversWithWork(replica);
            lock.lock();
            try {
                servers.forEach(this::wake);
            } finally {
                lock.unlock();
            }
            long newest = store.history().newestId();
            if (newest != newestSeen) {
                newestSeen = newest;
                events.storeMoved();
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot look for work in the {}: {}", store.location(), e.getMessage());
        }
    }

    /**
     * Each running job's heartbeat, through its slot's session. A failed one means the slot is lost
     * (another replica may take the server now): the job stops at once and is left to that replica.
     * A cancel asked through another replica is heard here.
     */
    private void beat() {
        record Beating(ServerWorker worker, Job job, ServerSlots.Slot slot) { }
        List<Beating> beating = new ArrayList<>();
        lock.lock();
        try {
            for (ServerWorker w : workers.values()) {
                if (w.current != null && w.slot != null && w.lost == null) beating.add(new Beating(w, w.current, w.slot));
            }
        } finally {
            lock.unlock();
        }
        for (Beating b : beating) {
            Heartbeat heard = null;
            String lost = null;
            try {
                heard = b.slot().beat(b.job().id(), replica.name());
                if (!heard.ours()) lost = "the job is no longer this bot's (another replica took it over)";
            } catch (RuntimeException e) {
                lost = e.getMessage();
            }
            lock.lock();
            try {
                ServerWorker w = b.worker();
                if (w.current == null || w.current.id() != b.job().id()) continue;
                if (lost != null) {
                    w.lost = lost;
                    LOG.error("job #{} stops: {}", b.job().id(), lost);
                    if (w.inRunner) w.thread.interrupt();
                } else if (heard.cancelRequestedBy() != null && w.cancelBy == null) {
                    w.cancelBy = heard.cancelRequestedBy();
                    if (w.inRunner) w.thread.interrupt();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    void complete(ServerWorker w, Job job, JobOutcome outcome, Throwable failure) {
        ServerSlots.Slot slot = w.slot;
        try {
            record(w, job, outcome, failure);
        } finally {
            if (slot != null) slot.close();
            signal(w); // the next job, if any, without waiting for a poll
        }
    }

    private void record(ServerWorker w, Job job, JobOutcome outcome, Throwable failure) {
        lock.lock();
        try {
            w.inRunner = false;
            Thread.interrupted(); // a cancel's interrupt was meant for the runner only
            String cancelBy = w.cancelBy;
            String lost = w.lost;
            w.current = null;
            w.cancelBy = null;
            w.slot = null;
            w.lost = null;
            if (lost != null) {
                // its slot is gone: the replica holding it now settles the job (interrupted, cleaned up, re-queued)
                LOG.warn("job #{} was left to the replica that takes {} next: {}", job.id(), job.serverKey(), lost);
                return;
            }
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
            Job ended = store.finish(job.id(), replica, end);
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
