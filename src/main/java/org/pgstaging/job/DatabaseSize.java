package org.pgstaging.job;

/**
 * Size of one database; {@code bytes} is -1 when the database is in pgbouncer but not in PostgreSQL;
 * {@code incomplete} when its restore never completed.
 */
public record DatabaseSize(String section, String database, long bytes, boolean active, boolean incomplete) {
    public DatabaseSize(String section, String database, long bytes, boolean active) {
        this(section, database, bytes, active, false);
    }
}
