package org.pgstaging.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.pgstaging.PgStagingException;

/**
 * Where and as whom pgstaging connects to PostgreSQL. The password, if any, comes from
 * PGPASSWORD or ~/.pgpass (read by the driver), never from the command line or the ini; a restore
 * running on a database server for a console gets the console's PGPASSWORD through its request.
 *
 * @param password null: ~/.pgpass (or none); never shown by {@link #toString()}
 */
public record PostgresServerAddress(String host, int port, String user, String password) {

    /** The password from PGPASSWORD, if set. */
    public PostgresServerAddress(String host, int port, String user) {
        this(host, port, user, System.getenv("PGPASSWORD"));
    }

    /** Loads and registers the JDBC driver now rather than at the first connection. */
    public static void loadDriver() {
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            // the first connection says so, with its own message
        }
    }

    public Connection connect(String database) {
        return connect(database, null);
    }

    /** A connection whose session starts with libpq-style {@code options} (e.g. {@code -c work_mem=8MB}), as pg_restore's will. */
    public Connection connect(String database, String options) {
        Properties props = new Properties();
        if (options != null) props.setProperty("options", options);
        props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        props.setProperty("ApplicationName", "pgstaging");
        props.setProperty("connectTimeout", "10");
        props.setProperty("sslmode", System.getenv().getOrDefault("PGSSLMODE", "prefer"));
        String url = "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + urlEncode(database);
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw new PgStagingException("cannot connect to database '" + database + "' on " + this + ": " + e.getMessage(),
                    "check host, postgres_port and dbuser in the section, and that PostgreSQL accepts " + user
                            + " from this machine (pg_hba.conf; password in ~/.pgpass or PGPASSWORD)", e);
        }
    }

    private String hostForUrl() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** libpq-style environment for child tools (pg_restore, psql, pg_dump). */
    public java.util.Map<String, String> libpqEnv() {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGUSER", user);
        env.put("PGAPPNAME", "pgstaging");
        if (password != null) env.put("PGPASSWORD", password);
        return env;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
