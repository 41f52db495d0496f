package org.pgstaging.pgbouncer;

import java.util.Map;

/**
 * One row of the console's {@code SHOW CLIENTS}: who is connected to which database, from where, since when.
 * Read by column name (versions differ); a missing column is null. Times are pgbouncer's text, e.g.
 * {@code 2026-11-25 15:56:29 UTC}. The console session asking is itself listed (database {@code pgbouncer}).
 */
public record ClientRow(String type, String user, String database, String state, String addr, Integer port,
                        String connectTime, String requestTime, String applicationName, Map<String, String> columns) {

    static ClientRow of(Map<String, String> row) {
        return new ClientRow(row.get("type"), row.get("user"), row.get("database"), row.get("state"),
                DatabaseRow.emptyToNull(row.get("addr")), DatabaseRow.integer(row.get("port")),
                DatabaseRow.emptyToNull(row.get("connect_time")), DatabaseRow.emptyToNull(row.get("request_time")),
                DatabaseRow.emptyToNull(row.get("application_name")), java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(row)));
    }
}
