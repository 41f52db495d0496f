package org.pgstaging.job;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.model.HeldRequest;
import org.pgstaging.job.model.JobMessages;

/**
 * Jobs for a face that takes requests from many people (the Slack bot): submit, approve, deny,
 * cancel and retry queued jobs, follow them through a {@link JobListener}, and the immediate changes
 * and reads that come with them. {@link QueuedJobService} implements it over the durable queue and
 * {@link StagingOperations}; a face never touches either directly. Every method validates its
 * arguments first and throws {@link org.pgstaging.PgStagingException} (with a hint) on bad input.
 */
public interface JobService {

    /**
     * Who may ask, approve, deny and cancel. Every method below enforces it (a refusal is a
     * {@link JobRefusedException}); a face may also ask it first, to refuse before showing a dialog.
     */
    JobPolicy policy();

    // ---- jobs (queued, approved) --------------------------------------------------

    /**
     * Records a request: the job waits for approval, or is queued at once when the section says
     * {@code approval = none}. A relative date (latest, today) is pinned to the backup it means now.
     */
    JobView submit(JobSubmission request);

    /** What the approval card shows for a restore of {@code section} at {@code date}. */
    RestorePreview preview(String section, DateSpec date);

    JobView approve(String jobId, String approverId);

    JobView deny(String jobId, String approverId, String reason);

    JobView cancel(String jobId, String userId);

    /** Queues a failed (or cancelled) job again as a new job; returns the new one. */
    JobView retry(String jobId, String userId);

    Optional<JobView> job(String jobId);

    /** Waiting and running jobs, running first, then in queue order. */
    List<JobView> queue();

    /** The {@code limit} latest jobs {@code requester} asked for, newest first, whatever their state. */
    List<JobView> requestsOf(String requester, int limit);

    /** Every change recorded, newest first, whoever made it (bot jobs, buttons, consoles); of one section unless null. */
    List<Change> history(String section, int limit);

    void addListener(JobListener listener);

    // ---- what a chat face keeps in the state store ----------------------------------------

    /**
     * True the first time a chat request with this key (an event_id, a trigger_id...) reaches any
     * process on this state, false for every later delivery of it: the state database decides, so
     * two bots racing on one key get one true. Keys are forgotten after a day.
     */
    boolean firstDelivery(String key);

    /**
     * Whether the job state (H2 files or the state database) answers now: probes report a bot that
     * cannot reach it as not ready, so no request is taken that could not be stored.
     */
    default boolean stateReachable() {
        return true;
    }

    /**
     * Keeps a chat request the face is about to acknowledge until {@link #answered}, so that it is not
     * lost when this process dies before answering it: another replica (or this bot started again)
     * gets it through {@link #onOrphanedRequest}. False when it is held already (delivered twice).
     */
    boolean hold(HeldRequest request);

    /** The face answered the held request (or told the user why it could not): it is forgotten. */
    void answered(String requestKey);

    /**
     * Gives {@code handler} each request held by a process that stopped before answering it, once
     * this process has taken it over (on a thread of the job layer: hand slow work to your own).
     */
    void onOrphanedRequest(Consumer<HeldRequest> handler);

    /** Records where the face posted the messages of {@code jobId}, for every process on this state. */
    void putMessages(String jobId, JobMessages messages);

    /** Where the face posted the messages of {@code jobId}, if it did. */
    Optional<JobMessages> messages(String jobId);

    /** The job whose request message is {@code ts} in {@code channel} (replies carry it as thread_ts). */
    Optional<String> jobOfThread(String channel, String ts);

    // ---- confirmed changes (after a confirm dialog) -----------------------------------

    /**
     * Points the alias at the copy of {@code date}: at once when the server is free, else queued
     * behind what holds it ({@link Confirmed}). {@code channel}: where a queued job is followed.
     */
    Confirmed switchTo(String section, DateSpec date, String userId, String channel);

    /** Drops the copy of {@code date}, at once or queued as {@link #switchTo} is. */
    Confirmed drop(String section, DateSpec date, String userId, String channel);

    /** Drops the copies beyond keep_bases, at once or queued as {@link #switchTo} is. */
    Confirmed purge(String section, String userId, String channel);

    /**
     * The copy a confirmed {@code drop} would drop (date null: the oldest); refused now, as the drop
     * would be, when it is the copy the alias points to or there is none.
     */
    String copyToDrop(String section, DateSpec date);

    /** The copy a confirmed {@code switch} would point the alias at (date null: the latest), refused as switch would. */
    String copyToSwitchTo(String section, DateSpec date);

    /** Who is connected to the copy of {@code date} (or to every dated copy of the section when date is null). */
    List<ConnectedClient> connections(String section, DateSpec date);

    // ---- read-only, delegating to StagingOperations -----------------------------------

    List<String> sections();

    /**
     * {@code name} when the configuration has that section; else a {@link org.pgstaging.PgStagingException}
     * naming the nearest sections, as the console says it.
     */
    String section(String name);

    /** What runs and waits on each database server of {@code sections} (all when empty), whoever asked. */
    List<ServerActivity> activity(List<String> sections);

    List<DatabaseInfo> databases(String section);

    /** Dumps on the backup server, or already downloaded into tmpdir ({@code local}). */
    List<BackupFile> backups(String section, boolean local);

    /** The pgbouncer alias of the section (its dbname). */
    String alias(String section);

    DatabaseSize dbsize(String section, DateSpec date);

    List<DatabaseSize> dbsizes(List<String> sections);

    String show(String section, DateSpec date, String setting);

    List<PgbouncerDatabase> pgbouncer(String section);

    /** Catalog filter summary of the latest (or dated) backup. */
    CatalogReport catalog(String section, DateSpec date);

    /** The new copy next to the alias' current target, once a restore is done. */
    CopyComparison compare(String section, String freshDatabase);
}
