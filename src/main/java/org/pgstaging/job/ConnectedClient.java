package org.pgstaging.job;

/** Someone connected to a copy: a pgbouncer client ({@code via = "pgbouncer"}) or a PostgreSQL backend. */
public record ConnectedClient(String via, String database, String user, String application, String address, String state) {
}
