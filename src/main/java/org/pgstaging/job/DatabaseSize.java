package org.pgstaging.job;

/** Size of one database; {@code bytes} is -1 when the database is in pgbouncer but not in PostgreSQL. */
public record DatabaseSize(String section, String database, long bytes, boolean active) {
}
