package org.pgstaging.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigException;
import io.micrometer.core.instrument.MeterRegistry;
import org.pgstaging.job.metrics.JobMetrics;
import org.pgstaging.job.metrics.QueueGauges;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobMessages;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.queue.Estimator;
import org.pgstaging.job.queue.JobOutcome;
import org.pgstaging.job.queue.ProgressReporter;
import org.pgstaging.job.queue.QueueListener;
import org.pgstaging.job.queue.RestoreQueue;
import org.pgstaging.job.queue.ScheduleEstimate;
import org.pgstaging.job.queue.StallWatcher;
import org.pgstaging.job.store.HistoryAction;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobRequest;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.job.store.ServerKey;
import org.pgstaging.job.store.StateLocation;
import org.pgstaging.postgres.ServerBusyException;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.Step;

/**
 * The {@link JobService} over the real parts: requests go to the durable {@link RestoreQueue}, jobs
 * run through {@link StagingService} (the same engine and per-server turn the console uses),
 * decisions are written to the job history, and a {@link StallWatcher} reports silent jobs.
 */
public final class QueuedJobService implements JobService, AutoCloseable {
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);
    /** The kinds that wait in the queue; switch, drop and purge are done at once (after a confirmation). */
    private static final java.util.Set<JobKind> SUBMITTABLE = java.util.EnumSet.of(JobKind.RESTORE, JobKind.FETCH, JobKind.VACUUMDB);

    private final StagingService staging;
    private final JobExecution execution;
    private final JobStore store;
    private final RestoreQueue queue;
    private final Estimator estimator;
    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, Instant> lastProgress = new ConcurrentHashMap<>();

    private final StallWatcher stalls;
    private final HeldRequestKeeper held;
    private final JobPolicy policy;
    /** Null until {@link #recordMetricsIn}. */
    private volatile JobMetrics metrics;
    /** Closed with this service when it opened the store itself ({@link #open}). */
    private final JobStore ownedStore;

    /**
     * @param stallAfter how long a running job may report nothing before listeners hear of it
     * @param policy     who may ask, approve and cancel: enforced on every call
     */
    public QueuedJobService(StagingService staging, JobStore store, Duration stallAfter, JobPolicy policy) {
        this(staging, store, stallAfter, policy, null);
    }

    private QueuedJobService(StagingService staging, JobStore store, Duration stallAfter, JobPolicy policy,
                             JobStore ownedStore) {
        this.ownedStore = ownedStore;
        this.policy = policy;
        this.staging = staging;
        this.store = store;
        this.stalls = new StallWatcher(store, Clock.systemUTC(), stallAfter,
                (job, silent) -> listeners.forEach(l -> l.jobStalled(toView(job), silent)));
        this.execution = new JobExecution(staging);
        this.queue = new RestoreQueue(store, this::run, execution::cleanUpInterrupted);
        stalls.onlyJobsOf(queue.replica());
        this.held = new HeldRequestKeeper(store.heldRequests(), queue.replica());
        this.estimator = new Estimator(store);
        queue.addListener(new QueueListener() {
            @Override
            public void jobChanged(org.pgstaging.job.queue.JobEvent event) {
                // RUNNING -> INTERRUPTED only lasts until recovery settles the job (next event): shown as
                // FAILED it would post a failure and make the messenger ignore the QUEUED that follows.
                if (event.previous() == JobState.RUNNING && event.job().state() == JobState.INTERRUPTED) return;
                JobView job = toView(event.job());
                if (event.previous() == JobState.INTERRUPTED) {
                    boolean requeued = event.job().state() == JobState.QUEUED;
                    listeners.forEach(l -> l.jobInterrupted(job, event.job().cleanup(), requeued));
                }
                listeners.forEach(l -> l.jobChanged(job));
            }

            @Override
            public void storeMoved() {
                listeners.forEach(JobListener::jobsMoved);
            }
        });
    }

    /**
     * The jobs kept where the configuration of {@code staging} says: [slack] state_url when set, else
     * under state_dir. See {@link #open(StagingService, StateLocation, Duration, JobPolicy)}.
     */
    public static QueuedJobService open(StagingService staging, Duration stallAfter, JobPolicy policy) {
        return open(staging, StateLocation.of(staging.config()), stallAfter, policy);
    }

    /**
     * The jobs kept in the durable store {@code where} (created if missing), closed with this service.
     * Two bots must not share a state_dir or a state database: the second is refused.
     */
    public static QueuedJobService open(StagingService staging, StateLocation where, Duration stallAfter, JobPolicy policy) {
        JobStore store = JobStore.open(where, Clock.systemUTC());
        try {
            return new QueuedJobService(staging, store, stallAfter, policy, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Records the jobs in {@code registry} from now on: how they ended, their steps, and gauges of
     * the store and of each server's queue. Call it before {@link #start()} to count the jobs it resumes.
     */
    public QueuedJobService recordMetricsIn(MeterRegistry registry) {
        JobMetrics jobs = new JobMetrics(registry);
        queue.addListener(jobs);
        queue.addListener(new QueueGauges(registry, queue::snapshot, store::countsByKindAndState,
                staging.sections().stream().map(s -> ServerKey.of(staging.section(s)).toString()).distinct().toList()));
        metrics = jobs;
        return this;
    }

    /** Starts the workers: queued jobs continue, interrupted ones are cleaned up and re-queued once. */
    public void start() {
        queue.start();
        stalls.start(StallWatcher.DEFAULT_PERIOD);
        held.start();
    }

    /** How long {@link #close()} gives a running job to stop and clean up before leaving it to the next start. */
    public Duration shutdownGrace() {
        return queue.shutdownGrace();
    }

    /**
     * Stops taking jobs; a running job is interrupted and, once cleaned up (within {@link #shutdownGrace()}),
     * handed back at the head of its server; listeners hear of it before this returns. The store
     * stays open: what the listeners do about it (a face posting the job's notice) may still read it.
     * Chat requests of stopped replicas are no longer taken over, but the ones this replica holds
     * keep their heartbeat until {@link #close()}: the face may still be answering them.
     */
    public void stopJobs() {
        held.stopTakingOver();
        stalls.close();
        queue.close();
    }

    /** {@link #stopJobs()}, then stops the held requests' heartbeat and closes the store. */
    @Override
    public void close() {
        stopJobs();
        held.close();
        if (ownedStore != null) ownedStore.close();
    }

    @Override
    public JobPolicy policy() {
        return policy;
    }

    // ---- jobs -------------------------------------------------------------------------

    @Override
    public JobView submit(JobSubmission request) {
        JobPolicy.enforce(policy.refuseRequester(request.requester()));
        if (!SUBMITTABLE.contains(request.kind())) {
            throw new PgStagingException(request.kind().code() + " is not a queued job",
                    "queue restore, fetch or vacuumdb; " + request.kind().code() + " is done at once after a confirmation");
        }
        DateSpec date = request.date();
        if (request.kind() == JobKind.RESTORE || request.kind() == JobKind.FETCH) {
            // pin latest/oldest/today to the backup that exists now, so the approval card and the run agree
            date = DateSpec.of(staging.backupFor(request.section(), date).date());
        }
        JobRequest r = JobRequest.of(staging.section(request.section()), request.kind(), date, request.requester())
                .inThread(request.channel(), null);
        return toView(queue.submit(r, request.requestKey()));
    }

    @Override
    public RestorePreview preview(String section, DateSpec date) {
        BackupFile backup = staging.backupFor(section, date);
        Optional<CatalogReport> catalog;
        try {
            catalog = Optional.of(staging.catalogOf(section, backup));
        } catch (PgStagingException e) {
            catalog = Optional.empty();
        }
        return new RestorePreview(section, backup, staging.serverOf(section), staging.databaseFor(section, backup), catalog);
    }

    @Override
    public JobView approve(String jobId, String approverId) {
        JobPolicy.enforce(policy.refuseApprover(approverId, stored(jobId).requestedBy()));
        return toView(queue.approve(id(jobId), approverId));
    }

    @Override
    public JobView deny(String jobId, String approverId, String reason) {
        JobPolicy.enforce(policy.refuseApprover(approverId, stored(jobId).requestedBy()));
        return toView(queue.deny(id(jobId), approverId, reason));
    }

    @Override
    public JobView cancel(String jobId, String userId) {
        JobPolicy.enforce(policy.refuseCanceller(userId, stored(jobId).requestedBy()));
        return toView(queue.cancel(id(jobId), userId));
    }

    @Override
    public JobView retry(String jobId, String userId) {
        JobPolicy.enforce(policy.refuseRequester(userId));
        return toView(queue.retry(id(jobId), userId));
    }

    @Override
    public Optional<JobView> job(String jobId) {
        try {
            return queue.job(id(jobId)).map(this::toView);
        } catch (PgStagingException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<JobView> queue() {
        List<Job> jobs = new ArrayList<>(store.inState(JobState.RUNNING));
        jobs.addAll(store.queued());
        jobs.addAll(store.inState(JobState.AWAITING_APPROVAL));
        return jobs.stream().map(this::toView).toList();
    }

    @Override
    public List<JobView> requestsOf(String requester, int limit) {
        return store.requestedBy(requester, limit).stream().map(this::toView).toList();
    }

    @Override
    public List<Change> history(String section, int limit) {
        return staging.history(section, null, limit);
    }

    @Override
    public void addListener(JobListener listener) {
        listeners.add(listener);
    }

    @Override
    public boolean stateReachable() {
        return store.reachable();
    }

    @Override
    public boolean firstDelivery(String key) {
        return store.deliveries().first(key);
    }

    @Override
    public boolean hold(HeldRequest request) {
        return held.hold(request);
    }

    @Override
    public void answered(String requestKey) {
        held.release(requestKey);
    }

    @Override
    public void onOrphanedRequest(java.util.function.Consumer<HeldRequest> handler) {
        held.onOrphaned(handler);
    }

    @Override
    public void putMessages(String jobId, JobMessages messages) {
        store.slackMessages().put(jobId, messages);
    }

    @Override
    public Optional<JobMessages> messages(String jobId) {
        return store.slackMessages().find(jobId);
    }

    @Override
    public Optional<String> jobOfThread(String channel, String ts) {
        return store.slackMessages().jobOfThread(channel, ts);
    }

    // ---- confirmed changes ------------------------------------------------------------

    @Override
    public Confirmed switchTo(String section, DateSpec date, String userId, String channel) {
        JobPolicy.enforce(policy.refuseRequester(userId));
        return confirmed(JobKind.SWITCH, section, date, userId, channel, () -> {
            Optional<String> before = staging.activeCopy(section);
            String db = now(userId).switchTo(section, date);
            store.record(userId, before.isPresent() && newer(before.get(), db) ? HistoryAction.SWITCH_BACK : HistoryAction.SWITCH,
                    null, section, before.orElse("-") + " -> " + db);
            return List.of(db);
        });
    }

    private static boolean newer(String a, String b) {
        return a.compareTo(b) > 0;
    }

    @Override
    public Confirmed drop(String section, DateSpec date, String userId, String channel) {
        JobPolicy.enforce(policy.refuseRequester(userId));
        return confirmed(JobKind.DROP, section, date, userId, channel, () -> {
            String db = now(userId).drop(section, date);
            store.record(userId, HistoryAction.DROP, null, section, db);
            return List.of(db);
        });
    }

    @Override
    public Confirmed purge(String section, String userId, String channel) {
        JobPolicy.enforce(policy.refuseRequester(userId));
        return confirmed(JobKind.PURGE, section, null, userId, channel, () -> {
            List<String> dropped = now(userId).purge(section);
            store.record(userId, HistoryAction.PURGE, null, section, String.join(", ", dropped));
            return dropped;
        });
    }

    /**
     * Runs a confirmed change now when its server is free; when something holds it, queues the
     * change as a job approved by the confirmation itself, so it runs in its turn instead of being
     * lost.
     */
    private Confirmed confirmed(JobKind kind, String section, DateSpec date, String userId, String channel,
                                java.util.function.Supplier<List<String>> now) {
        try {
            return Confirmed.done(now.get());
        } catch (ServerBusyException busy) {
            JobRequest r = JobRequest.of(staging.section(section), kind, date, userId).needingApproval().inThread(channel, null);
            Job job = queue.submit(r);
            job = queue.approve(job.id(), userId);
            return Confirmed.queued(toView(job), busy.holder() == null ? "another change" : busy.holder().describe());
        }
    }

    @Override
    public String copyToDrop(String section, DateSpec date) { return staging.copyToDrop(section, date); }

    @Override
    public String copyToSwitchTo(String section, DateSpec date) { return staging.copyToSwitchTo(section, date); }

    @Override
    public List<ConnectedClient> connections(String section, DateSpec date) {
        return staging.connections(section, date).stream()
                .map(c -> new ConnectedClient(c.via(), c.database(), c.user(), c.application(), c.address(), c.state()))
                .toList();
    }

    // ---- read-only --------------------------------------------------------------------

    @Override
    public List<String> sections() { return staging.sections(); }

    @Override
    public String section(String name) {
        try {
            return staging.section(name).name();
        } catch (ConfigException e) {
            // the configuration's words and hint, without the path of its file
            throw new PgStagingException("unknown section '" + name + "'", e.hint());
        }
    }

    @Override
    public List<ServerActivity> activity(List<String> sections) { return staging.activity(sections); }

    @Override
    public List<DatabaseInfo> databases(String section) { return staging.databases(section); }

    @Override
    public List<BackupFile> backups(String section, boolean local) { return staging.backups(section, local); }

    @Override
    public String alias(String section) { return staging.section(section).dbname(); }

    @Override
    public DatabaseSize dbsize(String section, DateSpec date) { return staging.dbsize(section, date); }

    @Override
    public List<DatabaseSize> dbsizes(List<String> sections) { return staging.dbsizes(sections); }

    @Override
    public String show(String section, DateSpec date, String setting) { return staging.show(section, date, setting); }

    @Override
    public List<PgbouncerDatabase> pgbouncer(String section) { return staging.pgbouncer(section); }

    @Override
    public CatalogReport catalog(String section, DateSpec date) {
        return staging.catalogOf(section, staging.backupFor(section, date == null ? DateSpec.latest() : date));
    }

    @Override
    public CopyComparison compare(String section, String freshDatabase) {
        Optional<String> active = staging.activeCopy(section);
        boolean switched = active.map(freshDatabase::equals).orElse(false);
        Optional<String> other = switched
                ? staging.databases(section).stream().map(DatabaseInfo::database)
                        .filter(d -> !d.equals(freshDatabase)).max(Comparator.naturalOrder())
                : active;
        return new CopyComparison(staging.section(section).dbname(), stats(section, freshDatabase),
                other.map(o -> stats(section, o)).orElse(null), switched);
    }

    private CopyComparison.DbStats stats(String section, String db) {
        CopyStats s = staging.copyStats(section, db, 5);
        return new CopyComparison.DbStats(db, s.bytes(), (int) s.tables(), s.largest().stream()
                .map(t -> new CopyComparison.TableEstimate(t.schema() + "." + t.name(), t.rowEstimate(), t.bytes()))
                .toList());
    }

    /** A change confirmed with a button tries the server once: busy, it is queued instead ({@link #confirmed}). */
    private StagingService now(String userId) {
        return staging.actingFor("Slack user " + userId, true);
    }

    // ---- running jobs -----------------------------------------------------------------

    private JobOutcome run(Job job, ProgressReporter reporter) {
        try {
            RestoreListener events = event -> onEvent(job, reporter, event);
            JobMetrics measured = metrics;
            return execution.run(job, reporter, measured == null ? events : measured.watching(events));
        } finally {
            lastProgress.remove(job.id());
        }
    }

    private void onEvent(Job job, ProgressReporter reporter, RestoreEvent event) {
        // progress can come by the thousand (one per pg_restore item): pass a few per second; details
        // (commands run, error lines) all go through, the messenger keeps a bounded tail of them
        if (event instanceof RestoreEvent.StepProgress) {
            Instant now = Instant.now();
            Instant last = lastProgress.get(job.id());
            if (last != null && Duration.between(last, now).compareTo(PROGRESS_EVERY) < 0) return;
            lastProgress.put(job.id(), now);
        }
        reporter.progress(describe(event));
        JobView view = toView(queue.job(job.id()).orElse(job));
        listeners.forEach(l -> l.jobProgress(view, event));
    }

    private static String describe(RestoreEvent e) {
        if (e instanceof RestoreEvent.StepStarted s) return s.step().label();
        if (e instanceof RestoreEvent.StepProgress p) return p.step().label() + " " + p.done() + "/" + p.total() + " " + p.unit();
        if (e instanceof RestoreEvent.StepFinished f) return f.step().label() + " done";
        if (e instanceof RestoreEvent.Detail d) return d.line();
        if (e instanceof RestoreEvent.Failed f) return "failed: " + f.message();
        return "done";
    }

    // ---- mapping ----------------------------------------------------------------------

    JobView toView(Job j) {
        int position = 0;
        Instant start = null;
        Instant finish = null;
        if (j.state() == JobState.QUEUED || j.state() == JobState.RUNNING) {
            position = j.state() == JobState.RUNNING ? 0 : queue.position(j.id()).orElse(0);
            for (ScheduleEstimate e : estimator.schedule(j.serverKey())) {
                if (e.job().id() == j.id()) {
                    start = e.start().orElse(null);
                    finish = e.finish().orElse(null);
                }
            }
        }
        JobView.Decision decision = null;
        if (j.deniedBy() != null) {
            decision = new JobView.Decision(j.deniedBy(), false, j.finishedAt(), j.denyReason());
        } else if (j.approvedBy() != null && !j.approvedBy().equals(JobStore.AUTO_APPROVER)) {
            decision = new JobView.Decision(j.approvedBy(), true, j.approvedAt(), null);
        }
        JobView.Failure failure = j.error() == null ? null : failure(j);
        return new JobView(Long.toString(j.id()), j.kind(), j.section(), j.dateSpec(), j.targetDatabase(),
                j.requestedBy(), j.state() == JobState.INTERRUPTED ? JobState.FAILED : j.state(), position, start, finish, decision, failure, j.requestedAt(), j.finishedAt());
    }

    /** The stored failure; jobs written before failures were kept as parts carry the hint in the message. */
    private static JobView.Failure failure(Job j) {
        String message = j.error();
        String hint = j.failureHint();
        int legacy = message.indexOf("\nhint: ");
        if (hint == null && legacy >= 0) {
            hint = message.substring(legacy + 7);
            message = message.substring(0, legacy);
        }
        String step = null;
        if (j.failedStep() != null) {
            try {
                step = Step.valueOf(j.failedStep()).label();
            } catch (IllegalArgumentException e) {
                step = j.failedStep();   // written by another version
            }
        }
        return new JobView.Failure(message, hint, step, j.cleanup());
    }

    private Job stored(String jobId) {
        long id = id(jobId);
        return queue.job(id).orElseThrow(() -> new PgStagingException("no job " + jobId, "job ids are numbers, as shown in the queue"));
    }

    private static long id(String jobId) {
        try {
            return Long.parseLong(jobId.startsWith("#") ? jobId.substring(1) : jobId);
        } catch (NumberFormatException e) {
            throw new PgStagingException("no job '" + jobId + "'", "job ids are numbers, as shown in the queue");
        }
    }
}
