package org.pgstaging.job;

import java.io.Writer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.BackupSources;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.Section;
import org.pgstaging.config.StagingConfig;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.store.ChangeLog;
import org.pgstaging.job.store.StateLocation;
import org.pgstaging.postgres.PostgresServerAddress;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.StagingTarget;

/**
 * The engine's front: every operation of {@link StagingOperations} on a loaded configuration.
 * Faces build one per configuration (the console again after {@code set}) and call it. Each
 * section's target is built once ({@link SectionTargets}); the verbs live in their groups
 * ({@link RestoreVerbs}, {@link CopyVerbs}, {@link Listings}, {@link PgbouncerVerbs},
 * {@link CatalogVerbs}, {@link Previews}), and every change takes its server's turn
 * ({@link ServerTurn}) and is recorded.
 */
public final class StagingService implements StagingOperations {
    private final SectionTargets targets;
    private final EngineOptions options;
    private final RestoreListener listener;
    /** Where changes are recorded; null: nowhere (tests, the engine alone). */
    private final Supplier<ChangeLog> history;
    private final ServerTurn turn;
    private final RestoreVerbs restores;
    private final CopyVerbs copies;
    private final Listings listings;
    private final PgbouncerVerbs pgbouncer;
    private final CatalogVerbs catalogs;
    private final Previews previews;

    public StagingService(StagingConfig config, EngineOptions options, RestoreListener listener) {
        this(new SectionTargets(config, options.tmpdir()), options, listener, null);
    }

    private StagingService(SectionTargets targets, EngineOptions options, RestoreListener listener,
                           Supplier<ChangeLog> history) {
        this.targets = targets;
        this.options = options;
        this.listener = listener == null ? RestoreListener.NONE : listener;
        this.history = history;
        VerbContext c = new VerbContext(targets, options, this.listener);
        this.turn = new ServerTurn(c, history);
        this.restores = new RestoreVerbs(c);
        this.copies = new CopyVerbs(c);
        this.listings = new Listings(c);
        this.pgbouncer = new PgbouncerVerbs(c);
        this.catalogs = new CatalogVerbs(c);
        this.previews = new Previews(c);
    }

    public StagingConfig config() { return targets.config(); }

    /**
     * Runs {@link #warmUpNow()} on a daemon thread, so that its class loading and initialization
     * (about 0.3 s in a cold process) runs on a second core while the command line is parsed and
     * the configuration read, instead of on the command's path.
     */
    public static void warmUp() {
        startDaemon("pgstaging-warm-up", StagingService::warmUpNow);
    }

    /**
     * Loads the HTTP client, the logger, the JDBC driver and what its first connection needs, and
     * parses a sample listing, in the order a command needs them; touches no server. Nothing here
     * may fail a command: the first real use reports any problem.
     */
    public static void warmUpNow() {
        try {
            BackupSources.warmUp();
            org.slf4j.LoggerFactory.getILoggerFactory();
            PostgresServerAddress.loadDriver();
            BackupSources.warmUpListings();
        } catch (RuntimeException | LinkageError e) {
            // see above
        }
    }

    static void startDaemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public List<String> sections() {
        return targets.config().sections().stream().map(Section::name).toList();
    }

    /** The section with the -t tmpdir override applied. */
    public Section section(String name) {
        return targets.section(name);
    }

    /**
     * What a section's operations act on, built once per section. Public so the bot can run
     * pipelines itself. The first use of a section restoring on its server in this process looks
     * there for restores that died without cleaning up.
     */
    public StagingTarget target(String sectionName) {
        return targets.settledTarget(sectionName, listener, options.dryRun());
    }

    /**
     * A StagingService acting for {@code who}: the bot runs each job as the Slack user who asked.
     * {@code noWait}: a change of a busy server fails at once (a button must not hang for an hour).
     */
    public StagingService actingFor(String who, boolean noWait) {
        return new StagingService(targets, options.actingAs(who).withNoWait(noWait), listener, history);
    }

    /**
     * A StagingService that records every change in the history of its configuration's state
     * ([slack] state_url when set, else state_dir): the one the bot and every console sharing that
     * state write to (opened on the first change only).
     */
    public StagingService recordingHistory() {
        return recordingIn(StateLocation.of(config()));
    }

    /** A StagingService that records every change in the history kept {@code where} (opened on the first change only). */
    public StagingService recordingIn(StateLocation where) {
        return recordingTo(() -> ChangeLog.shared(where));
    }

    /** A StagingService that records every change in the history {@code changes} opens (lazily, once). */
    public StagingService recordingTo(Supplier<ChangeLog> changes) {
        return new StagingService(targets, options, listener, changes);
    }

    /** The history of changes, newest first: of one section (null: all), since a day (null: ever), at most {@code limit}. */
    @Override
    public List<Change> history(String section, LocalDate since, int limit) {
        if (section != null) section(section);   // an unknown section says so, with the nearest names
        if (history == null) return List.of();
        return history.get().read(section, since == null ? null : since.atStartOfDay(ZoneOffset.UTC).toInstant(), limit);
    }

    // ---- main operation: each change takes its server's turn -------------------------

    @Override
    public RestoreResult restore(String section, DateSpec date, RestoreListener l) {
        return turn.exclusive(section, "restore", VerbContext.orToday(date), l, out -> restores.restore(section, date, out));
    }

    @Override
    public RestoreResult load(String section, Path dumpFile, RestoreListener l) {
        return turn.exclusive(section, "load", dumpFile.getFileName(), l, out -> restores.load(section, dumpFile, out));
    }

    @Override
    public Path fetch(String section, DateSpec date, RestoreListener l) {
        return turn.exclusive(section, "fetch", VerbContext.orToday(date), l, out -> restores.fetch(section, date, out));
    }

    @Override
    public String createdb(String section, DateSpec date) {
        return turn.exclusive(section, "createdb", VerbContext.orToday(date), listener, out -> restores.createdb(section, date));
    }

    @Override
    public String drop(String section, DateSpec date) {
        return turn.exclusive(section, "drop", date == null ? DateSpec.oldest() : date, listener, out -> copies.drop(section, date));
    }

    /**
     * Drops {@code database}, which a change that died left behind, holding the server like any
     * change; never the copy the alias points to, nor a complete one. A copy completed since
     * {@code runStarted} was the dead run's work: it is kept, and pgbouncer told of it as the
     * restore would have. Says what it did.
     */
    public org.pgstaging.job.queue.InterruptCleanup dropLeftover(String section, String database, java.time.Instant runStarted) {
        return turn.exclusive(section, "drop", database, listener, out -> copies.dropLeftover(section, database, runStarted));
    }

    @Override
    public String switchTo(String section, DateSpec date) {
        return turn.exclusive(section, "switch", date == null ? DateSpec.latest() : date, listener,
                out -> copies.switchTo(section, date));
    }

    @Override
    public List<String> purge(String section) {
        return turn.exclusive(section, "purge", null, listener, out -> copies.purge(section));
    }

    @Override
    public void vacuumdb(String section, DateSpec date, RestoreListener l) {
        turn.exclusive(section, "vacuumdb", date, l, out -> {
            copies.vacuumdb(section, date, out);
            return null;
        });
    }

    @Override
    public List<Path> sourceSql(String section, DateSpec date, boolean pre, RestoreListener l) {
        return turn.exclusive(section, pre ? "presql" : "postsql", date, l, out -> copies.sourceSql(section, date, pre, out));
    }

    @Override
    public void initCluster(String section, RestoreListener l) {
        turn.exclusive(section, "init", null, l, out -> {
            copies.initCluster(section, out);
            return null;
        });
    }

    @Override
    public Path dump(String section, DateSpec date, Path file, boolean overwrite) {
        return turn.exclusive(section, "dump", date, listener, out -> copies.dump(section, date, file, overwrite));
    }

    // ---- listings ---------------------------------------------------------------------

    @Override
    public List<DatabaseInfo> databases(String section) { return listings.databases(section); }

    @Override
    public List<BackupFile> backups(String section, boolean local) { return listings.backups(section, local); }

    @Override
    public DatabaseSize dbsize(String section, DateSpec date) { return listings.dbsize(section, date); }

    @Override
    public List<DatabaseSize> dbsizes(List<String> sectionNames) { return listings.dbsizes(sectionNames); }

    @Override
    public List<ServerActivity> activity(List<String> sectionNames) {
        return turn.activity(sectionNames.isEmpty() ? sections() : sectionNames);
    }

    @Override
    public String show(String section, DateSpec date, String setting) { return listings.show(section, date, setting); }

    // ---- pgbouncer --------------------------------------------------------------------

    @Override
    public List<PgbouncerDatabase> pgbouncer(String section) { return pgbouncer.pgbouncer(section); }

    @Override
    public void pause(String section, DateSpec date) { pgbouncer.pause(section, date); }

    @Override
    public void resume(String section, DateSpec date) { pgbouncer.resume(section, date); }

    @Override
    public String service(String section, String action) { return pgbouncer.service(section, action); }

    // ---- catalog ----------------------------------------------------------------------

    @Override
    public CatalogReport catalog(String section, Path dumpFile, Writer out) { return catalogs.catalog(section, dumpFile, out); }

    @Override
    public CatalogReport catalogAt(String section, DateSpec date, Writer out) { return catalogs.catalogAt(section, date, out); }

    @Override
    public List<TriggerInfo> triggers(String section, Path dumpFile) { return catalogs.triggers(section, dumpFile); }

    @Override
    public List<String> nodata(String section, Path dumpFile) { return catalogs.nodata(section, dumpFile); }

    // ---- for the chat face: previews, who is connected, comparisons ---------------------

    /** The backup a restore of {@code date} (default today) would use; fails like restore would. */
    public BackupFile backupFor(String section, DateSpec date) { return previews.backupFor(section, date); }

    /** The name a restore of that backup creates. */
    public String databaseFor(String section, BackupFile backup) { return previews.databaseFor(section, backup); }

    /** Catalog filter summary of one backup, reading only the catalog at the start of the file. */
    public CatalogReport catalogOf(String section, BackupFile backup) { return previews.catalogOf(section, backup); }

    /** The server key restores of this section queue on: one restore at a time per PostgreSQL server. */
    public String serverOf(String section) { return previews.serverOf(section); }

    /** The database the alias points to now, if any. */
    public Optional<String> activeCopy(String section) { return previews.activeCopy(section); }

    /** The copy {@code drop} would drop, refused as drop refuses it (the alias' copy). */
    public String copyToDrop(String section, DateSpec date) { return previews.copyToDrop(section, date); }

    /** The copy {@code switch} would point the alias at, refused as switch refuses it (missing, incomplete). */
    public String copyToSwitchTo(String section, DateSpec date) { return previews.copyToSwitchTo(section, date); }

    /** pgbouncer clients and PostgreSQL backends of one copy (date given) or of every dated copy. */
    public List<ConnectedClient> connections(String section, DateSpec date) { return previews.connections(section, date); }

    /** Size, table count and the {@code largest} biggest tables of a copy. */
    public CopyStats copyStats(String section, String database, int largest) {
        return previews.copyStats(section, database, largest);
    }
}
