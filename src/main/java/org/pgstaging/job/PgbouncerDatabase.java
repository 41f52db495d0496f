package org.pgstaging.job;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.pgstaging.postgres.DatedDatabase;

/** One row of pgbouncer's SHOW DATABASES. */
public record PgbouncerDatabase(String name, String database, String host, int port, boolean paused) {

    /** The latest (or oldest) entry named {@code alias_YYYYMMDD}; the alias itself never qualifies. */
    public static Optional<PgbouncerDatabase> datedCopy(List<PgbouncerDatabase> rows, String alias, boolean latest) {
        Comparator<PgbouncerDatabase> byName = Comparator.comparing(PgbouncerDatabase::name);
        var copies = rows.stream().filter(r -> DatedDatabase.split(r.name()).map(d -> d.dbname().equals(alias)).orElse(false));
        return latest ? copies.max(byName) : copies.min(byName);
    }
}
