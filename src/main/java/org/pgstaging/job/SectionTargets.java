package org.pgstaging.job;

import java.nio.file.Path;
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
import org.pgstaging.restore.StagingTarget;

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

    ServerHosts servers() {
        return servers;
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

    /** Whether dead restores of this section were already looked for by this process. */
    boolean settled(String sectionName) {
        return settled.contains(sectionName);
    }

    void markSettled(String sectionName) {
        settled.add(sectionName);
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
