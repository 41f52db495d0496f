package org.pgstaging.job;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.catalog.FilterSummary;
import org.pgstaging.job.store.ServerKey;
import org.pgstaging.pgbouncer.ClientRow;
import org.pgstaging.postgres.ClusterAdmin;
import org.pgstaging.postgres.DatedDatabase;
import org.pgstaging.postgres.TableStats;
import org.pgstaging.restore.CatalogPreparer;
import org.pgstaging.restore.StagingTarget;

/**
 * What the bot shows around its jobs: the backup a restore would use and the copy it would make,
 * its catalog summary, the server it queues on, who is connected to a copy, a copy's statistics.
 */
final class Previews {
    private final VerbContext c;

    Previews(VerbContext c) {
        this.c = c;
    }

    /** The backup a restore of {@code date} (default today) would use; fails like restore would. */
    BackupFile backupFor(String section, DateSpec date) {
        return VerbContext.findBackup(c.target(section), VerbContext.orToday(date));
    }

    /** The name a restore of that backup creates. */
    String databaseFor(String section, BackupFile backup) {
        return DatedDatabase.name(c.targets().section(section).dbname(), backup.date());
    }

    /** Catalog filter summary of one backup, reading only the catalog at the start of the file. */
    CatalogReport catalogOf(String section, BackupFile backup) {
        FilterSummary f = CatalogPreparer.report(c.target(section), backup, Writer.nullWriter());
        return CatalogReport.of(f);
    }

    /** The server key restores of this section queue on: one restore at a time per PostgreSQL server. */
    String serverOf(String section) {
        return ServerKey.of(c.targets().section(section)).toString();
    }

    /** The database the alias points to now, if any. */
    Optional<String> activeCopy(String section) {
        return new DatedCopies(c.target(section)).active;
    }

    /** The copy {@code drop} would drop (default: the oldest), refused as drop refuses it: never the alias' copy. */
    String copyToDrop(String section, DateSpec date) {
        return new DatedCopies(c.target(section)).toDrop(date);
    }

    /** The copy {@code switch} would point the alias at (default: the latest), refused as switch refuses it. */
    String copyToSwitchTo(String section, DateSpec date) {
        return new DatedCopies(c.target(section)).toSwitchTo(date);
    }

    /** pgbouncer clients and PostgreSQL backends of one copy (date given) or of every dated copy. */
    List<ConnectedClient> connections(String section, DateSpec date) {
        StagingTarget t = c.target(section);
        DatedCopies copies = new DatedCopies(t);
        List<String> dbs = date == null ? new ArrayList<>(copies.byDate.values()) : List.of(copies.resolve(date));
        List<ConnectedClient> out = new ArrayList<>();
        List<ClientRow> clients;
        try {
            clients = t.pgbouncer().console().showClients();
        } catch (RuntimeException e) {
            clients = List.of();
        }
        for (String db : dbs) {
            for (ClientRow client : clients) {
                if (db.equals(client.database())) {
                    out.add(new ConnectedClient("pgbouncer", db, client.user(), client.applicationName(),
                            client.addr() + (client.port() == null ? "" : ":" + client.port()), client.state()));
                }
            }
            if (copies.inPostgres.contains(db)) {
                for (ClusterAdmin.BackendSession b : t.admin().sessions(db)) {
                    out.add(new ConnectedClient("postgres", db, b.user(), b.application(), b.address(), b.state()));
                }
            }
        }
        return out;
    }

    /** Size, table count and the {@code largest} biggest tables of a copy. */
    CopyStats copyStats(String section, String database, int largest) {
        StagingTarget t = c.target(section);
        long bytes = t.admin().size(database).orElse(-1L);
        TableStats stats = t.admin().tableStats(database, largest);
        return new CopyStats(database, bytes, stats.tableCount(), stats.largest().stream()
                .map(x -> new CopyStats.LargeTable(x.schema(), x.name(), x.rowEstimate(), x.bytes())).toList());
    }
}
