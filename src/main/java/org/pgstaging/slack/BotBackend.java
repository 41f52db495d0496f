package org.pgstaging.slack;

import java.util.List;
import java.util.Optional;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.CatalogReport;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.PgbouncerDatabase;

/**
 * Everything the Slack bot needs from the rest of pgstaging, and nothing more. An adapter over the
 * restore queue and {@link org.pgstaging.job.StagingOperations} implements it; the bot never touches
 * either directly, so its logic is tested against any implementation. Every method validates its
 * arguments first and throws {@link org.pgstaging.PgStagingException} (with a hint) on bad input.
 */
public interface BotBackend {

    // ---- jobs (queued, approved) --------------------------------------------------

    /** Records a request; the job waits for approval. */
    BotJob submit(JobRequest request);

    /** What the approval card shows for a restore of {@code section} at {@code date}. */
    RestorePreview preview(String section, DateSpec date);

    BotJob approve(String jobId, String approverId);

    BotJob deny(String jobId, String approverId, String reason);

    BotJob cancel(String jobId, String userId);

    /** Queues a failed (or cancelled) job again as a new job; returns the new one. */
    BotJob retry(String jobId, String userId);

    Optional<BotJob> job(String jobId);

    /** Waiting and running jobs, running first, then in queue order. */
    List<BotJob> queue();

    /** Finished jobs, newest first. */
    List<org.pgstaging.job.store.Change> history(int limit);

    void addListener(BotJobListener listener);

    // ---- immediate changes (after a confirm dialog) --------------------------------

    /** Points the alias at the copy of {@code date}; returns the new target database. */
    String switchTo(String section, DateSpec date, String userId);

    /** Returns the database dropped. */
    String drop(String section, DateSpec date, String userId);

    /** Returns the databases dropped. */
    List<String> purge(String section, String userId);

    /** Who is connected to the copy of {@code date} (or to every dated copy of the section when date is null). */
    List<DbConnection> connections(String section, DateSpec date);

    // ---- read-only, delegating to StagingOperations -----------------------------------

    List<String> sections();

    List<DatabaseInfo> databases(String section);

    List<BackupFile> backups(String section);

    DatabaseSize dbsize(String section, DateSpec date);

    List<DatabaseSize> dbsizes(List<String> sections);

    String show(String section, DateSpec date, String setting);

    List<PgbouncerDatabase> pgbouncer(String section);

    /** Catalog filter summary of the latest (or dated) backup. */
    CatalogReport catalog(String section, DateSpec date);

    /** The new copy next to the alias' current target, once a restore is done. */
    CopyComparison compare(String section, String freshDatabase);
}
