package org.pgstaging.job;

import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.restore.RestoreListener;

/**
 * Every operation pgstaging offers, section by section: the one API that both faces (command
 * line / console and the Slack bot) call. Arguments are validated before any side effect;
 * failures are {@link org.pgstaging.PgStagingException}s carrying a hint. Nothing here prints:
 * progress goes to the given {@link RestoreListener}, results are returned as values.
 */
public interface StagingOperations {

    /** Section names of the configuration, in file order. */
    List<String> sections();

    // ---- main operation -------------------------------------------------------------

    /** Full restore of the dump of {@code date} (default today) into {@code dbname_YYYYMMDD}. */
    RestoreResult restore(String section, DateSpec date, RestoreListener listener);

    /** pg_restore an already present dump file; its date comes from its name. */
    RestoreResult load(String section, Path dumpFile, RestoreListener listener);

    /** Only download the dump into tmpdir; returns its path. */
    Path fetch(String section, DateSpec date, RestoreListener listener);

    /** Create {@code dbname_YYYYMMDD} and add it to pgbouncer. Returns the database name. */
    String createdb(String section, DateSpec date);

    /** Drop a dated database (never the one the alias points to). Returns the name dropped. */
    String drop(String section, DateSpec date);

    /** Point the pgbouncer alias {@code dbname} at {@code dbname_YYYYMMDD}. Returns the new target. */
    String switchTo(String section, DateSpec date);

    /** Drop all but the {@code keep_bases} newest copies (never the active one). Returns the names dropped. */
    List<String> purge(String section);

    void vacuumdb(String section, DateSpec date, RestoreListener listener);

    /** Source {@code sql_path/pre/*.sql} (pre = true) or {@code sql_path/post/*.sql}; returns the files run. */
    List<Path> sourceSql(String section, DateSpec date, boolean pre, RestoreListener listener);

    /** Load cluster globals ({@code pg_dumpall -g}) from {@code dumpall_url}. */
    void initCluster(String section, RestoreListener listener);

    /** pg_dump a dated database (default: the active one) to a custom-format file. */
    Path dump(String section, DateSpec date, Path file, boolean overwrite);

    // ---- listings -------------------------------------------------------------------

    /** Dated databases of the section as pgbouncer knows them, oldest first, with the active one marked. */
    List<DatabaseInfo> databases(String section);

    /** Dumps available remotely (the listing) or locally (tmpdir). */
    List<BackupFile> backups(String section, boolean local);

    DatabaseSize dbsize(String section, DateSpec date);

    /** Sizes of all dated databases of the given sections. */
    List<DatabaseSize> dbsizes(List<String> sections);

    /** {@code SHOW setting} on a dated database (default: the alias). */
    String show(String section, DateSpec date, String setting);

    /**
     * What runs and waits on each database server of {@code sections} (all sections when empty),
     * whoever asked: the bot, consoles, scripts on any machine.
     */
    List<ServerActivity> activity(List<String> sections);

    /**
     * Every change recorded, newest first, whoever made it (consoles, scripts, the bot): of one
     * section (null: all), since a day (null: ever), at most {@code limit}.
     */
    List<org.pgstaging.job.model.Change> history(String section, java.time.LocalDate since, int limit);

    // ---- pgbouncer ------------------------------------------------------------------

    List<PgbouncerDatabase> pgbouncer(String section);

    void pause(String section, DateSpec date);

    void resume(String section, DateSpec date);

    /** start, stop, restart or status of the pgbouncer service of the section's host. */
    String service(String section, String action);

    // ---- catalog --------------------------------------------------------------------

    /** Writes the filtered catalog (pg_restore -L list) of a dump (default: latest backup, fetched). */
    CatalogReport catalog(String section, Path dumpFile, Writer out);

    /** Writes the filtered catalog of the backup of {@code date} (latest, oldest or a day), fetched. */
    CatalogReport catalogAt(String section, DateSpec date, Writer out);

    /** Triggers of the dump with the schema-qualified functions they call. */
    List<TriggerInfo> triggers(String section, Path dumpFile);

    /** Tables restored without data: those of schemas_nodata and those matching tablename_nodata_regexp. */
    List<String> nodata(String section, Path dumpFile);
}
