package org.pgstaging.job;

import java.time.LocalDate;

/** A dated copy {@code dbname_YYYYMMDD}: its pgbouncer entry and whether the alias points to it. */
public record DatabaseInfo(String section, String database, LocalDate date, boolean active,
                           boolean existsInPostgres, String pgbouncerEntry) {
}
