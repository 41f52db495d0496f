package org.pgstaging.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.pgstaging.backup.BackupSources;
import org.pgstaging.config.Section;
import org.pgstaging.config.StagingConfig;
import org.pgstaging.host.LocalHost;
import org.pgstaging.pgbouncer.Pgbouncer;
import org.pgstaging.pgbouncer.PgbouncerConsole;
import org.pgstaging.postgres.ClusterAdmin;
import org.pgstaging.postgres.PostgresServerAddress;
import org.pgstaging.postgres.PostgresTools;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.StagingTarget;
import org.pgstaging.restore.TargetRestore;

/**
 * What each section's operations act on, built once per section and kept: its server, pgbouncer,
 * backup source (and so that source's listing cache) and tools. Shared by a StagingService and those
 * derived from it (acting for a Slack user, recording history), so a bot's jobs and previews reuse
 * one target per section. Also remembers which sections were looked at for dead restores.
 */
final class SectionTargets {
    private final StagingConfig config;
    private final Optional<Path> tmpdir;
    private final LocalHost local = new LocalHost();
    private final ServerHosts servers = ServerHosts.shared();
    private final ConcurrentMap<String, StagingTarget> built = new ConcurrentHashMap<>();
    private final Set<String> settled = ConcurrentHashMap.newKeySet();

    /** @param tmpdir the {@code -t} override of every section's tmpdir, if given */
    SectionTargets(StagingConfig config, Optional<Path> tmpdir) {
        this.config = config;
        this.tmpdir = tmpdir;
    }

    StagingConfig config() {
        return config;
    }

    /** The section with the -t tmpdir override applied; an unknown name fails with the nearest ones. */
    Section section(String name) {
        Section s = config.section(name);
        return tmpdir.map(t -> s.with("tmpdir", t.toString())).orElse(s);
    }

    /** The section's target, built on first use. */
    StagingTarget target(String sectionName) {
        Section s = section(sectionName);
        return built.computeIfAbsent(s.name(), name -> build(s));
    }

    /**
     * The section's target; the first use in this process of a section restoring on its server
     * ({@code restore_on = target}) looks there for restores that died without cleaning up.
     */
    StagingTarget settledTarget(String sectionName, RestoreListener listener, boolean dryRun) {
        StagingTarget t = target(sectionName);
        if (restoresOnTarget(t.section()) && !settled.contains(t.section().name())) settle(t, listener, dryRun);
        return t;
    }

    /**
     * Cleans up after restores that died on the section's server (a dry run says what it would do).
     * Returns the copies restores still running there are making.
     */
    List<String> settle(StagingTarget t, RestoreListener listener, boolean dryRun) {
        List<String> running = onTarget(t, listener).settleLeftovers(dryRun);
        settled.add(t.section().name());
        return running;
    }

    /** The restore run by pgstaging-client on the section's server. */
    TargetRestore onTarget(StagingTarget t, RestoreListener listener) {
        return new TargetRestore(t, servers.ssh(t.section()), listener);
    }

    /** {@code restore_on = target} on a remote server: pgstaging-client there fetches and restores. */
    static boolean restoresOnTarget(Section s) {
        return s.remote() && "target".equals(s.restoreOn());
    }

    private StagingTarget build(Section s) {
        PostgresServerAddress pg = new PostgresServerAddress(s.host(), s.postgresPort(), s.dbuser());
        PgbouncerConsole console = new PgbouncerConsole(local, Path.of(s.psql()), s.host(), s.pgbouncerPort(), s.dbuser(),
                System.getenv("PGPASSWORD"));
        Pgbouncer pgbouncer = new Pgbouncer(servers.forSection(s), s.pgbouncerConf(), console);
        return new StagingTarget(s, local, pg, new ClusterAdmin(pg, s.maintdb()), pgbouncer,
                BackupSources.forSection(s), PostgresTools.of(s));
    }
}
