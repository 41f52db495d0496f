package org.pgstaging.job;

/** One row of pgbouncer's SHOW DATABASES. */
public record PgbouncerDatabase(String name, String database, String host, int port, boolean paused) {
}
