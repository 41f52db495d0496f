package org.pgstaging.pgbouncer;

import java.util.Map;

/**
 * One row of the console's {@code SHOW DATABASES}. Columns differ between pgbouncer versions, so they are
 * read by name and a missing one is null (false for flags); {@code columns} keeps the row as pgbouncer sent it.
 */
public record DatabaseRow(String name, String host, Integer port, String database, String forceUser,
                          Integer poolSize, String poolMode, Integer maxConnections, Integer currentConnections,
                          boolean paused, boolean disabled, Map<String, String> columns) {

    static DatabaseRow of(Map<String, String> row) {
        return new DatabaseRow(row.get("name"), emptyToNull(row.get("host")), integer(row.get("port")),
                row.get("database"), emptyToNull(row.get("force_user")), integer(row.get("pool_size")),
                emptyToNull(row.get("pool_mode")), integer(row.get("max_connections")),
                integer(row.get("current_connections")), flag(row.get("paused")), flag(row.get("disabled")),
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(row)));
    }

    static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    static Integer integer(String value) {
        try {
            return value == null || value.isEmpty() ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** pgbouncer prints flags as 0/1. */
    static boolean flag(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("t") || value.equalsIgnoreCase("true"));
    }
}
