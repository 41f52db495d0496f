package org.pgstaging.slack;

/** Someone connected to a database about to be dropped: a pgbouncer client or a PostgreSQL backend. */
public record DbConnection(String via, String database, String user, String application, String address,
                           String state) {
}
