package org.pgstaging.slack;

import org.pgstaging.job.model.JobMessages;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.CatalogReport;
import org.pgstaging.job.Confirmed;
import org.pgstaging.job.ConnectedClient;
import org.pgstaging.job.CopyComparison;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.JobListener;
import org.pgstaging.job.JobPolicy;
import org.pgstaging.job.JobService;
import org.pgstaging.job.JobSubmission;
import org.pgstaging.job.JobView;
import org.pgstaging.job.PgbouncerDatabase;
import org.pgstaging.job.RestorePreview;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.restore.RestoreEvent;

/**
 * Our own {@link JobService} kept in memory for the bot's tests: jobs move through the states the
 * queue would give them, every call is recorded, listeners are told like the queue adapter would.
 * One section, {@code foodb.dev}, with copies of 2026-11-20 (active) and 2026-11-24.
 */
final class RecordingBackend implements JobService {
    static final String SECTION = "foodb.dev";

    /** Anyone may ask; nobody approves (for tests whose sections say approval = none). */
    static final JobPolicy ANYONE = new JobPolicy(List.of(), List.of(), false, (group, user) -> false);

    private final JobPolicy policy;
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, JobView> jobs = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Distinct per instance, so two bots in one test never share job ids. */
    private final String tag = "j" + Integer.toString((int) (Math.random() * 46656), 36) + "-";
    volatile String active = "foodb_20261120";
    /** When set, dbsizes waits for it: lets a test see the ack come back before the work is done. */
    volatile CountDownLatch gate;
    final List<String> copies = new CopyOnWriteArrayList<>(List.of("foodb_20261120", "foodb_20261124"));

    /** A backend whose policy lets anyone ask, for tests that only render messages. */
    RecordingBackend() {
        this(ANYONE);
    }

    /** A backend answering {@link #policy()} with the bot's rules, as {@link SlackBot#jobPolicy} builds them. */
    RecordingBackend(JobPolicy policy) {
        this.policy = policy;
    }

    @Override
    public JobPolicy policy() {
        return policy;
    }

    List<String> calls(String prefix) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startsWith(prefix)).toList();
        }
    }

    /** Sections whose requests queue at once, as approval = none makes them. */
    final java.util.Set<String> noApproval = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private void record(String call) {
        calls.add(call);
    }

    @Override
    public JobView submit(JobSubmission r) {
        section(r.section());
        if (r.requestKey() != null && jobOfRequest.containsKey(r.requestKey())) return jobs.get(jobOfRequest.get(r.requestKey()));
        record("submit " + r.kind() + " " + r.section() + " " + r.date() + " by " + r.requester());
        String id = tag + ids.incrementAndGet();
        String db = r.kind() == JobKind.RESTORE ? "foodb_" + DateSpec.compact(r.date().fixedDate(LocalDate.of(2026, 11, 24)).orElse(LocalDate.of(2026, 11, 24))) : null;
        JobView job = new JobView(id, r.kind(), r.section(), r.date() == null ? null : r.date().toString(), db, r.requester(),
                noApproval.contains(r.section()) ? JobState.QUEUED : JobState.AWAITING_APPROVAL, 0, null, null, null, null,
                Instant.now(), null);
        jobs.put(id, job);
        if (r.requestKey() != null) jobOfRequest.put(r.requestKey(), id);
        return job;
    }

    /** The backup server's listing: three dumps, the oldest of unknown size. */
    static final List<BackupFile> BACKUPS = List.of(
            dump(LocalDate.of(2026, 11, 20), OptionalLong.empty()),
            dump(LocalDate.of(2026, 11, 23), OptionalLong.of(3_400_000_000L)),
            dump(LocalDate.of(2026, 11, 24), OptionalLong.of(3_500_000_000L)));

    private static BackupFile dump(LocalDate day, OptionalLong size) {
        return new BackupFile("foodb", day, "foodb." + day + ".dump", URI.create("http://backups.example/foodb/foodb." + day + ".dump"), size);
    }

    /** When set, preview waits for it: lets a test see what happens while a plan is being worked out. */
    volatile CountDownLatch previewGate;

    @Override
    public RestorePreview preview(String section, DateSpec date) {
        section(section);
        record("preview " + section + " " + date);
        await(previewGate);
        LocalDate day = date.resolve(BACKUPS.stream().map(BackupFile::date).toList(), LocalDate.of(2026, 11, 24)).orElseThrow();
        BackupFile file = BACKUPS.stream().filter(b -> b.date().equals(day)).findFirst()
                .orElseThrow(() -> new PgStagingException("no backup of " + section + " for " + date,
                        "backups: " + BACKUPS.stream().map(b -> b.date().toString()).toList()));
        return new RestorePreview(section, file, "staging-db1:5432", "foodb_" + DateSpec.compact(day), Optional.of(new CatalogReport(1200, 1100,
                List.of("audit", "archive"), List.of("public.sessions", "public.events"), List.of("public.orders.audit_trigger"),
                List.of("CAST CAST (audit.stamp AS text) needs TYPE audit.stamp"), List.of(), "1100 of 1200 catalog entries kept")));
    }

    private JobView change(String id, java.util.function.UnaryOperator<JobView> f) {
        JobView j = jobs.get(id);
        if (j == null) throw new PgStagingException("no job " + id, null);
        JobView n = f.apply(j);
        jobs.put(id, n);
        return n;
    }

    /** When set, approve waits for it: lets a test see a click held while it is being done. */
    volatile CountDownLatch approveGate;

    @Override
    public JobView approve(String jobId, String approverId) {
        await(approveGate);
        record("approve " + jobId + " by " + approverId);
        return change(jobId, j -> new JobView(j.id(), j.kind(), j.section(), j.date(), j.database(), j.requesterId(), JobState.QUEUED, 1,
                Instant.now().plusSeconds(60), Instant.now().plusSeconds(1800),
                new JobView.Decision(approverId, true, Instant.now(), null), null, j.submittedAt(), null));
    }

    @Override
    public JobView deny(String jobId, String approverId, String reason) {
        record("deny " + jobId + " by " + approverId + ": " + reason);
        return change(jobId, j -> new JobView(j.id(), j.kind(), j.section(), j.date(), j.database(), j.requesterId(), JobState.DENIED, 0,
                null, null, new JobView.Decision(approverId, false, Instant.now(), reason), null, j.submittedAt(), Instant.now()));
    }

    @Override
    public JobView cancel(String jobId, String userId) {
        record("cancel " + jobId + " by " + userId);
        return change(jobId, j -> j.withState(JobState.CANCELLED));
    }

    @Override
    public JobView retry(String jobId, String userId) {
        record("retry " + jobId + " by " + userId);
        JobView old = jobs.get(jobId);
        return submit(new JobSubmission(old.kind(), old.section(), old.date() == null ? null : DateSpec.parse(old.date()), userId, "C0STAGING"));
    }

    @Override
    public Optional<JobView> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    @Override
    public List<JobView> queue() {
        synchronized (jobs) {
            return jobs.values().stream().filter(j -> !j.finished()).toList();
        }
    }

    @Override
    public List<JobView> requestsOf(String requester, int limit) {
        synchronized (jobs) {
            List<JobView> mine = new ArrayList<>(jobs.values().stream().filter(j -> requester.equals(j.requesterId())).toList());
            Collections.reverse(mine);
            return mine.stream().limit(limit).toList();
        }
    }

    @Override
    public List<org.pgstaging.job.model.Change> history(String section, int limit) {
        synchronized (jobs) {
            return jobs.values().stream().filter(j -> j.finished()).filter(j -> section == null || section.equals(j.section())).limit(limit)
                    .map(j -> new org.pgstaging.job.model.Change(Long.parseLong(j.id().replaceAll("\\D", "")), j.kind().code(),
                            j.section(), j.date(), j.database(), "staging-db1:5432", "Slack user " + j.requesterId(), null,
                            j.submittedAt(), j.finishedAt(), j.state() == JobState.DONE ? org.pgstaging.job.model.Change.Outcome.DONE
                            : org.pgstaging.job.model.Change.Outcome.FAILED, null, null, null, null, List.of()))
                    .toList();
        }
    }


    @Override
    public void addListener(JobListener listener) {
        listeners.add(listener);
    }

    /** Not a fake: the real store on H2 files of its own, opened on first use. */
    @Override
    public boolean firstDelivery(String key) {
        return state().deliveries().first(key);
    }

    /** The replica this backend holds chat requests as. */
    static final org.pgstaging.job.store.Replica REPLICA = org.pgstaging.job.store.Replica.named("recording/1/0a0b0c");
    private final java.util.Map<String, String> jobOfRequest = new java.util.concurrent.ConcurrentHashMap<>();
    volatile java.util.function.Consumer<org.pgstaging.job.model.HeldRequest> orphanHandler;

    @Override
    public boolean hold(org.pgstaging.job.model.HeldRequest request) {
        return state().heldRequests().hold(request, REPLICA);
    }

    @Override
    public void answered(String requestKey) {
        state().heldRequests().release(requestKey);
    }

    @Override
    public void onOrphanedRequest(java.util.function.Consumer<org.pgstaging.job.model.HeldRequest> handler) {
        orphanHandler = handler;
    }

    @Override
    public void putMessages(String jobId, org.pgstaging.job.model.JobMessages messages) {
        state().slackMessages().put(jobId, messages);
    }

    @Override
    public Optional<org.pgstaging.job.model.JobMessages> messages(String jobId) {
        return state().slackMessages().find(jobId);
    }

    @Override
    public Optional<String> jobOfThread(String channel, String ts) {
        return state().slackMessages().jobOfThread(channel, ts);
    }

    private JobStore state;

    synchronized JobStore state() {
        if (state == null) state = JobStore.open(org.pgstaging.testkit.TempDirs.create("pgstaging-recording-state"));
        return state;
    }

    /** What the queue adapter does when a job moves: tell every listener. */
    void publish(JobView job) {
        jobs.put(job.id(), job);
        listeners.forEach(l -> l.jobChanged(job));
    }

    void progress(JobView job, RestoreEvent e) {
        listeners.forEach(l -> l.jobProgress(job, e));
    }

    @Override
    public Confirmed switchTo(String section, DateSpec date, String userId, String channel) {
        section(section);
        record("switch " + section + " " + date + " by " + userId);
        active = "foodb_" + DateSpec.compact(date.fixedDate(LocalDate.now()).orElseThrow());
        return new Confirmed(List.of(active), null, null);
    }

    @Override
    public Confirmed drop(String section, DateSpec date, String userId, String channel) {
        section(section);
        String db = "foodb_" + DateSpec.compact(date.fixedDate(LocalDate.now()).orElseThrow());
        record("drop " + db + " by " + userId);
        copies.remove(db);
        return new Confirmed(List.of(db), null, null);
    }

    @Override
    public Confirmed purge(String section, String userId, String channel) {
        section(section);
        record("purge " + section + " by " + userId);
        return new Confirmed(List.of(), null, null);
    }

    @Override
    public List<ConnectedClient> connections(String section, DateSpec date) {
        record("connections " + section + " " + date);
        return List.of(new ConnectedClient("pgbouncer", "foodb", "app", "api-server", "10.0.0.7:51234", "active"),
                new ConnectedClient("backend", "foodb_20261124", "alice", "psql", "10.0.0.9", "idle"));
    }

    /** More sections, for tests of names people would not choose. */
    final List<String> moreSections = new CopyOnWriteArrayList<>();

    @Override
    public List<String> sections() {
        List<String> all = new ArrayList<>(List.of(SECTION, "bardb.dev"));
        all.addAll(moreSections);
        return all;
    }

    @Override
    public String section(String s) {
        if (!sections().contains(s)) {
            throw new PgStagingException("unknown section '" + s + "'", "known sections: " + String.join(", ", sections()));
        }
        return s;
    }

    @Override
    public List<DatabaseInfo> databases(String section) {
        section(section);
        return copies.stream().map(c -> new DatabaseInfo(section, c, DatedName.parse(c).date(), c.equals(active), true,
                c + " = host=localhost dbname=" + c)).toList();
    }

    /** As the engine does: the oldest copy by default, never the active one. */
    @Override
    public String copyToDrop(String section, DateSpec date) {
        String db = copy(section, date == null ? DateSpec.oldest() : date);
        if (db.equals(active)) {
            throw new PgStagingException("refusing to drop " + db + ": the alias foodb points to it",
                    "switch the alias to another copy first");
        }
        return db;
    }

    @Override
    public String copyToSwitchTo(String section, DateSpec date) {
        return copy(section, date == null ? DateSpec.latest() : date);
    }

    private String copy(String section, DateSpec date) {
        section(section);
        List<LocalDate> dates = copies.stream().map(c -> DatedName.parse(c).date()).toList();
        LocalDate day = date.resolve(dates, LocalDate.of(2026, 11, 24))
                .orElseThrow(() -> new PgStagingException("no copy of " + section + " for " + date, null));
        return copies.stream().filter(c -> DatedName.parse(c).date().equals(day)).findFirst()
                .orElseThrow(() -> new PgStagingException("no copy of " + section + " for " + date, "copies: " + copies));
    }

    @Override
    public String alias(String section) {
        section(section);
        return "foodb";
    }

    @Override
    public List<BackupFile> backups(String section, boolean local) {
        section(section);
        record("backups " + section);
        return BACKUPS;
    }

    @Override
    public DatabaseSize dbsize(String section, DateSpec date) {
        return new DatabaseSize(section, active, 1_234_567_890L, true);
    }

    @Override
    public List<org.pgstaging.job.ServerActivity> activity(List<String> sections) {
        record("activity " + sections);
        return List.of(new org.pgstaging.job.ServerActivity("127.0.0.1:5432", sections(), List.of(
                new org.pgstaging.job.ServerActivity.Turn(0, "restore foodb.dev 2026-11-24", "alice@stage1 (console)",
                        java.time.Instant.parse("2026-11-24T09:00:00Z"), null, null),
                new org.pgstaging.job.ServerActivity.Turn(1, "vacuumdb bardb.dev 2026-11-23", "Slack user U0BOBBY01, job #7",
                        java.time.Instant.parse("2026-11-24T09:01:00Z"), null, "7")), null));
    }

    @Override
    public List<DatabaseSize> dbsizes(List<String> sections) {
        record("dbsizes " + sections);
        await(gate);
        List<DatabaseSize> out = new ArrayList<>();
        for (String s : sections) {
            section(s);
            for (String c : copies) out.add(new DatabaseSize(s, c, 2_000_000_000L + c.hashCode() % 1000, c.equals(active)));
        }
        return out;
    }

    /** Holds the call while a test keeps {@code gate} closed (null: no gate). */
    private static void await(CountDownLatch gate) {
        if (gate == null) return;
        try {
            gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String show(String section, DateSpec date, String setting) {
        return "on";
    }

    @Override
    public List<PgbouncerDatabase> pgbouncer(String section) {
        return List.of(new PgbouncerDatabase("foodb", active, "localhost", 5432, false));
    }

    @Override
    public CatalogReport catalog(String section, DateSpec date) {
        return preview(section, date).catalog().orElseThrow();
    }

    @Override
    public CopyComparison compare(String section, String freshDatabase) {
        record("compare " + freshDatabase);
        return new CopyComparison("foodb",
                new CopyComparison.DbStats(freshDatabase, 3_100_000_000L, 212, List.of(new CopyComparison.TableEstimate("public.events", 41_000_000, 900_000_000))),
                new CopyComparison.DbStats(active, 3_000_000_000L, 210, List.of(new CopyComparison.TableEstimate("public.events", 40_000_000, 880_000_000))),
                false);
    }
}
