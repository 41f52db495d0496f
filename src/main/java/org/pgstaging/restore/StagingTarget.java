package org.pgstaging.restore;

import org.pgstaging.backup.BackupSource;
import org.pgstaging.config.Section;
import org.pgstaging.host.CommandRunner;
import org.pgstaging.pgbouncer.Pgbouncer;
import org.pgstaging.postgres.ClusterAdmin;
import org.pgstaging.postgres.PostgresServerAddress;
import org.pgstaging.postgres.PostgresTools;

/**
 * Everything one section's operations act on: the server's PostgreSQL and pgbouncer (on its
 * {@link org.pgstaging.host.Host}), where its dumps are, and what runs the client tools (pg_restore,
 * psql, pg_dump) on this machine. Built once per operation by the job layer.
 */
public record StagingTarget(Section section, CommandRunner runner, PostgresServerAddress postgres, ClusterAdmin admin,
                            Pgbouncer pgbouncer, BackupSource backups, PostgresTools tools) {

    /** The pgbouncer [databases] entry for a dated copy on this server. */
    public String pgbouncerEntryFor(String database) {
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("dbname", database);
        params.put("host", section.pgbouncerDbHost());
        params.put("port", Integer.toString(section.postgresPort()));
        return org.pgstaging.pgbouncer.PgbouncerEntry.of(params).format();
    }
}
