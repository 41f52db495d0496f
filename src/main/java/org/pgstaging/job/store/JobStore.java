package org.pgstaging.job.store;

import org.pgstaging.job.model.JobState;
import org.pgstaging.job.model.JobKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.pgstaging.backup.DateSpec;

/**
 * Jobs and their history, in an embedded H2 database under {@code state_dir} or in the PostgreSQL
 * database of {@code state_url} (see {@link StateLocation}). Every decision and state change is one
 * transaction that also appends a history entry; once a method returns, its change is on disk (H2
 * is opened with {@code WRITE_DELAY=0}, because its default half-second delay loses commits when
 * the process is killed). On H2 one process owns the store (H2 locks its file); on PostgreSQL several
 * bots (replicas) share it, and {@link #slots()} decides which of them runs each server's jobs.
 */
public final class JobStore implements AutoCloseable {
    /** Actor of the changes pgstaging makes by itself (start, done, interruption handling). */
    public static final String SYSTEM = "pgstaging";
    /** Approver recorded for sections with {@code approval = none}. */
    public static final String AUTO_APPROVER = "auto";

    private static final int NAME_MAX = 255;
    private static final int TEXT_MAX = 4000;
    private static final int ERROR_MAX = 10000;
    /** How long a slot's statement (a heartbeat) may take before its replica counts the state database as lost. */
    private static final int SLOT_TIMEOUT_SECONDS = 10;

    private final StateLocation where;
    private final Clock clock;
    private final StoreThread db;
    private final History history;
    private final Deliveries deliveries;
    private final SlackMessages slackMessages;
    private final HeldRequests heldRequests;
    private ServerSlots slots;

    private JobStore(StateLocation where, Clock clock) {
        this.where = where;
        this.clock = clock;
        this.db = new StoreThread(where);
        this.history = new History(db);
        this.deliveries = new Deliveries(db, clock);
        this.slackMessages = new SlackMessages(db, SlackMessages.MAX_ENTRIES);
        this.heldRequests = new HeldRequests(db, where.isPostgres());
    }

    public static JobStore open(Path stateDir) {
        return open(StateLocation.directory(stateDir), Clock.systemUTC());
    }

    public static JobStore open(Path stateDir, Clock clock) {
        return open(StateLocation.directory(stateDir), clock);
    }

    /** Opens (creating and migrating as needed) {@code <state_dir>/pgstaging.mv.db}, or the jobs in the state database. */
    public static JobStore open(StateLocation where, Clock clock) {
        return open(where, clock, null);
    }

    /** Opened with the schema brought up to {@code target} only (null: the newest): tests make older stores with it. */
    static JobStore open(StateLocation where, Clock clock, String target) {
        where.prepare();
        JobStore store = new JobStore(where, clock);
        DataSource connections = where.dataSource("pgstaging", "DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        try {
            store.db.open(() -> connect(connections, where));
            Migrations.JOBS.migrateTo(store.db, where, connections, target);
            store.slots = where.isPostgres() ? new AdvisorySlots(where.slotSessions(SLOT_TIMEOUT_SECONDS), where)
                    : new LocalSlots(store);
        } catch (RuntimeException e) {
            store.db.close();
            throw e;
        }
        return store;
    }

    private static Connection connect(DataSource connections, StateLocation where) {
        Connection c;
        try {
            c = connections.getConnection();
        } catch (SQLException e) {
            boolean locked = e.getErrorCode() == 90020; // H2's DATABASE_ALREADY_OPEN_1
            throw new JobStoreException("cannot open the " + where + ": " + where.mask(e.getMessage()),
                    locked ? "another pgstaging process uses this state_dir; stop it or use another state_dir"
                            : where.isPostgres() ? where.troubleHint() : "check state_dir and its files (pgstaging.mv.db)", e);
        }
        return c;
    }

    /**
     * The jobs queued in the bot's store at {@code where}, for a console's view of the queue; empty
     * when there is no such store (a state_dir where no bot ever ran: nothing is created) or it cannot
     * be read now (H2 files held by the running bot, a state database down).
     */
    public static Optional<List<Job>> queuedIn(StateLocation where) {
        if (!where.isPostgres() && !java.nio.file.Files.exists(where.dir().resolve("pgstaging.mv.db"))) return Optional.empty();
        try (JobStore store = open(where, Clock.systemUTC())) {
            return Optional.of(store.queued());
        } catch (JobStoreException e) {
            return Optional.empty();
        }
    }

    /** Where the jobs are kept. */
    public StateLocation location() { return where; }

    public Clock clock() { return clock; }

    public History history() { return history; }

    /** The chat requests already handled, so that a request delivered twice is handled once. */
    public Deliveries deliveries() { return deliveries; }

    /** Which bot process runs each server's jobs, when several share this store. */
    public ServerSlots slots() { return slots; }

    /** Which Slack messages belong to which job. */
    public SlackMessages slackMessages() { return slackMessages; }

    /** The chat requests acknowledged and not answered yet. */
    public HeldRequests heldRequests() { return heldRequests; }

    // ---- decisions -----------------------------------------------------------------------------

    /** Stores a request: AWAITING_APPROVAL, or QUEUED at once (approved by {@value #AUTO_APPROVER}) when none is needed. */
    public Job create(JobRequest request) {
        return createOnce(request, null).job();
    }

    /** What {@link #createOnce} found: the job, and whether this call made it. */
    public record Created(Job job, boolean isNew) {
    }

    /**
     * {@link #create}, once per chat request: when a job was already made for {@code requestKey} (the
     * request is handled again after the replica handling it died), that job is returned instead of
     * a second one. {@code requestKey} null: always a new job.
     */
    public Created createOnce(JobRequest request, String requestKey) {
        if (requestKey != null && (requestKey.isBlank() || requestKey.length() > 255)) {
            throw new JobStoreException("request key must be 1 to 255 characters", "build it from the request's trigger_id");
        }
        Instant now = clock.instant();
        return db.transaction("storing a request", c -> {
            if (requestKey != null) {
                List<Job> made = Rows.jobs(c, "WHERE request_key = ?", requestKey);
                if (!made.isEmpty()) return new Created(made.get(0), false);
            }
            // a replica making the same request's job at the same moment violates the unique key: this transaction
            // fails and is not retried (the other replica answers the request)
            long id = Rows.insert(c, "INSERT INTO jobs (kind, section, date_spec, target_database, "
                            + "server_key, state, requested_by, requested_at, channel, thread_ts, request_key) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    request.kind().code(), request.section(), request.dateSpec(), request.targetDatabase(),
                    request.serverKey(), JobState.AWAITING_APPROVAL, name(request.requestedBy(), "requester"), now,
                    request.channel(), request.threadTs(), requestKey);
            append(c, now, request.requestedBy(), HistoryAction.REQUEST, id, request.section(),
                    request.kind().code() + (request.dateSpec() == null ? "" : " " + request.dateSpec())
                            + " on " + request.serverKey());
            if (!request.approvalRequired()) {
                queue(c, id, AUTO_APPROVER, now);
                append(c, now, AUTO_APPROVER, HistoryAction.APPROVE, id, request.section(),
                        "the section needs no approval (approval = none)");
            }
            return new Created(load(c, id), true);
        });
    }

    /** AWAITING_APPROVAL -> QUEUED, at the tail of its server's queue (first approved, first served). */
    public Job approve(long jobId, String approver) {
        String who = name(approver, "approver");
        Instant now = clock.instant();
        return db.transaction("approving job #" + jobId, c -> {
            Job job = expect(c, jobId, "approve", JobState.QUEUED, JobState.AWAITING_APPROVAL);
            queue(c, jobId, who, now);
            append(c, now, who, HistoryAction.APPROVE, jobId, job.section(), null);
            return load(c, jobId);
        });
    }

    public Job deny(long jobId, String approver, String reason) {
        String who = name(approver, "approver");
        String why = reason == null || reason.isBlank() ? null : Rows.clip(reason.trim(), TEXT_MAX);
        Instant now = clock.instant();
        return db.transaction("denying job #" + jobId, c -> {
            Job job = expect(c, jobId, "deny", JobState.DENIED);
            Rows.update(c, "UPDATE jobs SET state = ?, denied_by = ?, deny_reason = ?, finished_at = ? WHERE id = ?",
                    JobState.DENIED, who, why, now, jobId);
            append(c, now, who, HistoryAction.DENY, jobId, job.section(), why);
            return load(c, jobId);
        });
    }

    /**
     * Cancels a job that is not running (-> CANCELLED). For a RUNNING job only records who asked it
     * to stop (it stays RUNNING until its runner reports back through {@link #finish}); the request
     * is durable, so a restart does not run a job someone cancelled.
     */
    public Job cancel(long jobId, String actor) {
        String who = name(actor, "actor");
        Instant now = clock.instant();
        return db.transaction("cancelling job #" + jobId, c -> {
            Job job = load(c, jobId);
            if (job.state() == JobState.RUNNING) {
                if (job.cancelRequestedBy() == null) {
                    Rows.update(c, "UPDATE jobs SET cancel_requested_by = ?, cancel_requested_at = ? WHERE id = ?",
                            who, now, jobId);
                    append(c, now, who, HistoryAction.CANCEL, jobId, job.section(), "asked the running job to stop");
                }
                return load(c, jobId);
            }
            expect(c, jobId, "cancel", JobState.CANCELLED);
            Rows.update(c, "UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?", JobState.CANCELLED, now, jobId);
            append(c, now, who, HistoryAction.CANCEL, jobId, job.section(), "was " + job.state());
            return load(c, jobId);
        });
    }

    /** QUEUED -> RUNNING, run by no replica in particular (tests, tools); see {@link #claim}. */
    public Job start(long jobId) {
        return db.transaction("starting job #" + jobId, c -> start(c, jobId, null));
    }

    /**
     * The first queued job of a server, now RUNNING and owned by {@code owner}; empty when none is
     * queued. The row is read {@code FOR UPDATE SKIP LOCKED}, so two replicas claiming at once never
     * get the same job (the server's slot already keeps them apart; this holds even without it).
     */
    public Optional<Job> claim(String serverKey, Replica owner) {
        return db.transaction("claiming the next job of " + serverKey, c -> {
            Long id = null;
            try (PreparedStatement ps = Rows.prepare(c, "SELECT id FROM jobs WHERE state = ? AND server_key = ? "
                    + "ORDER BY queue_seq, id FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED", JobState.QUEUED, serverKey);
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) id = rs.getLong(1);
            }
            return id == null ? Optional.<Job>empty() : Optional.of(start(c, id, owner.name()));
        });
    }

    /** QUEUED -> RUNNING; resets what a previous (interrupted) run left. */
    private Job start(Connection c, long jobId, String owner) throws SQLException {
        Instant now = clock.instant();
        Job job = expect(c, jobId, "start", JobState.RUNNING);
        Rows.update(c, "UPDATE jobs SET state = ?, started_at = ?, finished_at = NULL, last_progress_at = NULL, "
                + "progress = NULL, error = NULL, duration_ms = NULL, cancel_requested_by = NULL, cancel_requested_at = NULL, "
                + "owner = ?, heartbeat_at = CURRENT_TIMESTAMP WHERE id = ?", JobState.RUNNING, now, owner, jobId);
        append(c, now, SYSTEM, HistoryAction.START, jobId, job.section(),
                "on " + job.serverKey() + (job.attempt() > 0 ? " (attempt " + (job.attempt() + 1) + ")" : "")
                        + (owner == null ? "" : " by " + owner));
        return load(c, jobId);
    }

    /** {@link Heartbeat#write} through the store's own session (the embedded store's slots). */
    Heartbeat heartbeat(long jobId, String owner) {
        return db.transaction("writing the heartbeat of job #" + jobId, c -> Heartbeat.write(c, jobId, owner));
    }

    /** RUNNING -> DONE, FAILED or CANCELLED, with its duration. */
    public Job finish(long jobId, Completion end) {
        return finish(jobId, null, end);
    }

    /**
     * RUNNING -> DONE, FAILED or CANCELLED, with its duration, when {@code owner} (unless null) still
     * runs it: a replica that lost the job to another never overwrites what the other does with it.
     */
    public Job finish(long jobId, Replica owner, Completion end) {
        Instant now = clock.instant();
        String actor = name(end.actor(), "actor");
        return db.transaction("recording the end of job #" + jobId, c -> {
            Job job = expect(c, jobId, "end", end.state(), JobState.RUNNING);
            if (owner != null && job.owner() != null && !owner.name().equals(job.owner())) {
                throw new IllegalJobTransitionException(jobId, job.state(), "end (it is run by " + job.owner() + ")", "RUNNING here");
            }
            long ms = Duration.between(job.startedAt(), now).toMillis();
            // a re-run after an interruption keeps the cleanup of the interruption unless it has its own
            Rows.update(c, "UPDATE jobs SET state = ?, finished_at = ?, duration_ms = ?, error = ?, "
                            + "failure_hint = ?, failed_step = ?, cleanup = COALESCE(?, cleanup), "
                            + "target_database = COALESCE(?, target_database), dump_bytes = COALESCE(?, dump_bytes) "
                            + "WHERE id = ?",
                    end.state(), now, ms, Rows.clip(end.error(), ERROR_MAX), Rows.clip(end.hint(), TEXT_MAX),
                    Rows.clip(end.failedStep(), 64), Rows.clip(end.cleanup(), TEXT_MAX),
                    end.targetDatabase(), end.dumpBytes(), jobId);
            HistoryAction action = switch (end.state()) {
                case DONE -> HistoryAction.DONE;
                case FAILED -> HistoryAction.FAILED;
                default -> HistoryAction.CANCEL;
            };
            String detail = end.state() == JobState.FAILED ? end.error() : end.cleanup();
            if (end.state() == JobState.DONE) {
                detail = Optional.ofNullable(end.targetDatabase()).orElse(job.targetDatabase());
            }
            append(c, now, actor, action, jobId, job.section(), detail);
            return load(c, jobId);
        });
    }

    /** RUNNING -> INTERRUPTED: the process stopped while the job ran. Clears cleanup until it is done again. */
    public Job markInterrupted(long jobId, String detail) {
        Instant now = clock.instant();
        return db.transaction("marking job #" + jobId + " interrupted", c -> {
            Job job = expect(c, jobId, "interrupt", JobState.INTERRUPTED);
            Rows.update(c, "UPDATE jobs SET state = ?, finished_at = ?, cleanup = NULL WHERE id = ?",
                    JobState.INTERRUPTED, now, jobId);
            append(c, now, SYSTEM, HistoryAction.INTERRUPTED, jobId, job.section(), detail);
            return load(c, jobId);
        });
    }

    /** INTERRUPTED -> QUEUED ahead of every job queued on its server, counting the attempt. */
    public Job requeueAtHead(long jobId, String cleanup) {
        Instant now = clock.instant();
        return db.transaction("re-queuing job #" + jobId, c -> {
            Job job = expect(c, jobId, "re-queue", JobState.QUEUED, JobState.INTERRUPTED);
            long head = job.queueSeq() == null ? 0 : job.queueSeq();
            try (PreparedStatement ps = Rows.prepare(c,
                    "SELECT MIN(queue_seq) FROM jobs WHERE state = ? AND server_key = ?", JobState.QUEUED, job.serverKey());
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                if (!rs.wasNull()) head = Math.min(head, first - 1);
            }
            Rows.update(c, "UPDATE jobs SET state = ?, queue_seq = ?, attempt = attempt + 1, cleanup = ?, finished_at = NULL WHERE id = ?",
                    JobState.QUEUED, head, Rows.clip(cleanup(cleanup), TEXT_MAX), jobId);
            append(c, now, SYSTEM, HistoryAction.RETRY, jobId, job.section(),
                    "re-queued at the head of " + job.serverKey() + " after the interruption (attempt "
                            + (job.attempt() + 2) + "); cleanup: " + cleanup(cleanup));
            return load(c, jobId);
        });
    }

    /** INTERRUPTED -> DONE: the dead run had finished its work ({@code found} says what was there). */
    public Job finishInterrupted(long jobId, String found) {
        Instant now = clock.instant();
        return db.transaction("recording the end of job #" + jobId, c -> {
            Job job = expect(c, jobId, "end", JobState.DONE, JobState.INTERRUPTED);
            long ms = job.startedAt() == null ? 0 : Duration.between(job.startedAt(), now).toMillis();
            Rows.update(c, "UPDATE jobs SET state = ?, finished_at = ?, duration_ms = ?, cleanup = ?, error = NULL WHERE id = ?",
                    JobState.DONE, now, ms, Rows.clip(cleanup(found), TEXT_MAX), jobId);
            append(c, now, SYSTEM, HistoryAction.DONE, jobId, job.section(),
                    Optional.ofNullable(job.targetDatabase()).orElse("") + " (the interrupted run had finished: " + cleanup(found) + ")");
            return load(c, jobId);
        });
    }

    /** Settles an INTERRUPTED job that will not run again by itself, recording its cleanup and why. */
    public Job keepInterrupted(long jobId, String cleanup, String reason) {
        Instant now = clock.instant();
        return db.transaction("settling job #" + jobId, c -> {
            Job job = load(c, jobId);
            if (job.state() != JobState.INTERRUPTED) {
                throw new IllegalJobTransitionException(jobId, job.state(), "settle", "INTERRUPTED");
            }
            // the reason goes to error too, so faces showing a settled job can say why it stopped
            Rows.update(c, "UPDATE jobs SET cleanup = ?, error = ? WHERE id = ?", Rows.clip(cleanup(cleanup), TEXT_MAX),
                    Rows.clip("interrupted: " + reason, TEXT_MAX), jobId);
            append(c, now, SYSTEM, HistoryAction.INTERRUPTED, jobId, job.section(),
                    reason + "; cleanup: " + cleanup(cleanup));
            return load(c, jobId);
        });
    }

    /**
     * A new job doing the same thing as a FAILED, CANCELLED or INTERRUPTED one, linked through
     * {@link Job#retryOf()}; a job is retried once. The original's approval carries over: an approved
     * job's retry is queued at the tail of its server, one cancelled before anyone approved it waits
     * for approval again (a retry never skips the approvers). Who retried is in the history.
     */
    public Job retry(long jobId, String actor) {
        String who = name(actor, "actor");
        Instant now = clock.instant();
        return db.transaction("retrying job #" + jobId, c -> {
            Job old = load(c, jobId);
            if (!old.state().isRetryable()) {
                throw new IllegalJobTransitionException(jobId, old.state(), "retry", "FAILED, CANCELLED or INTERRUPTED");
            }
            List<Job> earlier = Rows.jobs(c, "WHERE retry_of = ?", jobId);
            if (!earlier.isEmpty()) {
                throw new JobStoreException("job #" + jobId + " was already retried as job #" + earlier.get(0).id(),
                        "follow job #" + earlier.get(0).id() + ", or retry that one if it failed too");
            }
            // "latest" or "today" may mean another database now: only an exact date keeps its target
            boolean exact = old.dateSpec() != null && DateSpec.parse(old.dateSpec()).kind() == DateSpec.Kind.EXACT;
            long id = Rows.insert(c, "INSERT INTO jobs (kind, section, date_spec, target_database, server_key, state, "
                            + "requested_by, requested_at, channel, thread_ts, approval_channel, approval_ts, retry_of) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    old.kind().code(), old.section(), old.dateSpec(), exact ? old.targetDatabase() : null,
                    old.serverKey(), JobState.AWAITING_APPROVAL, old.requestedBy(), now, old.channel(), old.threadTs(),
                    old.approvalChannel(), old.approvalTs(), jobId);
            if (old.approvedBy() != null) queue(c, id, old.approvedBy(), now);
            append(c, now, who, HistoryAction.RETRY, id, old.section(), "retry of job #" + jobId + " (" + old.state() + ")");
            return load(c, id);
        });
    }

    /** Records an action that is not a job state change (switch, switch_back, drop, purge...). */
    public HistoryEntry record(String actor, HistoryAction action, Long jobId, String section, String detail) {
        String who = name(actor, "actor");
        Instant now = clock.instant();
        return db.transaction("recording " + action.code(), c -> {
            append(c, now, who, action, jobId, section, detail);
            return Rows.historyEntries(c, "ORDER BY id DESC FETCH FIRST 1 ROWS ONLY").get(0);
        });
    }

    // ---- what a running job tells, and where the bot talks about it -------------------------------

    /** Stores the latest progress of a RUNNING job; empty when the job is no longer running. */
    public Optional<Job> progress(long jobId, String text) {
        Instant now = clock.instant();
        return db.transaction("storing progress of job #" + jobId, c -> {
            int n = Rows.update(c, "UPDATE jobs SET progress = ?, last_progress_at = ? WHERE id = ? AND state = ?",
                    Rows.clip(text, TEXT_MAX), now, jobId, JobState.RUNNING);
            return n == 0 ? Optional.empty() : Rows.findJob(c, jobId);
        });
    }

    /** Size of the dump being restored, once known: it feeds the estimates. */
    public Job dumpBytes(long jobId, long bytes) {
        return set(jobId, "dump_bytes", bytes);
    }

    /** The database the job makes, once resolved (e.g. {@code latest} -> {@code foodb_20240102}). */
    public Job targetDatabase(long jobId, String database) {
        return set(jobId, "target_database", database);
    }

    /** Where the bot posted the job's status message and its thread. */
    public Job attachMessage(long jobId, String channel, String messageTs, String threadTs) {
        return db.transaction("attaching a message to job #" + jobId, c -> {
            load(c, jobId);
            Rows.update(c, "UPDATE jobs SET channel = ?, message_ts = ?, thread_ts = ? WHERE id = ?",
                    channel, messageTs, threadTs, jobId);
            return load(c, jobId);
        });
    }

    /** Where the bot posted the approval card. */
    public Job attachApproval(long jobId, String approvalChannel, String approvalTs) {
        return db.transaction("attaching an approval message to job #" + jobId, c -> {
            load(c, jobId);
            Rows.update(c, "UPDATE jobs SET approval_channel = ?, approval_ts = ? WHERE id = ?",
                    approvalChannel, approvalTs, jobId);
            return load(c, jobId);
        });
    }

    private Job set(long jobId, String column, Object value) {
        return db.transaction("updating job #" + jobId, c -> {
            load(c, jobId);
            Rows.update(c, "UPDATE jobs SET " + column + " = ? WHERE id = ?", value, jobId);
            return load(c, jobId);
        });
    }

    // ---- queries -----------------------------------------------------------------------------

    /** Whether the store answers a query now (for health probes); never throws. */
    public boolean reachable() {
        try {
            return db.transaction("checking the " + where, c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    s.setQueryTimeout(5);
                    return s.execute("SELECT 1");
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    public Optional<Job> find(long jobId) {
        return db.transaction("reading job #" + jobId, c -> Rows.findJob(c, jobId));
    }

    /** The job, or a {@link JobStoreException} naming the missing id. */
    public Job get(long jobId) {
        return find(jobId).orElseThrow(() -> JobStoreException.unknownJob(jobId));
    }

    /** Jobs in any of the states, oldest first. */
    public List<Job> inState(JobState... states) {
        if (states.length == 0) return List.of();
        String marks = String.join(", ", java.util.Collections.nCopies(states.length, "?"));
        Object[] params = Arrays.stream(states).map(Enum::name).toArray();
        return db.transaction("listing jobs", c -> Rows.jobs(c, "WHERE state IN (" + marks + ") ORDER BY id", params));
    }

    /**
     * Jobs of a server a dead process may have left unsettled, oldest first: RUNNING ones, and
     * INTERRUPTED ones whose cleanup was never recorded (settled ones stay out, however many there are).
     */
    public List<Job> unsettled(String serverKey) {
        return db.transaction("listing unsettled jobs of " + serverKey, c -> Rows.jobs(c,
                "WHERE server_key = ? AND (state = ? OR (state = ? AND cleanup IS NULL)) ORDER BY id",
                serverKey, JobState.RUNNING, JobState.INTERRUPTED));
    }

    /** Queued jobs of a server in run order. */
    public List<Job> queued(String serverKey) {
        return db.transaction("listing the queue of " + serverKey, c -> Rows.jobs(c,
                "WHERE state = ? AND server_key = ? ORDER BY queue_seq, id", JobState.QUEUED, serverKey));
    }

    /** Every queued job, by server then run order. */
    public List<Job> queued() {
        return db.transaction("listing the queues", c -> Rows.jobs(c,
                "WHERE state = ? ORDER BY server_key, queue_seq, id", JobState.QUEUED));
    }

    public Optional<Job> nextQueued(String serverKey) {
        return queued(serverKey).stream().findFirst();
    }

    /**
     * Servers where a replica has something to do: jobs queued, RUNNING jobs not run by {@code self}
     * (their replica may have died) and interrupted jobs whose cleanup was never recorded.
     */
    public List<String> serversWithWork(Replica self) {
        return db.transaction("finding servers with work", c -> {
            List<String> keys = new java.util.ArrayList<>();
            try (PreparedStatement ps = Rows.prepare(c, "SELECT DISTINCT server_key FROM jobs WHERE state = ? "
                            + "OR (state = ? AND (owner IS NULL OR owner <> ?)) OR (state = ? AND cleanup IS NULL) ORDER BY server_key",
                    JobState.QUEUED, JobState.RUNNING, self.name(), JobState.INTERRUPTED);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) keys.add(rs.getString(1));
            }
            return keys;
        });
    }

    /** The {@code limit} most recent jobs, newest first. */
    public List<Job> recent(int limit) {
        return db.transaction("listing jobs", c -> Rows.jobs(c, "ORDER BY id DESC FETCH FIRST ? ROWS ONLY", limit));
    }

    /** The {@code limit} most recent jobs {@code requester} asked for, newest first. */
    public List<Job> requestedBy(String requester, int limit) {
        return db.transaction("listing the jobs of " + requester, c -> Rows.jobs(c,
                "WHERE requested_by = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY", requester, limit));
    }

    /** The {@code limit} latest DONE jobs of a section and kind, most recently finished first. */
    public List<Job> done(String section, JobKind kind, int limit) {
        return db.transaction("reading past jobs of [" + section + "]", c -> Rows.jobs(c,
                "WHERE section = ? AND kind = ? AND state = ? ORDER BY finished_at DESC, id DESC FETCH FIRST ? ROWS ONLY",
                section, kind.code(), JobState.DONE, limit));
    }

    /** How many jobs there are of each kind in each state (absent: none), for the metrics. */
    public java.util.Map<JobKind, java.util.Map<JobState, Long>> countsByKindAndState() {
        return db.transaction("counting jobs", c -> {
            java.util.Map<JobKind, java.util.Map<JobState, Long>> counts = new java.util.EnumMap<>(JobKind.class);
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, state, count(*) FROM jobs GROUP BY kind, state");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(JobKind.parse(rs.getString(1)), k -> new java.util.EnumMap<>(JobState.class))
                            .put(JobState.valueOf(rs.getString(2)), rs.getLong(3));
                }
            }
            return counts;
        });
    }

    /** The newest job the bot answers in that thread. */
    public Optional<Job> findByThread(String channel, String threadTs) {
        return db.transaction("finding the job of a thread", c -> Rows.jobs(c,
                "WHERE channel = ? AND thread_ts = ? ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", channel, threadTs))
                .stream().findFirst();
    }

    /** Jobs whose retry this is, if any. */
    public Optional<Job> retryOf(long jobId) {
        return db.transaction("finding retries of job #" + jobId,
                c -> Rows.jobs(c, "WHERE retry_of = ? ORDER BY id", jobId)).stream().findFirst();
    }

    @Override
    public void close() {
        if (slots != null) slots.close();
        db.close();
    }

    // ---- helpers (run on the store thread) ---------------------------------------------------------

    private static void queue(Connection c, long id, String approver, Instant now) throws SQLException {
        Rows.update(c, "UPDATE jobs SET state = ?, approved_by = ?, approved_at = ?, "
                + "queue_seq = nextval('queue_seq_gen') WHERE id = ?", JobState.QUEUED, approver, now, id);
    }

    private static Job load(Connection c, long id) throws SQLException {
        return Rows.findJob(c, id).orElseThrow(() -> JobStoreException.unknownJob(id));
    }

    /** Loads the job and checks it may move to {@code target}, and only from {@code onlyFrom} when given. */
    private static Job expect(Connection c, long id, String action, JobState target, JobState... onlyFrom)
            throws SQLException {
        Job job = load(c, id);
        Set<JobState> from = onlyFrom.length == 0 ? JobState.sourcesOf(target) : EnumSet.copyOf(Arrays.asList(onlyFrom));
        if (!from.contains(job.state()) || !job.state().canMoveTo(target)) {
            throw IllegalJobTransitionException.of(id, job.state(), action, from);
        }
        return job;
    }

    private static void append(Connection c, Instant at, String actor, HistoryAction action, Long jobId,
                               String section, String detail) throws SQLException {
        Rows.update(c, "INSERT INTO history (at, actor, action, job_id, section, detail) VALUES (?, ?, ?, ?, ?, ?)",
                at, actor, action.code(), jobId, section, Rows.clip(detail, TEXT_MAX));
    }

    private static String cleanup(String text) {
        return text == null || text.isBlank() ? "nothing to clean" : text;
    }

    private static String name(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new JobStoreException("no " + what + " given", "say who does it (a Slack user or a login name)");
        }
        String v = value.trim();
        if (v.length() > NAME_MAX) {
            throw new JobStoreException(what + " name longer than " + NAME_MAX + " characters",
                    "use a user id or login name");
        }
        return v;
    }
}
