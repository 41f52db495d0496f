package org.pgstaging.job;

import java.time.LocalDate;

/**
 * A dated copy {@code dbname_YYYYMMDD}: its pgbouncer entry, whether the alias points to it, and
 * whether its restore never completed (a restore that died or failed with keep_failed left it).
 */
public record DatabaseInfo(String section, String database, LocalDate date, boolean active,
                           boolean existsInPostgres, String pgbouncerEntry, boolean incomplete) {
    public DatabaseInfo(String section, String database, LocalDate date, boolean active, boolean existsInPostgres,
                        String pgbouncerEntry) {
        this(section, database, date, active, existsInPostgres, pgbouncerEntry, false);
    }
}
